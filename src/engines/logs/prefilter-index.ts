/**
 * The matcher's first pass: all rules' prefilter literals of one rule group, indexed by the
 * field they must appear in. Per record, each indexed field is lower-cased once and tested
 * against one alternation of all its literals; only when that hits are the literals checked
 * one by one to mark which rules remain candidates. Rules without a prefilter are always
 * candidates. Most records hit nothing and cost one regex test per indexed field.
 * The gate runs case-insensitively on the original value (no lower-casing per record); any
 * non-ASCII character opens the gate, since JavaScript's /i folding and toLowerCase differ
 * outside ASCII (e.g. U+212A KELVIN SIGN) and the gate must never drop a real match.
 */
import type { FieldView, LogRule } from '../../rules/types.js';

interface FieldIndex {
  readonly field: string | null;
  readonly any: RegExp;
  readonly entries: readonly { readonly lit: string; readonly rule: number }[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export class PrefilterIndex {
  private readonly fields: FieldIndex[];
  private readonly always: readonly boolean[];
  private readonly stamp: Uint32Array;
  private gen = 0;

  constructor(rules: readonly LogRule[]) {
    const byField = new Map<string | null, { lit: string; rule: number }[]>();
    this.always = rules.map((r) => r.detection.prefilter === null);
    rules.forEach((r, i) => {
      for (const alt of r.detection.prefilter ?? []) {
        const list = byField.get(alt.field) ?? [];
        for (const lit of alt.literals) list.push({ lit, rule: i });
        byField.set(alt.field, list);
      }
    });
    this.fields = [...byField].map(([field, entries]) => ({
      field,
      // Longest first, so the alternation prefers the most specific literal (only a gate).
      any: new RegExp(
        [...[...new Set(entries.map((e) => e.lit))].sort((a, b) => b.length - a.length).map(escapeRe), '[^\\x00-\\x7f]'].join('|'),
        'i',
      ),
      entries,
    }));
    this.stamp = new Uint32Array(rules.length);
  }

  /** Marks the candidate rules for the record behind `view`; then use `isCandidate`. */
  scan(view: FieldView): void {
    this.gen = (this.gen + 1) >>> 0 || 1;
    const gen = this.gen;
    for (const f of this.fields) {
      const raw = f.field === null ? view.text() : view.get(f.field);
      if (raw === undefined || !f.any.test(raw)) continue;
      const s = (f.field === null ? view.textLower() : view.lower(f.field)) as string;
      for (const e of f.entries) {
        if (this.stamp[e.rule] !== gen && s.includes(e.lit)) this.stamp[e.rule] = gen;
      }
    }
  }

  isCandidate(rule: number): boolean {
    return this.always[rule] === true || this.stamp[rule] === this.gen;
  }
}
