/**
 * The portable YARA engine: rule files (parse.ts) compiled once into JavaScript RegExps over
 * latin1 (one char per byte), one Aho-Corasick automaton over the literal atoms of every
 * string, and condition closures. Scanning a file is one automaton pass; a string whose atoms
 * are absent has no match and its expression never runs, and a string is only searched when
 * the condition reaches it. Pure TypeScript: same results on every platform.
 *
 * Match semantics as YARA: every start offset at which a string matches is a match (overlaps
 * included), its length is that of the match found there (leftmost-greedy); `fullword` needs
 * no ASCII letter or digit right before and after (for `wide` strings: no such char + 0x00).
 * Up to 1,000,000 matches per string are counted (YARA's limit); `maxMatchesPerString` of them
 * are reported per string.
 */
import { YaraLangError, type Re, type RuleDef, type StringDef } from './ast.js';
import { buildAutomaton, type AtomAutomaton } from './aho-corasick.js';
import { compileCondition, truthy, type EvalCtx, type Fn, type Matches } from './condition.js';
import { parseYara, type RuleScope } from './parse.js';
import { atomsOf, backtrackingRisk, literalRe, toJsSource, widen, type Atoms } from './regex-js.js';

/** Widest atom-to-start distance range verified locally (beyond: the whole data is searched). */
const MAX_LOCAL_SPAN = 512;
/** Atom occurrences kept per file (pairs); past it, hit strings are searched over the whole data. */
const MAX_FOUND = 4_000_000;

export const MAX_COUNTED_MATCHES = 1_000_000;

export interface EngineSource {
  readonly file: string;
  readonly namespace: string;
  readonly text: string;
}

export interface EngineMatch {
  readonly namespace: string;
  readonly rule: string;
  readonly meta: Readonly<Record<string, string | number | boolean>>;
  readonly tags: readonly string[];
  readonly strings: readonly { readonly id: string; readonly offset: number; readonly length: number }[];
}

export interface EngineDiagnostic {
  readonly file: string;
  readonly rule: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly code: string;
  readonly message: string;
}

interface CompiledString {
  readonly id: string;
  /** Global search (whole data). */
  readonly re: RegExp;
  /** Sticky twin, for verifying at candidate starts. */
  readonly sticky: RegExp;
  /** Match starts lie `lo`..`hi` bytes before an atom occurrence; null: search the whole data. */
  readonly local: { readonly lo: number; readonly hi: number } | null;
  readonly fullword: boolean;
  readonly wide: boolean;
  readonly reported: boolean;
  /** No atom: searched whenever the condition asks. */
  readonly always: boolean;
}

interface CompiledRule {
  readonly def: RuleDef;
  readonly cond: Fn;
  readonly base: number;
  readonly meta: Readonly<Record<string, string | number | boolean>>;
}

const EMPTY: Matches = { offs: [], lens: [] };

function isAlnum(b: number | undefined): boolean {
  return b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122));
}

function base64Variants(s: string, alphabet: string): string[] {
  const std = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const bytes = Buffer.concat([Buffer.alloc(shift), Buffer.from(s, 'latin1')]);
    let enc = bytes.toString('base64').replace(/=+$/, '');
    if (alphabet) enc = [...enc].map((ch) => alphabet[std.indexOf(ch)] ?? ch).join('');
    const start = shift === 0 ? 0 : shift === 1 ? 2 : 3;
    const end = Math.floor((bytes.length * 8) / 6);
    const v = enc.slice(start, end);
    if (v) out.push(v);
  }
  return out;
}

/** The byte-level expressions a string declaration stands for (one per variant). */
function variants(s: StringDef): Re[] {
  const m = s.mods;
  const ascii = m.ascii || !m.wide;
  const out: Re[] = [];
  const add = (re: Re): void => {
    if (ascii) out.push(re);
    if (m.wide) out.push(widen(re));
  };
  if (s.kind !== 'text') {
    add(s.re as Re);
    return out;
  }
  if (m.base64 !== null || m.base64wide !== null) {
    const texts = base64Variants(s.text, m.base64 ?? m.base64wide ?? '');
    for (const t of texts) {
      if (m.base64 !== null) out.push(literalRe(t, false));
      if (m.base64wide !== null) out.push(widen(literalRe(t, false)));
    }
    return out;
  }
  if (m.xor) {
    const [lo, hi] = m.xor;
    for (let k = lo; k <= hi; k++) {
      const x = (t: string): string => [...t].map((ch) => String.fromCharCode(ch.charCodeAt(0) ^ k)).join('');
      if (ascii) out.push(literalRe(x(s.text), false));
      if (m.wide) out.push(literalRe(x([...s.text].map((ch) => ch + '\0').join('')), false));
    }
    return out;
  }
  add(literalRe(s.text, m.nocase));
  return out;
}

function compileString(s: StringDef, rule: string, file: string): { cs: Omit<CompiledString, 'always'>; atoms: Atoms | null } {
  const vs = variants(s);
  const re: Re = vs.length === 1 ? (vs[0] as Re) : { t: 'alt', items: vs.map((v) => ({ t: 'group', item: v })) };
  if (s.kind !== 'text') {
    const risk = backtrackingRisk(re);
    if (risk) throw new YaraLangError('Y301', `${s.id}: ${risk}`, s.loc, rule);
  }
  let js: RegExp;
  let sticky: RegExp;
  try {
    js = new RegExp(toJsSource(re), 'g');
    sticky = new RegExp(toJsSource(re), 'y');
  } catch (err) {
    throw new YaraLangError('Y106', `${s.id}: ${err instanceof Error ? err.message : String(err)}`, s.loc, rule);
  }
  void file;
  const atoms = atomsOf(re);
  const local = atoms && atoms.hi - atoms.lo <= MAX_LOCAL_SPAN ? { lo: atoms.lo, hi: atoms.hi } : null;
  return {
    cs: { id: s.id, re: js, sticky, local, fullword: s.mods.fullword, wide: s.mods.wide && !s.mods.ascii, reported: !s.mods.private },
    atoms,
  };
}

export interface Engine {
  scan(data: Uint8Array, ext: Readonly<Record<string, string>>, maxReported: number): EngineMatch[];
  readonly ruleCount: number;
  readonly automatonStates: number;
}

export interface EngineBuild {
  readonly engine: Engine;
  readonly diagnostics: readonly EngineDiagnostic[];
  /** The sources that compiled (in order). */
  readonly used: readonly EngineSource[];
  /** The sources that did not, with why. */
  readonly failed: readonly { readonly source: EngineSource; readonly diagnostic: EngineDiagnostic }[];
}

function diagnosticOf(file: string, err: unknown): EngineDiagnostic {
  if (err instanceof YaraLangError) {
    return { file, rule: err.rule, line: err.loc?.line ?? null, column: err.loc?.column ?? null, code: err.code, message: err.message };
  }
  return { file, rule: null, line: null, column: null, code: 'Y101', message: err instanceof Error ? err.message : String(err) };
}

/** Compiles the sources in order; a file with an error is left out whole (as YARA does). */
export function buildEngine(sources: readonly EngineSource[], externals: readonly string[]): EngineBuild {
  const scopes = new Map<string, RuleScope>();
  const extSet = new Set(externals);
  const rules: CompiledRule[] = [];
  const strings: CompiledString[] = [];
  const atomList: string[] = [];
  const atomGroup: number[] = [];
  const diagnostics: EngineDiagnostic[] = [];
  const used: EngineSource[] = [];
  const failed: { source: EngineSource; diagnostic: EngineDiagnostic }[] = [];
  let nextRule = 0;
  for (const src of sources) {
    let scope = scopes.get(src.namespace);
    if (!scope) {
      scope = { rules: new Map(), next: nextRule };
      scopes.set(src.namespace, scope);
    }
    scope.next = nextRule;
    const before = new Map(scope.rules);
    try {
      const defs = parseYara(src.text.replace(/^\uFEFF/, ''), { file: src.file, namespace: src.namespace, externals: extSet, scope });
      const newRules: CompiledRule[] = [];
      const newStrings: CompiledString[] = [];
      const newAtoms: [string, number][] = [];
      for (const def of defs) {
        const base = strings.length + newStrings.length;
        for (const s of def.strings) {
          const { cs, atoms } = compileString(s, def.name, src.file);
          const gi = strings.length + newStrings.length;
          if (atoms) for (const a of atoms.lits) newAtoms.push([a, gi]);
          newStrings.push({ ...cs, always: atoms === null });
        }
        let cond: Fn;
        try {
          cond = compileCondition(def.condition, { base });
        } catch (err) {
          throw err instanceof YaraLangError ? err : new YaraLangError('Y106', String(err), def.loc, def.name);
        }
        newRules.push({ def, cond, base, meta: Object.fromEntries(def.meta) });
      }
      rules.push(...newRules);
      strings.push(...newStrings);
      for (const [a, g] of newAtoms) {
        atomList.push(a);
        atomGroup.push(g);
      }
      nextRule = scope.next;
      used.push(src);
    } catch (err) {
      scope.rules.clear();
      for (const [k, v] of before) scope.rules.set(k, v);
      const d = diagnosticOf(src.file, err);
      diagnostics.push(d);
      failed.push({ source: src, diagnostic: d });
    }
  }
  return { engine: makeEngine(rules, strings, buildAutomaton(atomList, atomGroup)), diagnostics, used, failed };
}

function makeEngine(rules: readonly CompiledRule[], strings: readonly CompiledString[], ac: AtomAutomaton): Engine {
  const hit = new Uint32Array(strings.length);
  const memoEpoch = new Uint32Array(strings.length);
  const memo: Matches[] = new Array<Matches>(strings.length).fill(EMPTY);
  const ruleEpoch = new Uint32Array(rules.length);
  const ruleVal = new Uint8Array(rules.length);
  const globals = rules.filter((r) => r.def.isGlobal);
  let epoch = 0;

  function wordAround(cs: CompiledString, data: Uint8Array, s: number, len: number): boolean {
    const before = cs.wide ? s >= 2 && data[s - 1] === 0 && isAlnum(data[s - 2]) : isAlnum(data[s - 1]);
    const after = cs.wide ? data[s + len + 1] === 0 && isAlnum(data[s + len]) : isAlnum(data[s + len]);
    return before || after;
  }

  /** Every start where the expression matches, over the whole data. */
  function search(cs: CompiledString, data: Uint8Array, text: string): Matches {
    const offs: number[] = [];
    const lens: number[] = [];
    const re = cs.re;
    re.lastIndex = 0;
    for (;;) {
      const m = re.exec(text);
      if (m === null) break;
      const s = m.index;
      const len = m[0].length;
      re.lastIndex = s + 1;
      if (cs.fullword && wordAround(cs, data, s, len)) continue;
      offs.push(s);
      lens.push(len);
      if (offs.length >= MAX_COUNTED_MATCHES) break;
    }
    return offs.length ? { offs, lens } : EMPTY;
  }

  /** The same, trying only the starts an atom occurrence allows (each match holds one). */
  function verify(cs: CompiledString, lo: number, hi: number, atomStarts: readonly number[], data: Uint8Array, text: string): Matches {
    const starts: number[] = [];
    for (const a of atomStarts) for (let s = Math.max(0, a - hi); s <= a - lo; s++) starts.push(s);
    starts.sort((x, y) => x - y);
    const offs: number[] = [];
    const lens: number[] = [];
    const re = cs.sticky;
    let prev = -1;
    for (const s of starts) {
      if (s === prev) continue;
      prev = s;
      re.lastIndex = s;
      const m = re.exec(text);
      if (m === null) continue;
      const len = m[0].length;
      if (cs.fullword && wordAround(cs, data, s, len)) continue;
      offs.push(s);
      lens.push(len);
      if (offs.length >= MAX_COUNTED_MATCHES) break;
    }
    return offs.length ? { offs, lens } : EMPTY;
  }

  const found: number[] = [];
  let complete = true;
  let byGroup: Map<number, number[]> | null = null;
  function atomStartsOf(g: number): readonly number[] {
    if (!byGroup) {
      byGroup = new Map();
      for (let i = 0; i < found.length; i += 2) {
        const k = found[i] as number;
        let l = byGroup.get(k);
        if (!l) byGroup.set(k, (l = []));
        l.push(found[i + 1] as number);
      }
    }
    return byGroup.get(g) ?? [];
  }

  return {
    ruleCount: rules.length,
    automatonStates: ac.states,
    scan(data, ext, maxReported) {
      epoch++;
      if (epoch === 0xffffffff) {
        hit.fill(0);
        memoEpoch.fill(0);
        ruleEpoch.fill(0);
        epoch = 1;
      }
      const ep = epoch;
      found.length = 0;
      byGroup = null;
      complete = ac.scan(data, hit, ep, found, MAX_FOUND);
      let text: string | null = null;
      const latin1 = (): string => (text ??= Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1'));
      const ctx: EvalCtx = {
        data,
        ext,
        vars: [],
        cur: -1,
        matches(g) {
          if (memoEpoch[g] === ep) return memo[g] as Matches;
          const cs = strings[g] as CompiledString;
          let m = EMPTY;
          if (cs.always) m = search(cs, data, latin1());
          else if (hit[g] === ep) {
            m = cs.local && complete ? verify(cs, cs.local.lo, cs.local.hi, atomStartsOf(g), data, latin1()) : search(cs, data, latin1());
          }
          memoEpoch[g] = ep;
          memo[g] = m;
          return m;
        },
        rule(id) {
          if (ruleEpoch[id] !== ep) {
            // Rules are evaluated in order, so a referenced rule is normally known already.
            ruleEpoch[id] = ep;
            ruleVal[id] = truthy((rules[id] as CompiledRule).cond(ctx)) ? 1 : 0;
          }
          return ruleVal[id] === 1;
        },
      };
      for (let i = 0; i < rules.length; i++) ctx.rule(i);
      const failedNs = new Set<string>();
      for (const g of globals) if (!ctx.rule(rules.indexOf(g))) failedNs.add(g.def.namespace);
      const out: EngineMatch[] = [];
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i] as CompiledRule;
        if (ruleVal[i] !== 1 || r.def.isPrivate || failedNs.has(r.def.namespace)) continue;
        const found: { id: string; offset: number; length: number }[] = [];
        r.def.strings.forEach((_, k) => {
          const cs = strings[r.base + k] as CompiledString;
          if (!cs.reported) return;
          const m = ctx.matches(r.base + k);
          const n = Math.min(m.offs.length, maxReported);
          for (let j = 0; j < n; j++) found.push({ id: cs.id, offset: m.offs[j] as number, length: m.lens[j] as number });
        });
        out.push({ namespace: r.def.namespace, rule: r.def.name, meta: r.meta, tags: r.def.tags, strings: found });
      }
      return out;
    },
  };
}
