/**
 * exhunt's own YAML log rules (content/rules/README.md, rule.schema.json): Sigma's
 * detection language over the record's own field names, plus our metadata (CVEs, ATT&CK,
 * severity by HTTP status class). Tests live apart from the rules.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { CATEGORIES, CONFIDENCES, SEVERITIES, type Category, type Confidence, type Severity } from '../findings/types.js';
import { LOG_FAMILIES, type LogFamily } from '../parsers/types.js';
import { compileDetection } from './detection/compile.js';
import { diag, RuleError } from './diagnostics.js';
import { DERIVED_FIELDS, ENCODED_FIELDS, usesDerived } from './derived/fields.js';
import { ALL_EVENTS } from './event-mappings.js';
import type { BuiltinRule, Diagnostic, SeverityByStatus, StatusClass } from './types.js';
import { entry, keysOf, mapAt, posOf, str, strList, type YamlFile } from './yaml-source.js';

export const OWN_KEYS = [
  'id', 'title', 'description', 'author', 'license', 'references', 'cves', 'attack', 'category',
  'severity', 'severityByStatus', 'confidence', 'logsource', 'detection', 'falsepositives', 'notes',
  'placeholders',
] as const;

/** `placeholders: {name: file}`: value lists (one a line, `#` comments) for `|expand`, relative to the rule. */
function placeholders(y: YamlFile, m: YAMLMap): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const pm = mapAt(y, m, 'placeholders', false);
  if (!pm) return out;
  for (const { name, value } of keysOf(pm)) {
    const rel = isScalar(value) ? String(value.value) : '';
    if (!rel || isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) {
      throw new RuleError('E102', 'a placeholder names a file below the rule folder', posOf(y, value));
    }
    let text: string;
    try {
      text = readFileSync(join(dirname(y.file), rel), 'utf8');
    } catch (e) {
      throw new RuleError('E102', `placeholder ${name}: ${(e as Error).message}`, posOf(y, value));
    }
    out.set(name, text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  }
  return out;
}

function oneOf<T extends string>(y: YamlFile, m: YAMLMap, key: string, allowed: readonly T[], dflt: T | null): T {
  const v = str(y, m, key, dflt === null);
  if (v === null) return dflt as T;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new RuleError('E102', `\`${key}\` must be one of ${allowed.join(', ')}`, posOf(y, entry(m, key)?.value));
  }
  return v as T;
}

function statusSeverity(y: YamlFile, m: YAMLMap): SeverityByStatus | null {
  const sm = mapAt(y, m, 'severityByStatus', false);
  if (!sm) return null;
  const out: Partial<Record<StatusClass, Severity>> = {};
  for (const { name, value } of keysOf(sm)) {
    if (!/^[1-5]xx$/.test(name)) throw new RuleError('E102', `status class must be 1xx..5xx, got \`${name}\``, posOf(y, value));
    const v = isScalar(value) ? String(value.value) : '';
    if (!(SEVERITIES as readonly string[]).includes(v)) throw new RuleError('E102', `not a severity: \`${v}\``, posOf(y, value));
    out[name as StatusClass] = v as Severity;
  }
  return out;
}

/** `logsource: evtx` (alone): the rule runs on Windows event records, over their own field names. */
export const EVENT_LOGSOURCE = 'evtx';

function families(y: YamlFile, m: YAMLMap): LogFamily[] {
  const fams = strList(y, m, 'logsource');
  if (!fams.length) throw new RuleError('E101', '`logsource` must list log families', posOf(y, m));
  if (fams.includes(EVENT_LOGSOURCE)) {
    if (fams.length > 1) throw new RuleError('E102', '`evtx` cannot be combined with log families', posOf(y, entry(m, 'logsource')?.value));
    return [];
  }
  for (const f of fams) {
    if (!(LOG_FAMILIES as readonly string[]).includes(f)) {
      throw new RuleError('E102', `unknown log family \`${f}\` (known: ${LOG_FAMILIES.join(', ')})`, posOf(y, entry(m, 'logsource')?.value));
    }
  }
  return fams as LogFamily[];
}

/** Compiles one own-format rule document; throws RuleError on the first problem. */
export function compileOwnRule(y: YamlFile, m: YAMLMap, warnings: Diagnostic[]): BuiltinRule {
  for (const { name, key } of keysOf(m)) {
    if (!(OWN_KEYS as readonly string[]).includes(name)) warnings.push(diag('W102', `unknown key \`${name}\``, y.file, posOf(y, key)));
  }
  const id = str(y, m, 'id', true) as string;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new RuleError('E102', '`id` must be lower-case letters, digits, `.`, `_`, `-`', posOf(y, entry(m, 'id')?.value));
  const author = str(y, m, 'author', true) as string;
  const refs = strList(y, m, 'references');
  if (!refs.length) warnings.push(diag('W101', '`references` is empty', y.file, posOf(y, m)));
  for (const c of strList(y, m, 'cves')) {
    if (!/^CVE-\d{4}-\d{4,}$/.test(c)) throw new RuleError('E102', `not a CVE id: \`${c}\``, posOf(y, entry(m, 'cves')?.value));
  }
  const det = mapAt(y, m, 'detection', true) as YAMLMap;
  const fams = families(y, m);
  const detection = compileDetection(y, det, { placeholders: placeholders(y, m), encodedFields: ENCODED_FIELDS });
  return {
    kind: 'builtin',
    meta: {
      id,
      title: str(y, m, 'title', true) as string,
      description: str(y, m, 'description', false) ?? '',
      author,
      license: str(y, m, 'license', false) ?? 'Apache-2.0',
      refs,
      cves: strList(y, m, 'cves'),
      attack: strList(y, m, 'attack'),
      severity: oneOf<Severity>(y, m, 'severity', SEVERITIES, null),
      confidence: oneOf<Confidence>(y, m, 'confidence', CONFIDENCES, 'medium'),
      category: oneOf<Category>(y, m, 'category', CATEGORIES, 'exploitation'),
      origin: { file: y.file, line: posOf(y, m)?.line ?? 1 },
    },
    families: fams,
    detection,
    severityByStatus: statusSeverity(y, m),
    ...(usesDerived(detection.fields) ? { mapping: DERIVED_FIELDS } : {}),
    ...(fams.length ? {} : { events: ALL_EVENTS }),
  };
}

/** True when a document is in our own format: `logsource` is a family name or list of them. */
export function isOwnRule(m: unknown): m is YAMLMap {
  if (!isMap(m)) return false;
  const ls = entry(m, 'logsource');
  return ls !== null && !isMap(ls.value);
}
