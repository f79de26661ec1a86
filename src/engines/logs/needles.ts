/**
 * Line pre-screen literals ("needles") for the parsers' `needles` option: for one log family,
 * literals such that every line a rule of that family can match contains at least one of them
 * (ASCII case-insensitive, searched in the raw line before parsing). Derived from the rules'
 * prefilters, cut where the raw line may differ from the parsed value: spaces (IIS writes `+`
 * in user agents; keyword text joins fields with spaces), `?` (mapped fields join stem and
 * query), `+`, `"` (CSV doubles quotes), `,`, and any non-ASCII character (the pre-screen
 * folds ASCII case only). Null when some rule has no prefilter: then every line is parsed.
 */
import type { LogRule } from '../../rules/types.js';

const CUT = /[\s?+",]|[^\x00-\x7f]/;

/** The longest piece of `lit` that survives into the raw line unchanged, or '' when none. */
export function rawPiece(lit: string): string {
  let best = '';
  for (const p of lit.split(CUT)) if (p.length > best.length) best = p;
  return best;
}

export function needlesOf(rules: readonly LogRule[]): string[] | null {
  const pieces = new Set<string>();
  for (const r of rules) {
    const pf = r.detection.prefilter;
    if (pf === null) return null;
    for (const alt of pf) {
      for (const lit of alt.literals) {
        const p = rawPiece(lit.toLowerCase());
        if (p === '') return null;
        pieces.add(p);
      }
    }
  }
  // A needle that contains another needle adds nothing: the shorter one already admits the line.
  const sorted = [...pieces].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.includes(k))) kept.push(p);
  return kept;
}
