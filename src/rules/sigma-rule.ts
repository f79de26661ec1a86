/**
 * Sigma rules, loaded unmodified: metadata from the Sigma fields (title, id, status, level,
 * tags, references, author, license), the detection compiled by the shared engine, and the
 * log source resolved to log families and field names through content/mappings.
 */
import { isMap, type YAMLMap } from 'yaml';
import type { Category, Confidence, Severity } from '../findings/types.js';
import { compileDetection } from './detection/compile.js';
import { diag, RuleError } from './diagnostics.js';
import { eventTargetFor, type EventSourceMapping } from './event-mappings.js';
import { familiesOf, mappingFor, type LogsourceMapping } from './mappings.js';
import type { Diagnostic, SigmaLogsource, SigmaRule } from './types.js';
import { entry, mapAt, posOf, str, strList, type YamlFile } from './yaml-source.js';

const LEVELS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  informational: 'info',
};

function confidenceOf(status: string | null): Confidence {
  if (status === 'stable') return 'high';
  if (status === 'experimental' || status === 'unsupported' || status === 'deprecated') return 'low';
  return 'medium';
}

/** `cve.2021-26855` / `cve.2021.26855` → CVE-2021-26855; `attack.t1190` → T1190. */
export function tagsToIds(tags: readonly string[]): { cves: string[]; attack: string[] } {
  const cves: string[] = [];
  const attack: string[] = [];
  for (const t of tags.map((x) => x.toLowerCase())) {
    const c = /^cve\.(\d{4})[.-](\d{4,})$/.exec(t);
    if (c) cves.push(`CVE-${c[1] ?? ''}-${c[2] ?? ''}`);
    const a = /^attack\.(t\d{4}(?:\.\d{3})?)$/.exec(t);
    if (a) attack.push((a[1] ?? '').toUpperCase());
  }
  return { cves, attack };
}

function categoryOf(attack: readonly string[]): Category {
  return attack.includes('T1505.003') ? 'webshell' : 'exploitation';
}

function logsourceOf(y: YamlFile, m: YAMLMap): SigmaLogsource {
  const ls = mapAt(y, m, 'logsource', true) as YAMLMap;
  const out: { category?: string; product?: string; service?: string } = {};
  for (const k of ['category', 'product', 'service'] as const) {
    const v = str(y, ls, k, false);
    if (v !== null) out[k] = v;
  }
  return out;
}

export function compileSigmaRule(
  y: YamlFile,
  m: YAMLMap,
  maps: readonly LogsourceMapping[],
  warnings: Diagnostic[],
  eventMaps: readonly EventSourceMapping[] = [],
): SigmaRule {
  if (entry(m, 'action')) throw new RuleError('E306', 'Sigma rule collections (`action:`) are not supported', posOf(y, entry(m, 'action')?.key));
  const title = str(y, m, 'title', true) as string;
  let id = str(y, m, 'id', false);
  if (id === null) {
    id = `sigma:${y.file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '')}`;
    warnings.push(diag('W101', `no \`id\`: findings use ${id}`, y.file, posOf(y, m)));
  }
  const logsource = logsourceOf(y, m);
  const mapping = mappingFor(logsource, maps);
  const events = mapping ? null : eventTargetFor(logsource, eventMaps);
  if (!mapping && !events) {
    throw new RuleError('W401', `log source ${JSON.stringify(logsource)} has no field mapping (content/mappings)`, posOf(y, entry(m, 'logsource')?.value));
  }
  const det = mapAt(y, m, 'detection', true) as YAMLMap;
  const detection = compileDetection(y, det, { plusAsSpace: mapping?.plusAsSpace ?? new Set<string>() });
  const families = mapping ? familiesOf(mapping) : [];
  const live = families.filter((fam) => {
    const fm = mapping?.mapping[fam];
    const absent = (f: string): boolean => fm?.get(f.toLowerCase())?.kind === 'absent';
    return (detection.reach?.(absent) ?? 'maybe') !== 'never';
  });
  if (mapping && live.length === 0) {
    const why = families.map((fam) => {
      const fm = mapping.mapping[fam];
      const gone = detection.fields.filter((f) => fm?.get(f.toLowerCase())?.kind === 'absent');
      const reasons = [...new Set(gone.map((f) => { const src = fm?.get(f.toLowerCase()); return src?.kind === 'absent' ? `${f}: ${src.reason}` : f; }))];
      return `${fam} (${reasons.join('; ')})`;
    });
    throw new RuleError('E402', `the detection needs fields no supported log records, so it can never fire: ${why.join('; ')}`, posOf(y, det));
  }
  for (const fam of live) {
    const fm = mapping?.mapping[fam];
    const missing = detection.fields.filter((f) => !fm?.has(f.toLowerCase()));
    if (missing.length) {
      warnings.push(diag('W201', `field(s) ${missing.join(', ')} not mapped for ${fam}: read as record fields of that name`, y.file, posOf(y, det)));
    }
  }
  const level = (str(y, m, 'level', false) ?? 'medium').toLowerCase();
  const severity = LEVELS[level];
  if (!severity) throw new RuleError('E102', `unknown level \`${level}\``, posOf(y, entry(m, 'level')?.value));
  const { cves, attack } = tagsToIds(strList(y, m, 'tags'));
  const status = str(y, m, 'status', false);
  return {
    kind: 'sigma',
    meta: {
      id,
      title,
      description: str(y, m, 'description', false) ?? '',
      author: str(y, m, 'author', false) ?? 'unknown',
      license: str(y, m, 'license', false) ?? 'unspecified',
      refs: strList(y, m, 'references'),
      cves,
      attack,
      severity,
      confidence: confidenceOf(status),
      category: categoryOf(attack),
      origin: { file: y.file, line: posOf(y, m)?.line ?? 1 },
    },
    logsource,
    // Only the families it can fire on (a proxy rule on cookies never runs on HttpProxy logs).
    families: live,
    detection,
    status,
    mapping: mapping?.mapping ?? {},
    ...(events ? { events } : {}),
  };
}

export function isSigmaRule(m: unknown): m is YAMLMap {
  return isMap(m) && isMap(entry(m, 'logsource')?.value) && entry(m, 'detection') !== null;
}
