/**
 * Line gates (LineGate in ../types.ts): necessary conditions in disjunctive normal form over
 * literals — the record can only match when every literal of some term occurs (lower-cased)
 * in its field values. Finer than the prefilter, which keeps one literal per alternative:
 * `cs-uri-stem|startswith: '/ecp/'` and `cs-uri-stem|contains|all: ['@', '.svc/']` give the
 * term [`/ecp/`, `@`, `.svc/`], where the prefilter keeps `/ecp/` alone. Only a gate: a term
 * may hold fewer literals than the rule needs, never one it does not need.
 */
import type { LineGate, Prefilter } from '../types.js';

/** Past this many terms an AND keeps one operand's gate instead of the full product. */
const MAX_TERMS = 64;

/** The gate a prefilter implies: one single-literal term per literal. */
export function gateOf(pf: Prefilter): LineGate {
  return pf === null ? null : pf.flatMap((alt) => alt.literals.map((l) => [l]));
}

/** OR: the union of the terms; unknown when any operand is unknown. */
export function gateOr(gates: readonly LineGate[]): LineGate {
  if (gates.some((g) => g === null)) return null;
  return simplify((gates as (readonly (readonly string[])[])[]).flat());
}

/** AND: every combination of one term per known operand; unknown operands add nothing. */
export function gateAnd(gates: readonly LineGate[]): LineGate {
  const known = gates.filter((g): g is readonly (readonly string[])[] => g !== null);
  if (known.length === 0) return null;
  let terms: (readonly string[])[] = [[]];
  for (const g of known) {
    if (terms.length * g.length > MAX_TERMS) return fewest(known);
    terms = terms.flatMap((t) => g.map((u) => [...new Set([...t, ...u])]));
  }
  return simplify(terms);
}

/** The operand with the fewest terms (any operand of an AND is a valid gate by itself). */
function fewest(gates: readonly (readonly (readonly string[])[])[]): LineGate {
  return gates.reduce((a, b) => (b.length < a.length ? b : a));
}

/**
 * Drops terms implied by another: a term whose every literal lies inside some literal of a
 * longer term admits every record that term admits (A or (A and B) = A).
 */
function simplify(terms: readonly (readonly string[])[]): (readonly string[])[] {
  const out: (readonly string[])[] = [];
  const sorted = [...terms].sort((a, b) => a.length - b.length);
  for (const t of sorted) {
    if (out.some((k) => covers(k, t))) continue;
    out.push(t);
  }
  return out;
}

/** Whether every record that satisfies `t` also satisfies `k`. */
function covers(k: readonly string[], t: readonly string[]): boolean {
  return k.every((lit) => t.some((x) => x.includes(lit)));
}
