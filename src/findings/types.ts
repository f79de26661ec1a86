/**
 * The findings contract (report schema version 1). Every stage after the engines consumes
 * these types only. The core fields are fixed; `evidence` and `details` take extra fields.
 * Change deliberately: a change to the core is a new schemaVersion (see schema/report.v1.json).
 */

export const SCHEMA_VERSION = 1 as const;

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const CATEGORIES = [
  'exploitation',
  'webshell',
  'ioc',
  'posture',
  'artifact',
  'persistence',
  'exfiltration',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * What a finding of each category is evidence of, declared once: `compromise` (an attack on the
 * server: exploitation, planted files, persistence, dumps, exfiltration, indicator hits) or
 * `exposure` (the server's build, support status and configuration). The verdict (verdict.ts)
 * and every count that keeps the two apart read this table, never rule-id prefixes.
 */
export const FINDING_CLASS: Readonly<Record<Category, 'compromise' | 'exposure'>> = {
  exploitation: 'compromise',
  webshell: 'compromise',
  ioc: 'compromise',
  posture: 'exposure',
  artifact: 'compromise',
  persistence: 'compromise',
  exfiltration: 'compromise',
};
export type FindingClass = (typeof FINDING_CLASS)[Category];

export function findingClass(f: { readonly category: Category }): FindingClass {
  return FINDING_CLASS[f.category];
}

export type EvidenceKind = 'log' | 'event' | 'file' | 'remote';
export type RuleSource = 'builtin' | 'sigma' | 'yara' | 'ioc';

/** Where a finding was seen. `path` uses `/` separators (see DESIGN.md for what it is relative to). */
export interface Evidence {
  readonly kind: EvidenceKind;
  readonly path: string;
  readonly line?: number | null;
  readonly recordId?: number | null;
  readonly sha256?: string | null;
  /** Short excerpt of the evidence, raw (attacker-controlled: writers escape it). */
  readonly excerpt?: string;
  readonly [extra: string]: unknown;
}

export interface RuleRef {
  readonly source: RuleSource;
  readonly author: string;
  readonly license: string;
  readonly refs: readonly string[];
}

export interface Finding {
  /** Stable hash of rule id + evidence location (drive-relative path); see findings/id.ts. */
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly category: Category;
  readonly cves: readonly string[];
  readonly attack: readonly string[];
  readonly evidence: Evidence;
  /** ISO 8601 UTC time of the evidence, when known. */
  readonly time: string | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly count: number;
  readonly rule: RuleRef;
  readonly details: Readonly<Record<string, unknown>>;
}

export type BuildSource = 'ExSetup.exe' | 'folder' | 'registry' | 'option' | 'remote';

export interface FixedBy {
  readonly su?: string | null;
  readonly build?: string | null;
  readonly latestCu?: string | null;
  readonly [extra: string]: unknown;
}

export interface Posture {
  readonly build: string | null;
  readonly product: string | null;
  readonly cu: string | null;
  readonly su: string | null;
  readonly buildSource: BuildSource | null;
  readonly supported: boolean | null;
  readonly openCves: readonly string[];
  readonly openCvesIfConfigured: readonly string[];
  readonly fixedBy: FixedBy | null;
  readonly [extra: string]: unknown;
}

export interface TimeGap {
  readonly from: string;
  readonly to: string;
}

/** What one source of evidence covers: the time window its records span and the gaps in it. */
export interface Coverage {
  readonly source: string;
  readonly files: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly gaps: readonly TimeGap[];
  readonly [extra: string]: unknown;
}

export interface ReportError {
  readonly path: string;
  readonly line: number | null;
  readonly message: string;
  /** Additive: the kind of failure (findings/error-codes.ts). */
  readonly code?: string;
  /** Additive: what the run could not examine because of it ("web-shell YARA rules"). */
  readonly notChecked?: string;
}

export interface Stats {
  readonly files: number;
  readonly bytes: number;
  readonly records: number;
  readonly skippedRecords: number;
  readonly seconds: number;
  readonly [extra: string]: unknown;
}

/** One kind of evidence source and what the scan found of it (shown in the text summary). */
export interface DiscoveryItem {
  /** e.g. exchange-install, build, iis-logs, exchange-logs, evtx, web-folders, artifact-folders */
  readonly kind: string;
  readonly label: string;
  readonly found: boolean;
  /** Evidence paths (with `/`), at most a few; `count` says how many there were. */
  readonly paths: readonly string[];
  readonly count: number;
  readonly note?: string;
}

/** One recommended action after a scan, in the order a responder should take them. */
export interface NextStepEntry {
  readonly order: number;
  readonly kind: string;
  readonly text: string;
  /** Evidence paths, finding ids, CVEs or addresses the step is about (raw: writers escape). */
  readonly items: readonly string[];
}

export const COMPROMISE_VERDICTS = ['compromised', 'suspicious', 'none-found', 'not-examined'] as const;
export type CompromiseVerdict = (typeof COMPROMISE_VERDICTS)[number];
export const EXPOSURE_VERDICTS = ['exposed', 'not-exposed', 'unknown'] as const;
export type ExposureVerdict = (typeof EXPOSURE_VERDICTS)[number];

/** One open CVE of the server's build, as the verdict and the exposure item list it. */
export interface OpenCveEntry {
  readonly id: string;
  readonly severity: Severity;
  /** Exploited in the wild (Microsoft) or listed in CISA KEV; null when the KB does not say. */
  readonly exploited: boolean | null;
  readonly kev: boolean | null;
  readonly cvss: number | null;
  readonly title: string | null;
  /** Fixed on this build only when configured (the `openCvesIfConfigured` list). */
  readonly ifConfigured?: boolean;
  readonly [extra: string]: unknown;
}

/** One short reason for the verdict, pointing at the findings it rests on (ids). */
export interface VerdictReason {
  readonly about: 'compromise' | 'exposure' | 'coverage';
  readonly text: string;
  readonly findings: readonly string[];
}

/** What the examination could not cover (no event logs, log gaps, unreadable files, ...). */
export interface CoverageGapEntry {
  /** no-hunt, no-logs, no-event-logs, no-files, log-gap, logs-start, errors, not-found */
  readonly kind: string;
  readonly text: string;
  readonly items: readonly string[];
}

/**
 * The answer to "compromised?" and "exposed?", apart (see src/verdict/compute.ts for the rules).
 * Additive to schema version 1: `verdict` in the report.
 */
export interface Verdict {
  readonly compromise: CompromiseVerdict;
  readonly exposure: ExposureVerdict;
  /** Findings of class `compromise` at medium or above, confidence medium or above. */
  readonly compromiseFindings: number;
  /** Findings of class `compromise` that are attempts or weaker evidence (see compute.ts). */
  readonly suspiciousFindings: number;
  /** The open CVEs of the build (empty when not exposed or unknown). */
  readonly openCves: readonly OpenCveEntry[];
  /** Out of support: the date of the last security fix for the product or CU, else null. */
  readonly noFixesSince: string | null;
  /** The most severe compromise reasons first, then exposure, then coverage. */
  readonly reasons: readonly VerdictReason[];
  /** What to do, in order: containment first when compromised. */
  readonly nextSteps: readonly NextStepEntry[];
  /** What the examination could not cover; a `none-found` means nothing only within it. */
  readonly coverageGaps: readonly CoverageGapEntry[];
}

/** Engines whose results a report holds (additive `examined`). */
export const EXAMINED_PARTS = ['posture', 'persistence', 'logs', 'events', 'files'] as const;
export type ExaminedPart = (typeof EXAMINED_PARTS)[number];

export type TargetKind = 'tree' | 'live' | 'paths' | 'remote';

export interface Target {
  readonly kind: TargetKind;
  readonly root: string;
  readonly hostname: string | null;
  readonly [extra: string]: unknown;
}

export interface Report {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: 'exhunt'; readonly version: string };
  /** Date (YYYY-MM-DD) support status and deadlines are judged at. */
  readonly asOf: string;
  readonly target: Target;
  readonly posture: Posture | null;
  /** Fingerprint only: one object per target, each with its own posture. */
  readonly targets?: readonly Readonly<Record<string, unknown>>[];
  readonly coverage: readonly Coverage[];
  readonly findings: readonly Finding[];
  readonly errors: readonly ReportError[];
  readonly stats: Stats;
  /** Additive: what a responder should do next, in order (see remediate/next-steps.ts). */
  readonly nextSteps?: readonly NextStepEntry[];
  /** Additive: what discovery found and did not find, per source kind. */
  readonly discovery?: readonly DiscoveryItem[];
  /** Additive: the engines that ran (a posture-only report holds `['posture']`). */
  readonly examined?: readonly ExaminedPart[];
  /** Additive: compromised? exposed? and what to do (src/verdict/compute.ts). */
  readonly verdict?: Verdict;
  readonly [extra: string]: unknown;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** True when `s` is at or above `threshold` (critical > high > medium > low > info). */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}
