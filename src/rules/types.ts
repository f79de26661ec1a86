/**
 * The rule model: every detection rule exhunt runs, as one discriminated union. Built-in
 * (our YAML) and Sigma rules carry a compiled detection over a record's fields; YARA and IOC
 * rules are references that their own engines compile. Diagnostics are data (see diagnostics.ts).
 */
import type { Category, Confidence, Severity } from '../findings/types.js';
import type { LogFamily } from '../parsers/types.js';

export type RuleKind = 'builtin' | 'sigma' | 'yara' | 'ioc';

/** Where a rule was read from (1-based line). */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

export interface RuleMeta {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly author: string;
  readonly license: string;
  readonly refs: readonly string[];
  readonly cves: readonly string[];
  readonly attack: readonly string[];
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly category: Category;
  readonly origin: Origin;
}

/**
 * What a compiled detection sees of one record: field values (after any field mapping),
 * lower-cased values (cached per record), and the whole record as text (for keywords).
 */
export interface FieldView {
  get(field: string): string | undefined;
  lower(field: string): string | undefined;
  /** Every field value of the record joined with spaces (the "raw-ish" line). */
  text(): string;
  textLower(): string;
}

/**
 * A cheap necessary condition: the rule can only match when, for at least one entry,
 * the lower-cased field (or the whole text when `field` is null) contains one of `literals`.
 * Absent (null) means no prefilter could be derived: always evaluate.
 */
export interface PrefilterAlt {
  readonly field: string | null;
  readonly literals: readonly string[];
}
export type Prefilter = readonly PrefilterAlt[] | null;

/**
 * A finer necessary condition than `Prefilter`, for pre-screening whole lines: the rule can
 * only match when, for at least one term, every literal of the term occurs (lower-cased) in
 * the record's field values. Null: none derived (use `prefilter`).
 */
export type LineGate = readonly (readonly string[])[] | null;

export interface CompiledDetection {
  readonly test: (view: FieldView) => boolean;
  readonly prefilter: Prefilter;
  /** Optional (see LineGate); absent or null: only `prefilter` is known. */
  readonly lineGate?: LineGate;
  /** Field names the detection reads (before mapping), for checks and mapping. */
  readonly fields: readonly string[];
  /**
   * Whether the detection can match when the fields `absent` says are never recorded are
   * missing from every record (other fields and keywords unknown): 'never' means it cannot.
   */
  readonly reach?: (absent: (field: string) => boolean) => Reach;
}

/** Three-valued result of `CompiledDetection.reach`. */
export type Reach = 'never' | 'maybe' | 'always';

/** Severity by HTTP status class: attempts (4xx) low, likely success (2xx/3xx) high or critical. */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
export type SeverityByStatus = Partial<Readonly<Record<StatusClass, Severity>>>;

export interface BuiltinRule {
  readonly kind: 'builtin';
  readonly meta: RuleMeta;
  readonly families: readonly LogFamily[];
  readonly detection: CompiledDetection;
  readonly severityByStatus: SeverityByStatus | null;
  /** Derived fields (derived/fields.ts) for rules that name one; absent: the record's own fields. */
  readonly mapping?: FieldMapping;
  /** Set for rules over Windows event records (`logsource: evtx`); such rules have no families. */
  readonly events?: EventTarget | null;
}

/**
 * Which Windows event records a rule applies to: a record qualifies when one selector
 * matches (every non-null list contains the record's value). Channel and provider names are
 * lower-cased. `fields` maps Sigma field names (lower-cased) to the record's own field names
 * for records this selector accepts (e.g. Image → NewProcessName on Security 4688).
 */
export interface EventSelector {
  readonly channels: readonly string[] | null;
  readonly providers: readonly string[] | null;
  readonly eventIds: readonly number[] | null;
  /**
   * Record fields that must hold one of the listed values (compared case-insensitively), as
   * SigmaHQ's pipelines add them (e.g. `EventType: CreateKey` for registry_add on Sysmon 12).
   */
  readonly where?: ReadonlyMap<string, readonly string[]> | null;
  readonly fields: ReadonlyMap<string, string> | null;
}

export interface EventTarget {
  /** The log source entry of content/mappings/windows.yaml (or `evtx` for own rules). */
  readonly name: string;
  readonly selectors: readonly EventSelector[];
}

export interface SigmaLogsource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
}

export interface SigmaRule {
  readonly kind: 'sigma';
  readonly meta: RuleMeta;
  readonly logsource: SigmaLogsource;
  /** Log families the rule applies to, from the field-mapping data. */
  readonly families: readonly LogFamily[];
  readonly detection: CompiledDetection;
  readonly status: string | null;
  /** Sigma field name → record field accessor, per family (from content/mappings). */
  readonly mapping: FieldMapping;
  /** Set for `product: windows` event log sources (content/mappings/windows.yaml); families is then empty. */
  readonly events?: EventTarget | null;
}

export interface YaraRuleRef {
  readonly kind: 'yara';
  readonly meta: RuleMeta;
  readonly file: string;
}

export interface IocRuleRef {
  readonly kind: 'ioc';
  readonly meta: RuleMeta;
  readonly file: string;
}

export type Rule = BuiltinRule | SigmaRule | YaraRuleRef | IocRuleRef;
/** Rules that run in the log matcher. */
export type LogRule = BuiltinRule | SigmaRule;

/** How one Sigma field is read from a record of one family. */
export type FieldSource =
  | { readonly kind: 'field'; readonly name: string; readonly plusAsSpace: boolean }
  | { readonly kind: 'join'; readonly names: readonly string[]; readonly separator: string }
  /** The file extension (without the dot, as Sigma's `c-uri-extension`) of a path field's last segment. */
  | { readonly kind: 'extension'; readonly name: string }
  /** The family's log never records this value (e.g. HttpProxy logs no cookies): always absent. */
  | { readonly kind: 'absent'; readonly reason: string }
  /** Like `join`, then percent-decoded once (derived/percent-decode.ts). */
  | { readonly kind: 'decoded'; readonly names: readonly string[]; readonly separator: string }
  /** The OAB generator's temporary file path, or its judgement (derived/oab-temp-path.ts). */
  | { readonly kind: 'oab-temp'; readonly part: 'path' | 'check' };

/** Per family: Sigma field name (lower-cased) → source. Unmapped names read the record field as is. */
export type FieldMapping = Readonly<Partial<Record<LogFamily, ReadonlyMap<string, FieldSource>>>>;

export type DiagnosticSeverity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable code, e.g. E101 (see DIAGNOSTIC_CODES in diagnostics.ts). */
  readonly code: string;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  readonly line: number;
  readonly column: number;
}

/** What loading one rule file gives: the rules that compiled and the problems found. */
export interface LoadResult {
  readonly rules: readonly Rule[];
  readonly diagnostics: readonly Diagnostic[];
}
