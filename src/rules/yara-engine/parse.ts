/**
 * YARA rule files into syntax trees (ast.ts) for the portable engine: a hand-written lexer and
 * recursive-descent parser over the subset documented in content/rules/README.md. Every error
 * is a YaraLangError with a code, line:column and the rule it is in; anything outside the
 * subset (modules, include, …) is an error rather than a silent difference. Rule references
 * resolve against rules declared earlier in the same namespace (`scope`), as in YARA.
 */
import {
  YaraLangError,
  type ArithOp,
  type CmpOp,
  type Expr,
  type IntFn,
  type Loc,
  type Quant,
  type Re,
  type RuleDef,
  type StringDef,
  type StringMods,
  type YaraErrorCode,
} from './ast.js';
import { parseHex, parseRegex, utf8Bytes } from './regex-parse.js';

type Tok =
  | { t: 'id'; v: string; pos: number }
  | { t: 'num'; v: number; pos: number }
  | { t: 'str'; v: string; pos: number } // latin1 bytes
  | { t: 'sid' | 'cnt' | 'off' | 'len'; v: string; wild: boolean; pos: number } // v: name without sigil ('' anonymous)
  | { t: 'p'; v: string; pos: number }
  | { t: 'eof'; v: ''; pos: number };

const PUNCT = ['..', '==', '!=', '<=', '>=', '<<', '>>', '(', ')', '[', ']', '{', '}', ',', ':', '=', '<', '>', '+', '-', '*', '\\', '%', '&', '|', '^', '~', '.'];
const INT_FNS = new Set<string>(['uint8', 'uint16', 'uint32', 'uint8be', 'uint16be', 'uint32be', 'int8', 'int16', 'int32', 'int8be', 'int16be', 'int32be']);
const STR_OPS = new Set(['contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'iequals']);
const KEYWORDS = new Set([
  'all', 'and', 'any', 'ascii', 'at', 'base64', 'base64wide', 'condition', 'contains', 'endswith', 'entrypoint', 'false',
  'filesize', 'for', 'fullword', 'global', 'import', 'icontains', 'iendswith', 'iequals', 'in', 'include', 'istartswith',
  'matches', 'meta', 'nocase', 'none', 'not', 'of', 'or', 'private', 'rule', 'startswith', 'strings', 'them', 'true', 'wide', 'xor', 'defined',
]);
const MAX_EXPR_DEPTH = 200;

export interface RuleScope {
  /** Rule name → global rule index, for rules declared before (same namespace). */
  readonly rules: Map<string, number>;
  /** Index the next rule will get. */
  next: number;
}

export interface ParseOptions {
  readonly file: string;
  readonly namespace: string;
  readonly externals: ReadonlySet<string>;
  readonly scope: RuleScope;
}

class Parser {
  private pos = 0;
  private peeked: Tok | null = null;
  private readonly lineStarts: number[] = [0];
  private rule: string | null = null;
  get currentRule(): string | null {
    return this.rule;
  }
  private strings: StringDef[] = [];
  private used = new Set<number>();
  private vars: string[] = [];
  private slots = 0;
  private inForOf = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly opts: ParseOptions,
  ) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  loc(pos: number): Loc {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: pos - (this.lineStarts[lo] as number) + 1 };
  }

  private fail(code: YaraErrorCode, msg: string, pos: number): never {
    throw new YaraLangError(code, msg, this.loc(pos), this.rule);
  }

  // ---- lexer ----

  private skipWs(): void {
    const s = this.src;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xfeff) this.pos++;
      else if (c === 47 && s.charCodeAt(this.pos + 1) === 47) {
        const e = s.indexOf('\n', this.pos);
        this.pos = e < 0 ? s.length : e;
      } else if (c === 47 && s.charCodeAt(this.pos + 1) === 42) {
        const e = s.indexOf('*/', this.pos + 2);
        if (e < 0) this.fail('Y101', 'unterminated comment', this.pos);
        this.pos = e + 2;
      } else return;
    }
  }

  private lex(): Tok {
    this.skipWs();
    const s = this.src;
    const pos = this.pos;
    if (pos >= s.length) return { t: 'eof', v: '', pos };
    const c = s[pos] as string;
    const at = (re: RegExp): RegExpExecArray => {
      re.lastIndex = pos;
      const r = re.exec(s);
      if (!r) return this.fail('Y101', `unexpected character '${c}'`, pos);
      return r;
    };
    let m: RegExpExecArray;
    if ((c === '$' || c === '#' || c === '@' || c === '!') && s[pos + 1] !== '=') {
      m = at(/[$#@!]([A-Za-z0-9_]*)(\*?)/y);
      this.pos = pos + m[0].length;
      const t = c === '$' ? 'sid' : c === '#' ? 'cnt' : c === '@' ? 'off' : 'len';
      return { t, v: m[1] ?? '', wild: m[2] === '*', pos };
    }
    if (/[A-Za-z_]/.test(c)) {
      m = at(/[A-Za-z0-9_]+/y);
      this.pos = pos + m[0].length;
      if (m[0].length > 128) this.fail('Y101', 'identifier too long', pos);
      return { t: 'id', v: m[0], pos };
    }
    if (/[0-9]/.test(c)) {
      m = at(/(0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+(\.[0-9]+)?)(KB|MB)?/y);
      if (/[A-Za-z0-9_]/.test(s[pos + m[0].length] ?? '')) this.fail('Y102', 'invalid number', pos);
      if (m[2] !== undefined) this.fail('Y203', 'floating-point numbers are not supported', pos);
      const lit = m[1] as string;
      let v = lit.startsWith('0x') ? parseInt(lit.slice(2), 16) : lit.startsWith('0o') ? parseInt(lit.slice(2), 8) : Number(lit);
      if (m[3] === 'KB') v *= 1024;
      else if (m[3] === 'MB') v *= 1024 * 1024;
      if (!Number.isSafeInteger(v)) this.fail('Y102', 'number too large', pos);
      this.pos = pos + m[0].length;
      return { t: 'num', v, pos };
    }
    if (c === '"') return { t: 'str', v: this.readText(), pos };
    for (const p of PUNCT) {
      if (s.startsWith(p, pos)) {
        this.pos = pos + p.length;
        return { t: 'p', v: p, pos };
      }
    }
    return this.fail('Y101', `unexpected character '${c}'`, pos);
  }

  /** A double-quoted string at this.pos into latin1 bytes (UTF-8 for non-ASCII text). */
  private readText(): string {
    const s = this.src;
    const start = this.pos;
    let i = start + 1;
    const bytes: number[] = [];
    for (;;) {
      const ch = s[i];
      if (ch === undefined || ch === '\n') this.fail('Y102', 'unterminated string', start);
      if (ch === '"') break;
      if (ch === '\\') {
        const e = s[i + 1];
        i += 2;
        if (e === '"') bytes.push(34);
        else if (e === '\\') bytes.push(92);
        else if (e === 'n') bytes.push(10);
        else if (e === 't') bytes.push(9);
        else if (e === 'r') bytes.push(13);
        else if (e === 'x') {
          const h = s.slice(i, i + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(h)) this.fail('Y102', 'invalid \\x escape', i - 2);
          bytes.push(parseInt(h, 16));
          i += 2;
        } else this.fail('Y102', `invalid escape \\${e ?? ''}`, i - 2);
        continue;
      }
      const cp = s.codePointAt(i) ?? 0;
      if (cp < 0x80) bytes.push(cp);
      else bytes.push(...utf8Bytes(cp));
      i += cp > 0xffff ? 2 : 1;
    }
    this.pos = i + 1;
    return Buffer.from(bytes).toString('latin1');
  }

  /** `/…/flags` at the current position (after whitespace). */
  private readRegex(forceNocase = false): { re: Re; pos: number; body: string; nocase: boolean; dotall: boolean } {
    this.peeked = null;
    this.skipWs();
    const s = this.src;
    const pos = this.pos;
    if (s[pos] !== '/') this.fail('Y101', 'expected a regular expression', pos);
    let i = pos + 1;
    let body = '';
    for (;;) {
      const ch = s[i];
      if (ch === undefined || ch === '\n') this.fail('Y106', 'unterminated regular expression', pos);
      if (ch === '/') break;
      if (ch === '\\' && s[i + 1] === '/') {
        body += '/';
        i += 2;
        continue;
      }
      if (ch === '\\') {
        body += s.slice(i, i + 2);
        i += 2;
        continue;
      }
      body += ch;
      i++;
    }
    i++;
    let nocase = false;
    let dotall = false;
    while (s[i] === 'i' || s[i] === 's') {
      if (s[i] === 'i') nocase = true;
      else dotall = true;
      i++;
    }
    this.pos = i;
    if (body === '') this.fail('Y106', 'empty regular expression', pos);
    return { re: parseRegex(body, nocase || forceNocase, dotall, this.loc(pos)), pos, body, nocase, dotall };
  }

  private peek(): Tok {
    this.peeked ??= this.lex();
    return this.peeked;
  }

  private next(): Tok {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  private isP(v: string): boolean {
    const t = this.peek();
    return t.t === 'p' && t.v === v;
  }

  private isId(v: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v === v;
  }

  private expectP(v: string): Tok {
    const t = this.next();
    if (t.t !== 'p' || t.v !== v) this.fail('Y101', `expected '${v}', found ${describe(t)}`, t.pos);
    return t;
  }

  private expectId(v?: string): Tok & { t: 'id' } {
    const t = this.next();
    if (t.t !== 'id' || (v !== undefined && t.v !== v)) this.fail('Y101', `expected ${v ? `'${v}'` : 'an identifier'}, found ${describe(t)}`, t.pos);
    return t;
  }

  // ---- file and rules ----

  file(): RuleDef[] {
    const out: RuleDef[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') return out;
      if (t.t === 'id' && t.v === 'import') {
        this.next();
        const m = this.next();
        this.fail('Y201', `module ${m.t === 'str' ? `"${m.v}"` : ''} is not supported by the portable engine`, t.pos);
      }
      if (t.t === 'id' && t.v === 'include') this.fail('Y202', 'include is not supported: pass each rule file or folder instead', t.pos);
      out.push(this.ruleDecl());
    }
  }

  private ruleDecl(): RuleDef {
    let isPrivate = false;
    let isGlobal = false;
    const start = this.peek().pos;
    for (;;) {
      if (this.isId('private')) isPrivate = true;
      else if (this.isId('global')) isGlobal = true;
      else break;
      this.next();
    }
    this.expectId('rule');
    const nameTok = this.expectId();
    const name = nameTok.v;
    if (KEYWORDS.has(name)) this.fail('Y101', `'${name}' is a keyword`, nameTok.pos);
    this.rule = name;
    if (this.opts.scope.rules.has(name)) this.fail('Y103', `duplicate rule '${name}'`, nameTok.pos);
    const tags: string[] = [];
    if (this.isP(':')) {
      this.next();
      while (this.peek().t === 'id' && !this.isP('{')) {
        const tg = this.next().v as string;
        if (tags.includes(tg)) this.fail('Y103', `duplicate tag '${tg}'`, this.peek().pos);
        tags.push(tg);
      }
      if (tags.length === 0) this.fail('Y101', 'expected a tag', this.peek().pos);
    }
    this.expectP('{');
    const meta: [string, string | number | boolean][] = [];
    this.strings = [];
    this.used = new Set();
    this.vars = [];
    this.slots = 0;
    if (this.isId('meta')) {
      this.next();
      this.expectP(':');
      while (this.peek().t === 'id' && !this.isId('strings') && !this.isId('condition')) {
        const key = this.next().v as string;
        this.expectP('=');
        let neg = false;
        if (this.isP('-')) {
          this.next();
          neg = true;
        }
        const v = this.next();
        if (v.t === 'str' && !neg) meta.push([key, Buffer.from(v.v, 'latin1').toString('utf8')]);
        else if (v.t === 'num') meta.push([key, neg ? -v.v : v.v]);
        else if (v.t === 'id' && (v.v === 'true' || v.v === 'false') && !neg) meta.push([key, v.v === 'true']);
        else this.fail('Y101', `bad meta value for '${key}'`, v.pos);
      }
    }
    if (this.isId('strings')) {
      this.next();
      this.expectP(':');
      while (this.peek().t === 'sid') this.stringDecl();
    }
    const ct = this.expectId('condition');
    this.expectP(':');
    const condition = this.expr();
    this.expectP('}');
    this.strings.forEach((s, i) => {
      if (!this.used.has(i)) this.fail('Y105', `string ${s.id} is declared but not used in the condition`, this.srcPos(s.loc));
    });
    void ct;
    const id = this.opts.scope.next++;
    this.opts.scope.rules.set(name, id);
    this.rule = null;
    return {
      name,
      namespace: this.opts.namespace,
      file: this.opts.file,
      loc: this.loc(start),
      isPrivate,
      isGlobal,
      tags,
      meta,
      strings: this.strings,
      condition,
      slots: this.slots,
    };
  }

  private srcPos(l: Loc): number {
    return (this.lineStarts[l.line - 1] ?? 0) + l.column - 1;
  }

  private stringDecl(): void {
    const t = this.next() as Tok & { t: 'sid' };
    if (t.wild) this.fail('Y101', 'a string name cannot end with *', t.pos);
    const id = `$${t.v}`;
    if (t.v !== '' && this.strings.some((s) => s.id === id)) this.fail('Y103', `duplicate string '${id}'`, t.pos);
    this.expectP('=');
    this.skipWs();
    const c = this.src[this.pos];
    const loc = this.loc(t.pos);
    let kind: StringDef['kind'];
    let text = '';
    let re: Re | null = null;
    let reRaw: { body: string; nocase: boolean; dotall: boolean; pos: number } | null = null;
    if (c === '"') {
      this.peeked = null;
      kind = 'text';
      text = this.readText();
      if (text === '') this.fail('Y102', 'empty string', t.pos);
    } else if (c === '{') {
      kind = 'hex';
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) this.fail('Y107', 'unterminated hex string', this.pos);
      re = parseHex(this.src.slice(this.pos + 1, end), this.loc(this.pos));
      this.pos = end + 1;
      this.peeked = null;
    } else if (c === '/') {
      kind = 'regex';
      reRaw = this.readRegex();
    } else return this.fail('Y101', 'expected a text string, hex string or regular expression', this.pos);
    const mods = this.modifiers(kind);
    if (reRaw) {
      if (reRaw.nocase) mods.nocase = true;
      re = parseRegex(reRaw.body, mods.nocase, reRaw.dotall, this.loc(reRaw.pos));
    }
    this.strings.push({ id, kind, loc, text, re, mods });
  }

  private modifiers(kind: StringDef['kind']): StringMods {
    const m: StringMods = { nocase: false, ascii: false, wide: false, fullword: false, private: false, xor: null, base64: null, base64wide: null };
    const seen = new Set<string>();
    let lastPos = this.pos;
    for (;;) {
      const t = this.peek();
      if (t.t !== 'id' || !['nocase', 'ascii', 'wide', 'fullword', 'private', 'xor', 'base64', 'base64wide'].includes(t.v)) break;
      this.next();
      lastPos = t.pos;
      if (seen.has(t.v)) this.fail('Y108', `duplicate modifier '${t.v}'`, t.pos);
      seen.add(t.v);
      const allowed = kind === 'text' || (kind === 'hex' ? t.v === 'private' : ['nocase', 'ascii', 'wide', 'fullword', 'private'].includes(t.v));
      if (!allowed) this.fail('Y108', `modifier '${t.v}' cannot be used with a ${kind} string`, t.pos);
      if (t.v === 'xor') {
        let lo = 0;
        let hi = 255;
        if (this.isP('(')) {
          this.next();
          lo = this.expectNum();
          hi = lo;
          if (this.isP('-')) {
            this.next();
            hi = this.expectNum();
          }
          this.expectP(')');
          if (lo > 255 || hi > 255 || hi < lo) this.fail('Y108', 'xor key range must be within 0-255 and ascending', t.pos);
        }
        m.xor = [lo, hi];
      } else if (t.v === 'base64' || t.v === 'base64wide') {
        let alphabet = '';
        if (this.isP('(')) {
          this.next();
          const a = this.next();
          if (a.t !== 'str' || a.v.length !== 64) this.fail('Y108', 'a base64 alphabet has 64 characters', a.pos);
          alphabet = a.v;
          this.expectP(')');
        }
        if (t.v === 'base64') m.base64 = alphabet;
        else m.base64wide = alphabet;
      } else m[t.v as 'nocase' | 'ascii' | 'wide' | 'fullword' | 'private'] = true;
    }
    if ((m.base64 !== null || m.base64wide !== null) && (m.nocase || m.xor || m.fullword)) {
      this.fail('Y108', 'base64 cannot be combined with nocase, xor or fullword', lastPos);
    }
    if (m.xor && m.nocase) this.fail('Y108', 'xor cannot be combined with nocase', lastPos);
    return m;
  }

  private expectNum(): number {
    const t = this.next();
    if (t.t !== 'num') this.fail('Y101', `expected a number, found ${describe(t)}`, t.pos);
    return t.v;
  }

  // ---- conditions ----

  private expr(): Expr {
    if (++this.depth > MAX_EXPR_DEPTH) this.fail('Y101', 'condition nested too deeply', this.peek().pos);
    let a = this.andExpr();
    while (this.isId('or')) {
      this.next();
      a = { k: 'or', a, b: this.andExpr() };
    }
    this.depth--;
    return a;
  }

  private andExpr(): Expr {
    let a = this.notExpr();
    while (this.isId('and')) {
      this.next();
      a = { k: 'and', a, b: this.notExpr() };
    }
    return a;
  }

  private notExpr(): Expr {
    if (this.isId('not')) {
      this.next();
      if (++this.depth > MAX_EXPR_DEPTH) this.fail('Y101', 'condition nested too deeply', this.peek().pos);
      const a = this.notExpr();
      this.depth--;
      return { k: 'not', a };
    }
    if (this.isId('defined')) this.fail('Y203', "'defined' is not supported by the portable engine", this.peek().pos);
    return this.relational();
  }

  private relational(): Expr {
    const a = this.bitOr();
    const t = this.peek();
    if (t.t === 'id' && t.v === 'of') return this.ofRest({ q: 'num', e: a }, t.pos);
    if (t.t === 'p' && t.v === '%') {
      // `N% of …`
      this.next();
      const o = this.peek();
      if (o.t !== 'id' || o.v !== 'of') this.fail('Y101', "expected 'of' after '%'", o.pos);
      return this.ofRest({ q: 'pct', e: a }, o.pos);
    }
    if (t.t === 'p' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.next();
      return { k: 'cmp', op: t.v as CmpOp, a, b: this.bitOr() };
    }
    if (t.t === 'id' && STR_OPS.has(t.v)) {
      this.next();
      return { k: 'cmp', op: t.v as CmpOp, a, b: this.bitOr() };
    }
    if (t.t === 'id' && t.v === 'matches') {
      this.next();
      const r = this.readRegex();
      return { k: 'matches', a, re: r.re, loc: this.loc(r.pos) };
    }
    return a;
  }

  private binLevel(ops: readonly string[], sub: () => Expr): Expr {
    let a = sub();
    for (;;) {
      const t = this.peek();
      if (t.t === 'p' && ops.includes(t.v)) {
        // `%` followed by `of` belongs to `N% of`.
        if (t.v === '%') {
          const save = this.pos;
          this.next();
          const o = this.peek();
          this.pos = save;
          this.peeked = t;
          if (o.t === 'id' && o.v === 'of') return a;
        }
        this.next();
        a = { k: 'arith', op: t.v as ArithOp, a, b: sub() };
      } else return a;
    }
  }

  private bitOr(): Expr {
    return this.binLevel(['|'], () => this.bitXor());
  }
  private bitXor(): Expr {
    return this.binLevel(['^'], () => this.bitAnd());
  }
  private bitAnd(): Expr {
    return this.binLevel(['&'], () => this.shift());
  }
  private shift(): Expr {
    return this.binLevel(['<<', '>>'], () => this.additive());
  }
  private additive(): Expr {
    return this.binLevel(['+', '-'], () => this.multiplicative());
  }
  private multiplicative(): Expr {
    return this.binLevel(['*', '\\', '%'], () => this.unary());
  }

  private unary(): Expr {
    if (this.isP('-')) {
      this.next();
      return { k: 'neg', a: this.unary() };
    }
    if (this.isP('~')) {
      this.next();
      return { k: 'bnot', a: this.unary() };
    }
    return this.primary();
  }

  private stringRef(t: Tok & { t: 'sid' | 'cnt' | 'off' | 'len' }): number {
    if (t.wild) this.fail('Y101', 'a string set is not allowed here', t.pos);
    if (t.v === '') {
      if (this.inForOf === 0) this.fail('Y105', `anonymous ${t.t === 'sid' ? '$' : t.t === 'cnt' ? '#' : t.t === 'off' ? '@' : '!'} outside 'for … of'`, t.pos);
      return -1;
    }
    const idx = this.strings.findIndex((s) => s.id === `$${t.v}`);
    if (idx < 0) this.fail('Y105', `undefined string $${t.v}`, t.pos);
    this.used.add(idx);
    return idx;
  }

  private range(): { lo: Expr; hi: Expr } {
    this.expectP('(');
    const lo = this.bitOr();
    this.expectP('..');
    const hi = this.bitOr();
    this.expectP(')');
    return { lo, hi };
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { k: 'num', v: t.v };
      case 'str':
        return { k: 'str', v: t.v };
      case 'sid': {
        const s = this.stringRef(t);
        if (this.isId('at')) {
          this.next();
          return { k: 'at', s, at: this.unary() };
        }
        if (this.isId('in')) {
          this.next();
          const r = this.range();
          return { k: 'in', s, lo: r.lo, hi: r.hi };
        }
        return { k: 'present', s };
      }
      case 'cnt': {
        const s = this.stringRef(t);
        if (this.isId('in')) {
          this.next();
          const r = this.range();
          return { k: 'count_in', s, lo: r.lo, hi: r.hi };
        }
        return { k: 'count', s };
      }
      case 'off':
      case 'len': {
        const s = this.stringRef(t);
        let idx: Expr = { k: 'num', v: 1 };
        if (this.isP('[')) {
          this.next();
          idx = this.expr();
          this.expectP(']');
        }
        return { k: t.t === 'off' ? 'offset' : 'length', s, idx };
      }
      case 'p':
        if (t.v === '(') {
          const e = this.expr();
          this.expectP(')');
          return e;
        }
        return this.fail('Y101', `unexpected '${t.v}'`, t.pos);
      case 'eof':
        return this.fail('Y101', 'unexpected end of file in a condition', t.pos);
      case 'id':
        return this.identifier(t);
    }
  }

  private identifier(t: Tok & { t: 'id' }): Expr {
    const v = t.v;
    if (v === 'true' || v === 'false') return { k: 'bool', v: v === 'true' };
    if (v === 'filesize') return { k: 'filesize' };
    if (v === 'entrypoint') this.fail('Y203', "'entrypoint' is not supported (use the pe module on YARA-X)", t.pos);
    if (v === 'all' || v === 'any' || v === 'none') {
      const o = this.peek();
      if (o.t !== 'id' || o.v !== 'of') this.fail('Y101', `expected 'of' after '${v}'`, o.pos);
      return this.ofRest({ q: v }, o.pos);
    }
    if (v === 'for') return this.forExpr(t.pos);
    if (INT_FNS.has(v)) {
      this.expectP('(');
      const at = this.expr();
      this.expectP(')');
      return { k: 'int', fn: v as IntFn, at };
    }
    const slot = this.vars.lastIndexOf(v);
    if (slot >= 0) return { k: 'var', slot };
    if (this.isP('.') || this.isP('(') || this.isP('[')) {
      this.fail('Y201', `'${v}' looks like a module or function: modules are not supported by the portable engine`, t.pos);
    }
    const rid = this.opts.scope.rules.get(v);
    if (rid !== undefined) return { k: 'rule', id: rid };
    if (this.opts.externals.has(v)) return { k: 'ext', name: v };
    if (KEYWORDS.has(v)) this.fail('Y101', `unexpected '${v}'`, t.pos);
    return this.fail('Y104', `undefined identifier '${v}'`, t.pos);
  }

  /** After the quantifier: `of` them | ( $a, $b* ) | ( rule, rule* ) [in (a..b) | at e]. */
  private ofRest(quant: Quant, ofPos: number): Expr {
    this.expectId('of');
    const set = this.stringSet(true);
    if (set.rules) return { k: 'of_rules', quant, rules: set.rules };
    let lo: Expr | null = null;
    let hi: Expr | null = null;
    let at: Expr | null = null;
    if (this.isId('in')) {
      this.next();
      const r = this.range();
      lo = r.lo;
      hi = r.hi;
    } else if (this.isId('at')) {
      this.next();
      at = this.unary();
    }
    void ofPos;
    return { k: 'of', quant, set: set.strings, lo, hi, at };
  }

  /** `them` or a parenthesised list of string names (with `*` wildcards), or of rule names. */
  private stringSet(allowRules: boolean): { strings: number[]; rules: number[] | null } {
    const t = this.next();
    if (t.t === 'id' && t.v === 'them') {
      if (this.strings.length === 0) this.fail('Y105', "'them' in a rule without strings", t.pos);
      this.strings.forEach((_, i) => this.used.add(i));
      return { strings: this.strings.map((_, i) => i), rules: null };
    }
    if (t.t !== 'p' || t.v !== '(') this.fail('Y101', `expected 'them' or '(', found ${describe(t)}`, t.pos);
    const out = new Set<number>();
    const rules = new Set<number>();
    for (;;) {
      const e = this.next();
      if (e.t === 'sid') {
        if (e.v === '' && !e.wild) this.fail('Y101', 'anonymous $ in a string set', e.pos);
        let any = false;
        this.strings.forEach((s, i) => {
          const name = s.id.slice(1);
          if (e.wild ? name.startsWith(e.v) && s.id !== '$' : name === e.v) {
            out.add(i);
            this.used.add(i);
            any = true;
          }
        });
        if (!any) this.fail('Y105', `no string matches $${e.v}${e.wild ? '*' : ''}`, e.pos);
      } else if (e.t === 'id' && allowRules && out.size === 0) {
        let name = e.v;
        let wild = false;
        if (this.isP('*')) {
          this.next();
          wild = true;
        }
        let any = false;
        for (const [r, id] of this.opts.scope.rules) {
          if (wild ? r.startsWith(name) : r === name) {
            rules.add(id);
            any = true;
          }
        }
        if (!any) this.fail('Y104', `undefined rule '${name}${wild ? '*' : ''}'`, e.pos);
        name = '';
      } else this.fail('Y101', `expected a string name, found ${describe(e)}`, e.pos);
      const sep = this.next();
      if (sep.t === 'p' && sep.v === ')') break;
      if (sep.t !== 'p' || sep.v !== ',') this.fail('Y101', `expected ',' or ')', found ${describe(sep)}`, sep.pos);
    }
    if (rules.size > 0) {
      if (out.size > 0) this.fail('Y101', 'a set holds strings or rules, not both', t.pos);
      return { strings: [], rules: [...rules].sort((a, b) => a - b) };
    }
    return { strings: [...out].sort((a, b) => a - b), rules: null };
  }

  private forExpr(pos: number): Expr {
    const q = this.peek();
    let quant: Quant;
    if (q.t === 'id' && (q.v === 'all' || q.v === 'any' || q.v === 'none')) {
      this.next();
      quant = { q: q.v };
    } else quant = { q: 'num', e: this.bitOr() };
    if (this.isId('of')) {
      this.next();
      const set = this.stringSet(false);
      this.expectP(':');
      this.expectP('(');
      this.inForOf++;
      const body = this.expr();
      this.inForOf--;
      this.expectP(')');
      return { k: 'for_of', quant, set: set.strings, body };
    }
    const v = this.expectId();
    if (this.isP(',')) this.fail('Y203', 'iterating with several variables needs a module (not supported)', this.peek().pos);
    this.expectId('in');
    let lo: Expr | null = null;
    let hi: Expr | null = null;
    let list: Expr[] | null = null;
    this.expectP('(');
    const first = this.bitOr();
    if (this.isP('..')) {
      this.next();
      lo = first;
      hi = this.bitOr();
    } else {
      list = [first];
      while (this.isP(',')) {
        this.next();
        list.push(this.bitOr());
      }
    }
    this.expectP(')');
    this.expectP(':');
    this.expectP('(');
    const slot = this.vars.length;
    this.vars.push(v.v);
    this.slots = Math.max(this.slots, this.vars.length);
    const body = this.expr();
    this.vars.pop();
    this.expectP(')');
    void pos;
    return { k: 'for_in', quant, slot, lo, hi, list, body };
  }
}

function describe(t: Tok): string {
  if (t.t === 'eof') return 'end of file';
  if (t.t === 'str') return 'a string';
  if (t.t === 'num') return String(t.v);
  if (t.t === 'p') return `'${t.v}'`;
  if (t.t === 'id') return `'${t.v}'`;
  return `'${t.t === 'sid' ? '$' : t.t === 'cnt' ? '#' : t.t === 'off' ? '@' : '!'}${t.v}'`;
}

/** Parses one rule file. Throws YaraLangError; on success the rules are added to `opts.scope`. */
export function parseYara(text: string, opts: ParseOptions): RuleDef[] {
  const before = new Map(opts.scope.rules);
  const next = opts.scope.next;
  const parser = new Parser(text, opts);
  try {
    return parser.file();
  } catch (e) {
    // Errors from the regex and hex readers learn the rule they are in here.
    const err = e instanceof YaraLangError && e.rule === null && parser.currentRule ? new YaraLangError(e.code, e.message, e.loc, parser.currentRule) : e;
    // A file that fails adds none of its rules.
    opts.scope.rules.clear();
    for (const [k, v] of before) opts.scope.rules.set(k, v);
    opts.scope.next = next;
    throw err;
  }
}
