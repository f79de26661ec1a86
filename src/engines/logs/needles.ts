/**
 * Line pre-screen literals ("needles") for the parsers' `needles` option: for one log family,
 * literals such that every line a rule of that family can match contains at least one of them
 * (ASCII case-insensitive, searched in the raw line before parsing). Derived from the rules'
 * prefilters, cut where the raw line may differ from the parsed value: spaces (IIS writes `+`
 * in user agents; keyword text joins fields with spaces), `?` (mapped fields join stem and
 * query), `+`, `"` (CSV doubles quotes), `,`, and any non-ASCII character (the pre-screen
 * folds ASCII case only). Null when some rule has no prefilter: then every line is parsed.
 * Where a rule's line gate (src/rules/detection/gate.ts) needs several literals together, the
 * screen keeps them as a term, and a line with a needle but no whole term is dropped too.
 */
import { gateOf, gateOr } from '../../rules/detection/gate.js';
import type { LogRule } from '../../rules/types.js';
import type { LineScreen } from '../../parsers/logs/types.js';

const CUT = /[\s?+",]|[^\x00-\x7f]/;

/** The longest piece of `lit` that survives into the raw line unchanged, or '' when none. */
export function rawPiece(lit: string): string {
  let best = '';
  for (const p of lit.split(CUT)) if (p.length > best.length) best = p;
  return best;
}

/**
 * The line screen for `rules` (one family's): the rules' line gates (or prefilters) as raw
 * pieces. Needles: each term's longest piece, those containing a shorter one dropped (the
 * shorter one already admits the line). Terms: a needle line is kept only if it holds every
 * piece of some term. Null when some rule has no gate: then every line is parsed.
 */
export function screenOf(rules: readonly LogRule[]): LineScreen | null {
  const gates = rules.map((r) => r.detection.lineGate ?? gateOf(r.detection.prefilter));
  const all = gateOr(gates);
  if (all === null) return null;
  const terms: string[][] = [];
  for (const t of all) {
    const pieces = [...new Set(t.map((l) => rawPiece(l.toLowerCase())).filter((p) => p !== ''))];
    if (pieces.length === 0) return null;
    terms.push(pieces.sort((a, b) => b.length - a.length));
  }
  const anchors = [...new Set(terms.map((t) => t[0] as string))].sort((a, b) => a.length - b.length);
  const needles: string[] = [];
  for (const p of anchors) if (!needles.some((k) => p.includes(k))) needles.push(p);
  // Single-piece terms first: they settle most kept lines with one search.
  const ordered = (gateOr([terms]) ?? terms).map((t) => [...t]).sort((a, b) => a.length - b.length);
  return { needles, terms: ordered };
}

export function needlesOf(rules: readonly LogRule[]): string[] | null {
  const s = screenOf(rules);
  return s === null ? null : [...s.needles];
}
