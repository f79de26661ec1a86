/**
 * YARA regular expressions and hex strings into the engine's byte-level syntax tree (ast.ts `Re`).
 * Semantics follow YARA: the subject is bytes; `.` is any byte but `\n` (any byte with `s`);
 * `\w \d \s` and `\b` are ASCII only (`\s` is space, \t \n \v \f \r); `nocase` folds ASCII
 * letters only; `^`/`$` are the start/end of the data. Linear-time, iterative-depth parser with
 * a nesting limit (rule text is input too).
 */
import { YaraLangError, type Loc, type Re } from './ast.js';

const MAX_DEPTH = 64;
const MAX_REPEAT = 32767; // YARA's RE_MAX_RANGE

export function setOf(pred: (b: number) => boolean): Uint8Array {
  const s = new Uint8Array(256);
  for (let b = 0; b < 256; b++) if (pred(b)) s[b] = 1;
  return s;
}
const isWord = (b: number): boolean => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
const isDigit = (b: number): boolean => b >= 48 && b <= 57;
const isSpace = (b: number): boolean => b === 32 || (b >= 9 && b <= 13);

export function foldSet(s: Uint8Array): Uint8Array {
  const out = new Uint8Array(s);
  for (let b = 65; b <= 90; b++) {
    if (s[b] || s[b + 32]) {
      out[b] = 1;
      out[b + 32] = 1;
    }
  }
  return out;
}

const byteSets = new Map<number, Re>();

/** One byte (both ASCII cases when `nocase`); shared, never modified. */
export function byteSet(b: number, nocase: boolean): Re {
  const fold = nocase && ((b >= 65 && b <= 90) || (b >= 97 && b <= 122));
  const key = fold ? (b | 32) + 256 : b;
  let re = byteSets.get(key);
  if (!re) {
    const s = new Uint8Array(256);
    s[b] = 1;
    re = { t: 'set', bytes: fold ? foldSet(s) : s };
    byteSets.set(key, re);
  }
  return re;
}

const namedSets = new Map<string, Uint8Array>();
function named(name: string, pred: (b: number) => boolean): Uint8Array {
  let s = namedSets.get(name);
  if (!s) {
    s = setOf(pred);
    namedSets.set(name, s);
  }
  return s;
}

/** UTF-8 bytes of one code point (rule files are UTF-8; YARA matches those bytes). */
export function utf8Bytes(cp: number): number[] {
  return [...Buffer.from(String.fromCodePoint(cp), 'utf8')];
}

class ReParser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly src: string,
    private readonly nocase: boolean,
    private readonly dotall: boolean,
    private readonly loc: Loc,
  ) {}

  private fail(msg: string): never {
    throw new YaraLangError('Y106', `invalid regular expression: ${msg} (at character ${this.i + 1} of /${this.src}/)`, this.loc);
  }

  parse(): Re {
    const re = this.alt();
    if (this.i < this.src.length) this.fail(`unexpected '${this.src[this.i]}'`);
    return re;
  }

  private alt(): Re {
    if (++this.depth > MAX_DEPTH) this.fail('nested too deeply');
    const items: Re[] = [this.cat()];
    while (this.src[this.i] === '|') {
      this.i++;
      items.push(this.cat());
    }
    this.depth--;
    return items.length === 1 ? (items[0] as Re) : { t: 'alt', items };
  }

  private cat(): Re {
    const items: Re[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      let atom = this.atom();
      atom = this.quantified(atom);
      items.push(atom);
    }
    return items.length === 1 ? (items[0] as Re) : { t: 'cat', items };
  }

  private quantified(atom: Re): Re {
    for (;;) {
      const c = this.src[this.i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, -1];
      else if (c === '+') [min, max] = [1, -1];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(this.src.slice(this.i, this.i + 24));
        if (!m || (m[1] === '' && m[2] === undefined)) {
          // YARA reads a `{` that starts no valid repeat as a literal.
          return atom;
        }
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (min > MAX_REPEAT || max > MAX_REPEAT) this.fail('repeat count too large');
        if (max !== -1 && max < min) this.fail('bad repeat interval');
        this.i += m[0].length - 1;
      } else return atom;
      this.i++;
      if (atom.t === 'bol' || atom.t === 'eol' || atom.t === 'wordb') this.fail('nothing to repeat');
      if (atom.t === 'rep') this.fail('a repeat of a repeat');
      let lazy = false;
      if (this.src[this.i] === '?') {
        lazy = true;
        this.i++;
      }
      atom = { t: 'rep', item: atom, min, max, lazy };
    }
  }

  private atom(): Re {
    const c = this.src[this.i] as string;
    if (c === '(') {
      this.i++;
      if (this.src[this.i] === '?') this.fail('(?...) groups are not YARA syntax');
      const inner = this.alt();
      if (this.src[this.i] !== ')') this.fail('missing )');
      this.i++;
      return { t: 'group', item: inner };
    }
    if (c === '[') return this.cls();
    if (c === '.') {
      this.i++;
      return { t: 'set', bytes: this.dotall ? named('any', () => true) : named('dot', (b) => b !== 10) };
    }
    if (c === '^') {
      this.i++;
      return { t: 'bol' };
    }
    if (c === '$') {
      this.i++;
      return { t: 'eol' };
    }
    if (c === '*' || c === '+' || c === '?') this.fail('nothing to repeat');
    if (c === '\\') {
      this.i++;
      const e = this.src[this.i];
      if (e === 'b' || e === 'B') {
        this.i++;
        return { t: 'wordb', neg: e === 'B' };
      }
      const set = this.escapeSet();
      if (set) return { t: 'set', bytes: set };
      return this.literal(this.escapeChar());
    }
    this.i++;
    return this.literal(c.codePointAt(0) ?? 0);
  }

  /** A literal code point: one byte, or its UTF-8 bytes in sequence. */
  private literal(cp: number): Re {
    if (cp < 0x80 || cp === -1) return byteSet(cp & 0xff, this.nocase);
    if (cp > 0xffff) this.i++; // surrogate pair
    const bytes = utf8Bytes(cp);
    return { t: 'group', item: { t: 'cat', items: bytes.map((b) => byteSet(b, false)) } };
  }

  /** `\w \W \d \D \s \S` at this.i, or null. */
  private escapeSet(): Uint8Array | null {
    const e = this.src[this.i];
    let s: Uint8Array | null = null;
    if (e === 'w') s = named('w', isWord);
    else if (e === 'W') s = named('W', (b) => !isWord(b));
    else if (e === 'd') s = named('d', isDigit);
    else if (e === 'D') s = named('D', (b) => !isDigit(b));
    else if (e === 's') s = named('s', isSpace);
    else if (e === 'S') s = named('S', (b) => !isSpace(b));
    if (s) this.i++;
    return s;
  }

  /** The byte an escape stands for (this.i just after the backslash). */
  private escapeChar(): number {
    const e = this.src[this.i];
    if (e === undefined) this.fail('trailing backslash');
    this.i++;
    switch (e) {
      case 'n':
        return 10;
      case 't':
        return 9;
      case 'r':
        return 13;
      case 'f':
        return 12;
      case 'a':
        return 7;
      case 'x': {
        const h = this.src.slice(this.i, this.i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) this.fail('\\x needs two hex digits');
        this.i += 2;
        return parseInt(h, 16);
      }
      default:
        if (/[0-9A-Za-z]/.test(e)) this.fail(`unknown escape \\${e}`);
        return e.codePointAt(0) ?? 0;
    }
  }

  private cls(): Re {
    this.i++; // [
    let neg = false;
    if (this.src[this.i] === '^') {
      neg = true;
      this.i++;
    }
    const s = new Uint8Array(256);
    let first = true;
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) this.fail('missing ]');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      let lo: number;
      if (c === '\\') {
        this.i++;
        const set = this.escapeSet();
        if (set) {
          for (let b = 0; b < 256; b++) if (set[b]) s[b] = 1;
          continue;
        }
        lo = this.escapeChar();
      } else {
        lo = c.codePointAt(0) ?? 0;
        if (lo > 0xff) this.fail('a character class holds bytes only (non-Latin-1 character)');
        this.i++;
      }
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        let hi: number;
        const d = this.src[this.i] as string;
        if (d === '\\') {
          this.i++;
          if (/[wWdDsS]/.test(this.src[this.i] ?? '')) this.fail('a class shorthand cannot end a range');
          hi = this.escapeChar();
        } else {
          hi = d.codePointAt(0) ?? 0;
          if (hi > 0xff) this.fail('a character class holds bytes only (non-Latin-1 character)');
          this.i++;
        }
        if (hi < lo) this.fail('range out of order');
        for (let b = lo; b <= hi; b++) s[b] = 1;
      } else s[lo] = 1;
    }
    let out = this.nocase ? foldSet(s) : s;
    if (neg) out = setOf((b) => !out[b]);
    return { t: 'set', bytes: out };
  }
}

export function parseRegex(src: string, nocase: boolean, dotall: boolean, loc: Loc): Re {
  return new ReParser(src, nocase, dotall, loc).parse();
}

/** A YARA hex string body (between the braces) into a byte-level expression. */
export function parseHex(body: string, loc: Loc): Re {
  const text = body.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  let i = 0;
  let depth = 0;
  const fail = (msg: string): never => {
    throw new YaraLangError('Y107', `invalid hex string: ${msg}`, loc);
  };
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const seq = (inAlt: boolean): Re => {
    if (++depth > MAX_DEPTH) fail('nested too deeply');
    const alts: Re[] = [];
    let items: Re[] = [];
    for (;;) {
      skip();
      const c = text[i];
      if (c === undefined) break;
      if (c === ')' || c === '|') {
        if (!inAlt) fail(`unexpected '${c}'`);
        if (c === ')') break;
        i++;
        alts.push({ t: 'cat', items });
        items = [];
        continue;
      }
      if (c === '(') {
        i++;
        const inner = seq(true);
        if (text[i] !== ')') fail('missing )');
        i++;
        items.push({ t: 'group', item: inner });
        continue;
      }
      if (c === '[') {
        const m = /^\[\s*(\d*)\s*(-\s*(\d*)\s*)?\]/.exec(text.slice(i, i + 40));
        if (!m) return fail('bad jump');
        const min = m[1] === '' ? 0 : Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (m[1] === '' && m[2] === undefined) fail('empty jump');
        if (max !== -1 && max < min) fail('bad jump interval');
        if (min > MAX_REPEAT || max > MAX_REPEAT) fail('jump too large');
        i += m[0].length;
        if (items.length === 0) fail('a jump cannot start a hex string or alternative');
        items.push({ t: 'rep', item: { t: 'set', bytes: named('any', () => true) }, min, max, lazy: false });
        continue;
      }
      let not = false;
      if (c === '~') {
        not = true;
        i++;
      }
      const pair = text.slice(i, i + 2);
      if (!/^[0-9a-fA-F?]{2}$/.test(pair)) fail(`bad byte '${pair}'`);
      i += 2;
      const [hiC, loC] = [pair[0] as string, pair[1] as string];
      let s = setOf((b) => (hiC === '?' || b >> 4 === parseInt(hiC, 16)) && (loC === '?' || (b & 15) === parseInt(loC, 16)));
      if (not) {
        if (pair === '??') fail('~?? matches nothing');
        const keep = s;
        s = setOf((b) => !keep[b]);
      }
      items.push({ t: 'set', bytes: s });
    }
    depth--;
    const last = items[items.length - 1];
    if (last?.t === 'rep') fail('a jump cannot end a hex string or alternative');
    if (items.length === 0) fail('empty hex string or alternative');
    if (!inAlt) return { t: 'cat', items };
    alts.push({ t: 'cat', items });
    return alts.length === 1 ? (alts[0] as Re) : { t: 'alt', items: alts };
  };
  const re = seq(false);
  skip();
  if (i < text.length) fail(`unexpected '${text[i]}'`);
  return re;
}
