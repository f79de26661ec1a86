/**
 * A parser for the subset of the STIX 2.1 patterning language that exhunt can evaluate
 * (STIX 2.1 spec, section 9 "STIX Patterning"): observation expressions `[...]` joined by OR/AND,
 * comparison expressions joined by OR/AND, `=` comparisons against string literals. Everything
 * else that is valid STIX (other operators, FOLLOWEDBY, qualifiers, other object paths) parses
 * but is reported as unsupported with the reason; a syntax error is an error.
 */
import type { IocType } from './types.js';

export interface Term { readonly type: IocType; readonly value: string }
/** Alternatives: any one of them matching means the pattern matches. */
export type Evaluation = { readonly ok: true; readonly terms: readonly Term[] } | { readonly ok: false; readonly reason: string };

export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

/** Object paths exhunt applies, and the indicator type each becomes. */
const PATHS: Readonly<Record<string, IocType>> = {
  "file:hashes.'sha-256'": 'sha256', 'file:hashes.sha256': 'sha256',
  "file:hashes.'sha-1'": 'sha1', 'file:hashes.sha1': 'sha1',
  "file:hashes.md5": 'md5', "file:hashes.'md5'": 'md5',
  'file:name': 'filename',
  'ipv4-addr:value': 'ip', 'ipv6-addr:value': 'ip',
  'domain-name:value': 'domain', 'url:value': 'url',
};

type Tok = { k: 'str' | 'word' | 'punct' | 'num'; v: string };

const TOKEN = /\s*(?:'((?:[^'\\]|\\.)*)'|([A-Za-z_][\w-]*(?::[\w-]+)?)|(\d+(?:\.\d+)?)|(!=|<=|>=|[[\]().=<>:,*]))/y;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (m === null) throw new PatternSyntaxError(`unexpected character at position ${pos + 1}`);
    if (m[1] !== undefined) out.push({ k: 'str', v: m[1].replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) out.push({ k: 'word', v: m[2] });
    else if (m[3] !== undefined) out.push({ k: 'num', v: m[3] });
    else out.push({ k: 'punct', v: m[4] ?? '' });
    pos = TOKEN.lastIndex;
  }
  return out;
}

/** Recursive descent over the token list; each level returns an Evaluation. */
class Parser {
  private i = 0;
  constructor(private readonly toks: readonly Tok[]) {}

  private peek(): Tok | undefined { return this.toks[this.i]; }
  private isWord(w: string): boolean { const t = this.peek(); return t?.k === 'word' && t.v.toUpperCase() === w; }
  private expect(v: string): void {
    const t = this.toks[this.i++];
    if (t?.v !== v) throw new PatternSyntaxError(`expected '${v}' but found ${t === undefined ? 'end of pattern' : `'${t.v}'`}`);
  }

  parse(): Evaluation {
    const e = this.pattern();
    if (this.i < this.toks.length) throw new PatternSyntaxError(`unexpected '${this.toks[this.i]?.v ?? ''}'`);
    return e;
  }

  private pattern(): Evaluation {
    let left = this.observation();
    for (;;) {
      const op = ['OR', 'AND', 'FOLLOWEDBY'].find((w) => this.isWord(w));
      if (op === undefined) return left;
      this.i++;
      const right = this.observation();
      left = op === 'OR' ? or(left, right) : { ok: false, reason: `${op} between observations cannot be evaluated per file or log line` };
    }
  }

  private observation(): Evaluation {
    let e: Evaluation;
    if (this.peek()?.v === '(') { this.i++; e = this.pattern(); this.expect(')'); }
    else { this.expect('['); e = this.comparisons(); this.expect(']'); }
    while (['WITHIN', 'REPEATS', 'START'].some((w) => this.isWord(w))) e = this.qualifier();
    return e;
  }

  /** WITHIN n SECONDS | REPEATS n TIMES | START t'..' STOP t'..' (parsed, never evaluated). */
  private qualifier(): Evaluation {
    const w = this.peek()?.v.toUpperCase() ?? '';
    this.i++;
    const shape = w === 'START' ? ['t', 'str', 'STOP', 't', 'str'] : ['num', w === 'WITHIN' ? 'SECONDS' : 'TIMES'];
    for (const want of shape) {
      const t = this.toks[this.i++];
      const fits = want === 'str' || want === 'num' ? t?.k === want : t?.v.toUpperCase() === want.toUpperCase();
      if (!fits) throw new PatternSyntaxError(`malformed ${w} qualifier near ${t === undefined ? 'end of pattern' : `'${t.v}'`}`);
    }
    return { ok: false, reason: `qualifier ${w} cannot be evaluated` };
  }

  private comparisons(): Evaluation {
    let left = this.comparison();
    for (;;) {
      const op = ['OR', 'AND'].find((w) => this.isWord(w));
      if (op === undefined) return left;
      this.i++;
      const right = this.comparison();
      left = op === 'OR' ? or(left, right) : and(left, right);
    }
  }

  private comparison(): Evaluation {
    if (this.peek()?.v === '(') { this.i++; const e = this.comparisons(); this.expect(')'); return e; }
    const path = this.objectPath();
    const negated = this.isWord('NOT');
    if (negated) this.i++;
    const opTok = this.toks[this.i++];
    if (opTok === undefined) throw new PatternSyntaxError('comparison without operator');
    const op = opTok.v.toUpperCase();
    const value = this.literal();
    const type = PATHS[path.toLowerCase()];
    if (type === undefined) return { ok: false, reason: `object path ${path} is not applied by exhunt` };
    if (negated || op !== '=') return { ok: false, reason: `operator ${negated ? 'NOT ' : ''}${op} on ${path} is not supported` };
    if (value === null) return { ok: false, reason: `non-string value for ${path}` };
    return { ok: true, terms: [{ type, value }] };
  }

  private objectPath(): string {
    const t = this.toks[this.i++];
    if (t?.k !== 'word' || !t.v.includes(':')) throw new PatternSyntaxError(`expected an object path but found ${t === undefined ? 'end of pattern' : `'${t.v}'`}`);
    let path = t.v;
    for (;;) {
      const n = this.peek();
      if (n?.v === '.') {
        this.i++;
        const p = this.toks[this.i++];
        if (p === undefined || (p.k !== 'word' && p.k !== 'str')) throw new PatternSyntaxError(`bad property after '.' in ${path}`);
        path += p.k === 'str' ? `.'${p.v}'` : `.${p.v}`;
      } else if (n?.v === '[') {
        this.i++;
        const idx = this.toks[this.i++];
        this.expect(']');
        path += `[${idx?.v ?? ''}]`;
      } else return path;
    }
  }

  /** A string literal's value; null for other literals (numbers, lists, b'', h'', t''). */
  private literal(): string | null {
    const t = this.toks[this.i++];
    if (t === undefined) throw new PatternSyntaxError('comparison without value');
    if (t.k === 'str') return t.v;
    if (t.k === 'word' && ['h', 'b', 't'].includes(t.v) && this.peek()?.k === 'str') { this.i++; return null; }
    if (t.v === '(') { while (this.peek() !== undefined && this.peek()?.v !== ')') this.i++; this.expect(')'); return null; }
    if (t.k === 'num' || (t.k === 'word' && /^(true|false)$/i.test(t.v))) return null;
    throw new PatternSyntaxError(`expected a value but found '${t.v}'`);
  }
}

function or(a: Evaluation, b: Evaluation): Evaluation {
  if (!a.ok) return a;
  if (!b.ok) return b;
  return { ok: true, terms: [...a.terms, ...b.terms] };
}

const HASHES: readonly IocType[] = ['md5', 'sha1', 'sha256'];

/**
 * AND can be evaluated only when every side is a file hash: each hash on its own identifies the
 * file (a file matching one of the hashes and not the other does not occur in practice).
 */
function and(a: Evaluation, b: Evaluation): Evaluation {
  if (!a.ok) return a;
  if (!b.ok) return b;
  const all = [...a.terms, ...b.terms];
  if (a.terms.length === 1 && b.terms.length === 1 && all.every((t) => HASHES.includes(t.type))) return { ok: true, terms: all };
  return { ok: false, reason: 'AND of different properties cannot be evaluated as single indicators' };
}

/** Parses a STIX pattern; throws PatternSyntaxError when it is not valid (subset) STIX. */
export function evaluatePattern(pattern: string): Evaluation {
  return new Parser(tokenize(pattern)).parse();
}
