/**
 * Derived fields own rules may name besides the record's own (content/rules/README.md):
 * values computed from a record where the logged text is not what an indicator is about.
 * - `uri-decoded` (IIS, HttpProxy): stem `?` query, percent-decoded once (percent-decode.ts);
 *   `stem-decoded`, `query-decoded`: the stem or the query alone, decoded.
 * - `temp-file`, `temp-file-check` (OAB generator log): the path of a "Download failed and
 *   temporary file" line and its judgement against the install's OAB folder (oab-temp-path.ts).
 * Only rules that name one get these (the others read the record's fields directly).
 */
import type { FieldMapping, FieldSource } from '../types.js';

const decoded = (names: string[], separator: string): FieldSource => ({ kind: 'decoded', names, separator });

export const DERIVED_FIELDS: FieldMapping = {
  iis: new Map<string, FieldSource>([
    ['uri-decoded', decoded(['cs-uri-stem', 'cs-uri-query'], '?')],
    ['stem-decoded', decoded(['cs-uri-stem'], '')],
    ['query-decoded', decoded(['cs-uri-query'], '')],
  ]),
  httpproxy: new Map<string, FieldSource>([
    ['uri-decoded', decoded(['UrlStem', 'UrlQuery'], '?')],
    ['stem-decoded', decoded(['UrlStem'], '')],
    ['query-decoded', decoded(['UrlQuery'], '')],
  ]),
  oab: new Map<string, FieldSource>([
    ['temp-file', { kind: 'oab-temp', part: 'path' }],
    ['temp-file-check', { kind: 'oab-temp', part: 'check' }],
  ]),
};

/** Derived fields whose logged text may differ from the value (for the line pre-screen). */
export const ENCODED_FIELDS: ReadonlySet<string> = new Set(['uri-decoded', 'stem-decoded', 'query-decoded']);

/** Whether a detection reading `fields` needs the derived fields. */
export function usesDerived(fields: readonly string[]): boolean {
  const names = new Set(Object.values(DERIVED_FIELDS).flatMap((m) => [...(m?.keys() ?? [])]));
  return fields.some((f) => names.has(f.toLowerCase()));
}
