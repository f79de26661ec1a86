/** YAML rule files with source positions: every node can tell its file:line:column. */
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLMap } from 'yaml';
import { diag, RuleError, type Pos } from './diagnostics.js';
import type { Diagnostic } from './types.js';

export interface YamlFile {
  readonly file: string;
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
  readonly lines: LineCounter;
}

export function parseYamlFile(file: string, text: string): { yaml: YamlFile; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) {
    for (const e of d.errors) {
      const p = lines.linePos(e.pos[0]);
      diagnostics.push(diag('E002', e.message.split('\n')[0] ?? e.message, file, { line: p.line, column: p.col }));
    }
  }
  return { yaml: { file, text, docs: list.filter((d) => d.contents !== null), lines }, diagnostics };
}

export function posOf(y: YamlFile, node: unknown): Pos | null {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return null;
  const p = y.lines.linePos(range[0]);
  return { line: p.line, column: p.col };
}

/** The value node under `key` in a map, with the key node (for positions). */
export function entry(map: YAMLMap, key: string): { key: Node; value: unknown } | null {
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return { key: pair.key, value: pair.value };
  }
  return null;
}

export function keysOf(map: YAMLMap): { name: string; key: Node; value: unknown }[] {
  return map.items.flatMap((p) => (isScalar(p.key) ? [{ name: String(p.key.value), key: p.key, value: p.value }] : []));
}

export function str(y: YamlFile, map: YAMLMap, key: string, required: boolean): string | null {
  const e = entry(map, key);
  if (!e || e.value === null || (isScalar(e.value) && e.value.value === null)) {
    if (required) throw new RuleError('E101', `\`${key}\` is required`, posOf(y, map));
    return null;
  }
  const v: unknown = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    throw new RuleError('E101', `\`${key}\` must be a string`, posOf(y, e.value ?? e.key));
  }
  return String(v);
}

/** A string or list of strings under `key` (absent → []). */
export function strList(y: YamlFile, map: YAMLMap, key: string): string[] {
  const e = entry(map, key);
  if (!e || e.value === null) return [];
  const plain = (n: unknown): string | null => {
    const v: unknown = isScalar(n) ? n.value : undefined;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
  };
  if (isScalar(e.value) && e.value.value === null) return [];
  const one = plain(e.value);
  if (one !== null) return [one];
  if (isSeq(e.value)) {
    return e.value.items.map((it) => {
      const s = plain(it);
      if (s === null) throw new RuleError('E101', `\`${key}\` must be a list of strings`, posOf(y, it));
      return s;
    });
  }
  throw new RuleError('E101', `\`${key}\` must be a string or a list of strings`, posOf(y, e.value));
}

export function mapAt(y: YamlFile, map: YAMLMap, key: string, required: boolean): YAMLMap | null {
  const e = entry(map, key);
  if (!e) {
    if (required) throw new RuleError('E101', `\`${key}\` is required`, posOf(y, map));
    return null;
  }
  if (!isMap(e.value)) throw new RuleError('E101', `\`${key}\` must be a mapping`, posOf(y, e.value ?? e.key));
  return e.value;
}
