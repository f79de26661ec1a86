/**
 * Rule conditions into closures. Values follow YARA: integers, strings, booleans and
 * `undefined` (an out-of-range `@s[i]`, a read past the end, a division by zero); any
 * arithmetic or comparison with undefined is undefined, `not undefined` is undefined, and
 * undefined counts as false in `and`/`or`, quantifiers and at the top. Integers are JS numbers
 * (exact to 2^53); bitwise operators and shifts work on 64-bit two's complement.
 * String matches are computed on first use (ctx.matches), so a condition that fails early
 * never runs the expressions of the strings it did not reach.
 */
import type { ArithOp, CmpOp, Expr, IntFn, Quant, Re } from './ast.js';
import { toJsSource } from './regex-js.js';

export type Value = number | string | boolean | undefined;

export interface Matches {
  readonly offs: readonly number[];
  readonly lens: readonly number[];
}

export interface EvalCtx {
  readonly data: Uint8Array;
  readonly ext: Readonly<Record<string, string>>;
  readonly vars: number[];
  /** Global index of the string `$` stands for inside `for … of`. */
  cur: number;
  matches(global: number): Matches;
  rule(id: number): boolean;
}

export type Fn = (c: EvalCtx) => Value;

export function truthy(v: Value): boolean {
  if (v === undefined) return false;
  if (typeof v === 'string') return v.length > 0;
  return v !== 0 && v !== false;
}

const num = (v: Value): number | undefined => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : undefined);

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function big(a: number, b: number, op: ArithOp): number {
  const x = BigInt.asIntN(64, BigInt(a));
  const y = BigInt.asIntN(64, BigInt(b));
  let r: bigint;
  switch (op) {
    case '&':
      r = x & y;
      break;
    case '|':
      r = x | y;
      break;
    case '^':
      r = x ^ y;
      break;
    case '<<':
      r = y >= 64n ? 0n : x << y;
      break;
    default:
      r = y >= 64n ? (x < 0n ? -1n : 0n) : x >> y;
  }
  return Number(BigInt.asIntN(64, r));
}

function arith(op: ArithOp, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '\\':
      return b === 0 ? undefined : Math.trunc(a / b);
    case '%':
      return b === 0 ? undefined : a % b;
    case '<<':
    case '>>':
      if (b < 0) return undefined;
      return big(a, b, op);
    default:
      return big(a, b, op);
  }
}

function compare(op: CmpOp, a: Value, b: Value): Value {
  if (a === undefined || b === undefined) return undefined;
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a !== 'string' || typeof b !== 'string') return undefined;
    switch (op) {
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
      case 'contains':
        return a.includes(b);
      case 'icontains':
        return asciiLower(a).includes(asciiLower(b));
      case 'startswith':
        return a.startsWith(b);
      case 'istartswith':
        return asciiLower(a).startsWith(asciiLower(b));
      case 'endswith':
        return a.endsWith(b);
      case 'iendswith':
        return asciiLower(a).endsWith(asciiLower(b));
      case 'iequals':
        return asciiLower(a) === asciiLower(b);
    }
  }
  const x = num(a) as number;
  const y = num(b) as number;
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return undefined;
  }
}

function readInt(fn: IntFn, d: Uint8Array, off: number): number | undefined {
  const size = fn.includes('8') ? 1 : fn.includes('16') ? 2 : 4;
  if (!Number.isInteger(off) || off < 0 || off + size > d.length) return undefined;
  const be = fn.endsWith('be');
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + (d[be ? off + i : off + size - 1 - i] as number);
  if (fn.startsWith('int') && v >= 2 ** (size * 8 - 1)) v -= 2 ** (size * 8);
  return v;
}

/** How many of `n` members must hold: returns a predicate on (count, n). */
function quantNeed(q: Quant, compileExpr: (e: Expr) => Fn): (c: EvalCtx, n: number) => number | undefined {
  switch (q.q) {
    case 'all':
      return (_c, n) => n;
    case 'any':
      return () => 1;
    case 'none':
      return () => 0;
    case 'num': {
      const f = compileExpr(q.e);
      return (c) => num(f(c));
    }
    case 'pct': {
      const f = compileExpr(q.e);
      return (c, n) => {
        const p = num(f(c));
        return p === undefined ? undefined : Math.ceil((p * n) / 100);
      };
    }
  }
}

/** Evaluates members one by one; `none` needs zero true, the others at least `need`. */
function quantify(q: Quant, need: number, n: number, member: (i: number) => boolean): boolean {
  let count = 0;
  if (q.q === 'none') {
    for (let i = 0; i < n; i++) if (member(i)) return false;
    return true;
  }
  if (need <= 0 && q.q !== 'all') return true;
  for (let i = 0; i < n; i++) {
    if (member(i)) {
      if (++count >= need && q.q !== 'all') return true;
    } else if (q.q === 'all') return false;
    if (q.q !== 'all' && count + (n - i - 1) < need) return false;
  }
  return q.q === 'all' ? true : count >= need;
}

export interface CompileEnv {
  /** Global index of the rule's string `idx` (rule-local). */
  readonly base: number;
}

export function compileRegexTest(re: Re): RegExp {
  return new RegExp(toJsSource(re));
}

export function compileCondition(root: Expr, env: CompileEnv): Fn {
  const sref = (s: number): ((c: EvalCtx) => number) => (s < 0 ? (c) => c.cur : () => env.base + s);

  const comp = (e: Expr): Fn => {
    switch (e.k) {
      case 'bool': {
        const v = e.v;
        return () => v;
      }
      case 'num': {
        const v = e.v;
        return () => v;
      }
      case 'str': {
        const v = e.v;
        return () => v;
      }
      case 'filesize':
        return (c) => c.data.length;
      case 'and': {
        const a = comp(e.a);
        const b = comp(e.b);
        return (c) => truthy(a(c)) && truthy(b(c));
      }
      case 'or': {
        const a = comp(e.a);
        const b = comp(e.b);
        return (c) => truthy(a(c)) || truthy(b(c));
      }
      case 'not': {
        const a = comp(e.a);
        return (c) => {
          const v = a(c);
          return v === undefined ? undefined : !truthy(v);
        };
      }
      case 'cmp': {
        const a = comp(e.a);
        const b = comp(e.b);
        const op = e.op;
        return (c) => compare(op, a(c), b(c));
      }
      case 'matches': {
        const a = comp(e.a);
        const re = compileRegexTest(e.re);
        return (c) => {
          const v = a(c);
          return typeof v === 'string' ? re.test(v) : undefined;
        };
      }
      case 'arith': {
        const a = comp(e.a);
        const b = comp(e.b);
        const op = e.op;
        return (c) => {
          const x = num(a(c));
          const y = num(b(c));
          return x === undefined || y === undefined ? undefined : arith(op, x, y);
        };
      }
      case 'neg': {
        const a = comp(e.a);
        return (c) => {
          const x = num(a(c));
          return x === undefined ? undefined : -x;
        };
      }
      case 'bnot': {
        const a = comp(e.a);
        return (c) => {
          const x = num(a(c));
          return x === undefined ? undefined : Number(BigInt.asIntN(64, ~BigInt(x)));
        };
      }
      case 'present': {
        const s = sref(e.s);
        return (c) => c.matches(s(c)).offs.length > 0;
      }
      case 'at': {
        const s = sref(e.s);
        const at = comp(e.at);
        return (c) => {
          const x = num(at(c));
          if (x === undefined) return undefined;
          return c.matches(s(c)).offs.includes(x);
        };
      }
      case 'in':
      case 'count_in': {
        const s = sref(e.s);
        const lo = comp(e.lo);
        const hi = comp(e.hi);
        const count = e.k === 'count_in';
        return (c) => {
          const a = num(lo(c));
          const b = num(hi(c));
          if (a === undefined || b === undefined) return undefined;
          let n = 0;
          for (const o of c.matches(s(c)).offs) {
            if (o >= a && o <= b) {
              if (!count) return true;
              n++;
            }
          }
          return count ? n : false;
        };
      }
      case 'count': {
        const s = sref(e.s);
        return (c) => c.matches(s(c)).offs.length;
      }
      case 'offset':
      case 'length': {
        const s = sref(e.s);
        const idx = comp(e.idx);
        const off = e.k === 'offset';
        return (c) => {
          const i = num(idx(c));
          if (i === undefined || i < 1) return undefined;
          const m = c.matches(s(c));
          return (off ? m.offs : m.lens)[i - 1];
        };
      }
      case 'int': {
        const at = comp(e.at);
        const fn = e.fn;
        return (c) => {
          const x = num(at(c));
          return x === undefined ? undefined : readInt(fn, c.data, x);
        };
      }
      case 'rule': {
        const id = e.id;
        return (c) => c.rule(id);
      }
      case 'ext': {
        const name = e.name;
        return (c) => c.ext[name] ?? '';
      }
      case 'var': {
        const slot = e.slot;
        return (c) => c.vars[slot];
      }
      case 'of': {
        const need = quantNeed(e.quant, comp);
        const q = e.quant;
        const set = e.set.map((s) => env.base + s);
        const lo = e.lo ? comp(e.lo) : null;
        const hi = e.hi ? comp(e.hi) : null;
        const at = e.at ? comp(e.at) : null;
        return (c) => {
          const n = need(c, set.length);
          if (n === undefined) return undefined;
          let member: (i: number) => boolean;
          if (lo && hi) {
            const a = num(lo(c));
            const b = num(hi(c));
            if (a === undefined || b === undefined) return undefined;
            member = (i) => c.matches(set[i] as number).offs.some((o) => o >= a && o <= b);
          } else if (at) {
            const x = num(at(c));
            if (x === undefined) return undefined;
            member = (i) => c.matches(set[i] as number).offs.includes(x);
          } else member = (i) => c.matches(set[i] as number).offs.length > 0;
          return quantify(q, n, set.length, member);
        };
      }
      case 'of_rules': {
        const need = quantNeed(e.quant, comp);
        const q = e.quant;
        const rules = e.rules;
        return (c) => {
          const n = need(c, rules.length);
          if (n === undefined) return undefined;
          return quantify(q, n, rules.length, (i) => c.rule(rules[i] as number));
        };
      }
      case 'for_of': {
        const need = quantNeed(e.quant, comp);
        const q = e.quant;
        const set = e.set.map((s) => env.base + s);
        const body = comp(e.body);
        return (c) => {
          const n = need(c, set.length);
          if (n === undefined) return undefined;
          const saved = c.cur;
          try {
            return quantify(q, n, set.length, (i) => {
              c.cur = set[i] as number;
              return truthy(body(c));
            });
          } finally {
            c.cur = saved;
          }
        };
      }
      case 'for_in': {
        const need = quantNeed(e.quant, comp);
        const q = e.quant;
        const slot = e.slot;
        const lo = e.lo ? comp(e.lo) : null;
        const hi = e.hi ? comp(e.hi) : null;
        const list = e.list ? e.list.map(comp) : null;
        const body = comp(e.body);
        return (c) => {
          let items: (number | undefined)[];
          if (lo && hi) {
            const a = num(lo(c));
            const b = num(hi(c));
            if (a === undefined || b === undefined) return undefined;
            items = [];
            // Ranges come from file data (#s, @s[i]): the loop is lazy, not an array of the range.
            const size = b >= a ? b - a + 1 : 0;
            const n = need(c, size);
            if (n === undefined) return undefined;
            const saved = c.vars[slot];
            try {
              return quantify(q, n, size, (i) => {
                c.vars[slot] = a + i;
                return truthy(body(c));
              });
            } finally {
              c.vars[slot] = saved as number;
            }
          }
          items = (list ?? []).map((f) => num(f(c)));
          const n = need(c, items.length);
          if (n === undefined) return undefined;
          const saved = c.vars[slot];
          try {
            return quantify(q, n, items.length, (i) => {
              const v = items[i];
              if (v === undefined) return false;
              c.vars[slot] = v;
              return truthy(body(c));
            });
          } finally {
            c.vars[slot] = saved as number;
          }
        };
      }
    }
  };
  return comp(root);
}
