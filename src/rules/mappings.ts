/**
 * Field mappings as data (content/mappings/*.yaml): which log families a Sigma log source
 * applies to, and how each Sigma field name reads from a record of that family.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { LOG_FAMILIES, type LogFamily } from '../parsers/types.js';
import { EVENT_MAPPING_MARK } from './event-mappings.js';
import type { FieldMapping, FieldSource, SigmaLogsource } from './types.js';

export interface LogsourceMapping {
  readonly name: string;
  readonly logsource: SigmaLogsource;
  readonly mapping: FieldMapping;
  /** Sigma fields whose values compare with `+` read as a space (IIS user agents). */
  readonly plusAsSpace: ReadonlySet<string>;
}

function source(v: unknown, where: string): FieldSource {
  if (typeof v === 'string') return { kind: 'field', name: v, plusAsSpace: false };
  const o = v as { field?: unknown; plusAsSpace?: unknown; join?: unknown; separator?: unknown; extensionOf?: unknown; absent?: unknown } | null;
  if (o && typeof o.field === 'string') return { kind: 'field', name: o.field, plusAsSpace: o.plusAsSpace === true };
  if (o && typeof o.extensionOf === 'string') return { kind: 'extension', name: o.extensionOf };
  if (o && typeof o.absent === 'string' && o.absent.trim() !== '') return { kind: 'absent', reason: o.absent.trim() };
  const names: unknown = o?.join;
  if (Array.isArray(names) && names.every((x): x is string => typeof x === 'string')) {
    return { kind: 'join', names, separator: typeof o?.separator === 'string' ? o.separator : '' };
  }
  throw new Error(`${where}: a mapping is a field name, {field, plusAsSpace}, {join, separator}, {extensionOf} or {absent: reason}`);
}

/** Parses one mapping file's text (throws with the file name on bad data: it is our own content). */
export function parseMapping(name: string, text: string): LogsourceMapping {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`${name}: ${doc.errors[0]?.message ?? 'YAML error'}`);
  const data = doc.toJS() as { logsource?: SigmaLogsource; families?: Record<string, Record<string, unknown>> };
  if (!data.logsource || !data.families) throw new Error(`${name}: needs logsource and families`);
  const mapping: Partial<Record<LogFamily, Map<string, FieldSource>>> = {};
  const plus = new Set<string>();
  for (const [fam, fields] of Object.entries(data.families)) {
    if (!(LOG_FAMILIES as readonly string[]).includes(fam)) throw new Error(`${name}: unknown log family ${fam}`);
    const m = new Map<string, FieldSource>();
    for (const [k, v] of Object.entries(fields ?? {})) {
      const s = source(v, `${name}: ${fam}.${k}`);
      if (s.kind === 'field' && s.plusAsSpace) plus.add(k.toLowerCase());
      m.set(k.toLowerCase(), s);
    }
    mapping[fam as LogFamily] = m;
  }
  return { name, logsource: data.logsource, mapping, plusAsSpace: plus };
}

/** Log-family mappings under `dir`; Windows event mappings (`kind: windows-events`) are event-mappings.ts's. */
export function loadMappings(dir: string): LogsourceMapping[] {
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  const texts = names.map((n) => [n, readFileSync(join(dir, n), 'utf8')] as const);
  return texts.filter(([, t]) => !EVENT_MAPPING_MARK.test(t)).map(([n, t]) => parseMapping(n, t));
}

const KEYS = ['category', 'product', 'service'] as const;

/** The most specific mapping whose every logsource key equals the rule's (case-insensitive). */
export function mappingFor(ls: SigmaLogsource, maps: readonly LogsourceMapping[]): LogsourceMapping | null {
  let best: LogsourceMapping | null = null;
  let bestKeys = -1;
  for (const m of maps) {
    const keys = KEYS.filter((k) => m.logsource[k] !== undefined);
    if (!keys.every((k) => m.logsource[k]?.toLowerCase() === ls[k]?.toLowerCase())) continue;
    if (keys.length > bestKeys) [best, bestKeys] = [m, keys.length];
  }
  return best;
}

export function familiesOf(m: LogsourceMapping): LogFamily[] {
  return Object.keys(m.mapping) as LogFamily[];
}

