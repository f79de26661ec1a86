/**
 * The Sigma condition grammar: `and`, `or`, `not`, parentheses, `1 of x*`, `all of x*`,
 * `1 of them`, `all of them` (identifiers starting with `_` are left out of `them`).
 * Precedence: not > and > or. Aggregations (`| count() ...`) and `near` are not supported.
 */
import { RuleError, type Pos } from '../diagnostics.js';

export type Cond =
  | { readonly op: 'and' | 'or'; readonly items: readonly Cond[] }
  | { readonly op: 'not'; readonly item: Cond }
  | { readonly op: 'id'; readonly name: string; readonly at: number }
  | { readonly op: 'of'; readonly quant: 'all' | number; readonly pattern: string; readonly at: number };

interface Token {
  readonly text: string;
  readonly at: number;
}

function tokenize(src: string, base: Pos | null): Token[] {
  const out: Token[] = [];
  const re = /\s+|\(|\)|[^\s()]+/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (/^\s+$/.test(m[0])) continue;
    if (m[0].startsWith('|')) {
      throw new RuleError('E203', 'aggregations (`| count() ...`) are not supported', shift(base, m.index));
    }
    if (m[0].toLowerCase() === 'near') throw new RuleError('E203', '`near` is not supported', shift(base, m.index));
    out.push({ text: m[0], at: m.index });
  }
  return out;
}

function shift(base: Pos | null, at: number): Pos | null {
  return base ? { line: base.line, column: base.column + at } : null;
}

/** Parses a condition string; positions in errors are relative to `base` (the scalar's start). */
export function parseCondition(src: string, base: Pos | null): Cond {
  const toks = tokenize(src, base);
  let i = 0;
  const peek = (): string | undefined => toks[i]?.text.toLowerCase();
  const err = (msg: string): RuleError => new RuleError('E201', msg, shift(base, toks[i]?.at ?? src.length));
  const expr = (): Cond => {
    const items = [term()];
    while (peek() === 'or') {
      i++;
      items.push(term());
    }
    return items.length === 1 ? (items[0] as Cond) : { op: 'or', items };
  };
  const term = (): Cond => {
    const items = [factor()];
    while (peek() === 'and') {
      i++;
      items.push(factor());
    }
    return items.length === 1 ? (items[0] as Cond) : { op: 'and', items };
  };
  const factor = (): Cond => {
    const t = toks[i];
    const w = peek();
    if (!t || w === undefined) throw err('condition ends too early');
    if (w === 'not') {
      i++;
      return { op: 'not', item: factor() };
    }
    if (w === '(') {
      i++;
      const e = expr();
      if (peek() !== ')') throw err('expected `)`');
      i++;
      return e;
    }
    if (toks[i + 1]?.text.toLowerCase() === 'of' && (w === 'all' || w === 'any' || /^\d+$/.test(w))) {
      const target = toks[i + 2];
      if (!target || /^[()]$/.test(target.text)) throw err('expected an identifier pattern or `them` after `of`');
      i += 3;
      const quant = w === 'all' ? 'all' : w === 'any' ? 1 : Number(w);
      if (quant === 0) throw new RuleError('E201', '`0 of` matches nothing', shift(base, t.at));
      return { op: 'of', quant, pattern: target.text, at: t.at };
    }
    if (w === ')' || w === 'and' || w === 'or' || w === 'of') throw err(`unexpected \`${t.text}\``);
    if (!/^[\w.*-]+$/.test(t.text)) throw err(`not a search identifier: \`${t.text}\``);
    i++;
    return { op: 'id', name: t.text, at: t.at };
  };
  const c = expr();
  if (i < toks.length) throw err(`unexpected \`${toks[i]?.text ?? ''}\``);
  return c;
}

/** Identifiers an `of` pattern names: `them` (all but `_…`), or a pattern with `*` wildcards. */
export function expandOf(pattern: string, ids: readonly string[]): string[] {
  if (pattern.toLowerCase() === 'them') return ids.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
  return ids.filter((n) => re.test(n));
}
