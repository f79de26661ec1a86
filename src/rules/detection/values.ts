/**
 * One detection item (`field|mod|mod: value(s)`) compiled into a predicate over a FieldView,
 * following the Sigma modifier semantics (appendix_modifier.md of SigmaHQ/sigma-specification).
 */
import { RuleError, type Pos } from '../diagnostics.js';
import type { FieldView, LineGate, PrefilterAlt } from '../types.js';
import { base64, base64Offsets, inCidr, parseCidr, utf16, windashVariants, type Cidr } from './encodings.js';
import { ANY, compileGlob, literalOnly, literalRuns, mapLiterals, parseSigmaString, type Part, type SigmaString } from './glob.js';
import { checkRegexSafety } from './regex-safety.js';

export type Scalar = string | number | boolean | null;

export interface ItemSpec {
  /** null for keywords (match anywhere in the record). */
  readonly field: string | null;
  readonly modifiers: readonly string[];
  readonly values: readonly { readonly value: Scalar; readonly pos: Pos | null }[];
  readonly pos: Pos | null;
  /** Compare with `+` read as a space (IIS user agents); see content/mappings. */
  readonly plusAsSpace?: boolean;
}

export interface CompiledItem {
  readonly test: (v: FieldView) => boolean;
  readonly prefilter: PrefilterAlt | null;
  /** Literal conjunctions (see LineGate in ../types.ts); absent: derive from `prefilter`. */
  readonly gate?: LineGate;
}

type Val = { readonly kind: 'str'; readonly s: SigmaString } | { readonly kind: 'bytes'; readonly b: Buffer };

const TRANSFORMS = new Set(['contains', 'startswith', 'endswith', 'windash', 'base64', 'base64offset', 'wide', 'utf16le', 'utf16be', 'utf16']);
const TYPES = new Set(['re', 'cidr', 'exists', 'lt', 'lte', 'gt', 'gte']);
const RE_FLAGS = new Set(['i', 'm', 's']);
const UNSUPPORTED = new Set(['expand', 'fieldref']);

function applyTransform(mod: string, v: Val, pos: Pos | null): Val[] {
  const str = (): string => {
    if (v.kind !== 'str') throw new RuleError('E303', `|${mod} cannot follow an encoding to bytes`, pos);
    const lit = literalOnly(v.s);
    if (lit === null) throw new RuleError('E303', `|${mod} needs a value without wildcards`, pos);
    return lit;
  };
  const bytes = (): Buffer => (v.kind === 'bytes' ? v.b : Buffer.from(str(), 'utf8'));
  const s = (t: string): Val => ({ kind: 'str', s: [t] });
  switch (mod) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (v.kind !== 'str') throw new RuleError('E303', `|${mod} after an encoding without |base64`, pos);
      const head = mod !== 'startswith' && v.s[0] !== ANY ? [ANY] : [];
      const tail = mod !== 'endswith' && v.s[v.s.length - 1] !== ANY ? [ANY] : [];
      return [{ kind: 'str', s: [...head, ...v.s, ...tail] as SigmaString }];
    }
    case 'windash': {
      if (v.kind !== 'str') throw new RuleError('E303', '|windash cannot follow an encoding to bytes', pos);
      const variants = windashParts(v.s);
      if (!variants) throw new RuleError('E305', '|windash: too many dash permutations', pos);
      return variants.map((parts) => ({ kind: 'str', s: parts }));
    }
    case 'base64':
      return [s(base64(bytes()))];
    case 'base64offset':
      return base64Offsets(bytes()).map(s);
    case 'wide':
    case 'utf16le':
      return [{ kind: 'bytes', b: utf16(str(), 'le') }];
    case 'utf16be':
      return [{ kind: 'bytes', b: utf16(str(), 'be') }];
    default:
      return [{ kind: 'bytes', b: utf16(str(), 'bom') }];
  }
}

/** Every dash variant of a Sigma string (wildcards kept), or null past 256 variants. */
function windashParts(parts: SigmaString): SigmaString[] | null {
  let out: Part[][] = [[]];
  for (const p of parts) {
    const alts = typeof p === 'string' ? windashVariants(p) : [p];
    if (!alts || out.length * alts.length > 256) return null;
    out = out.flatMap((o) => alts.map((a) => [...o, a]));
  }
  return out;
}

interface Parsed {
  readonly transforms: string[];
  readonly type: string | null;
  readonly reFlags: string;
  readonly all: boolean;
  readonly cased: boolean;
}

function parseModifiers(spec: ItemSpec): Parsed {
  const p: Parsed = { transforms: [], type: null, reFlags: '', all: false, cased: false };
  let { type, reFlags, all, cased } = p;
  for (const m of spec.modifiers.map((x) => x.toLowerCase())) {
    if (UNSUPPORTED.has(m)) throw new RuleError('E302', `modifier |${m} is not supported`, spec.pos);
    if (m === 'all') all = true;
    else if (m === 'cased') cased = true;
    else if (RE_FLAGS.has(m) && type === 're') reFlags += m;
    else if (TYPES.has(m)) {
      if (type) throw new RuleError('E303', `|${m} cannot be combined with |${type}`, spec.pos);
      type = m;
    } else if (TRANSFORMS.has(m)) {
      if (type) throw new RuleError('E303', `|${m} cannot follow |${type}`, spec.pos);
      p.transforms.push(m);
    } else throw new RuleError('E301', `unknown modifier |${m}`, spec.pos);
  }
  if (type && type !== 're' && p.transforms.length) {
    throw new RuleError('E303', `|${type} cannot be combined with |${p.transforms.join('|')}`, spec.pos);
  }
  return { ...p, type, reFlags, all, cased };
}

/** Compiles one item; throws RuleError for anything it would not evaluate faithfully. */
export function compileItem(spec: ItemSpec): CompiledItem {
  const mods = parseModifiers(spec);
  if (mods.type === 're') return compileRegex(spec, mods);
  if (mods.type === 'cidr') return compileCidr(spec, mods);
  if (mods.type === 'exists') return compileExists(spec);
  if (mods.type) return compileCompare(spec, mods, mods.type);
  return compileStrings(spec, mods);
}

function read(spec: ItemSpec, cased: boolean): (v: FieldView) => string | undefined {
  const f = spec.field;
  if (f === null) return cased ? (v) => v.text() : (v) => v.textLower();
  return cased ? (v) => v.get(f) : (v) => v.lower(f);
}

function combine(tests: ((v: FieldView) => boolean)[], all: boolean): (v: FieldView) => boolean {
  if (tests.length === 1) return tests[0] as (v: FieldView) => boolean;
  return all ? (v) => tests.every((t) => t(v)) : (v) => tests.some((t) => t(v));
}

function compileStrings(spec: ItemSpec, mods: Parsed): CompiledItem {
  const get = read(spec, mods.cased);
  const tests: ((v: FieldView) => boolean)[] = [];
  const lits: string[] = [];
  /** Per value: its alternatives (transforms may make several), each the list of its literal runs. */
  const runs: string[][][] = [];
  let prefilterOk = true;
  for (const { value, pos } of spec.values) {
    if (value === null) {
      if (spec.field === null) throw new RuleError('E306', 'a null keyword matches nothing', pos);
      const f = spec.field;
      tests.push((v) => !v.get(f));
      prefilterOk = false;
      continue;
    }
    let parsed = parseSigmaString(String(value));
    if (spec.plusAsSpace) parsed = mapLiterals(parsed, (l) => l.replace(/\+/g, ' '));
    let vals: Val[] = [{ kind: 'str', s: parsed }];
    for (const t of mods.transforms) vals = applyAll(t, vals, pos);
    // Keywords match anywhere in the record.
    if (spec.field === null) vals = applyAll('contains', vals, pos);
    const strs = vals.map((x) => {
      if (x.kind !== 'str') throw new RuleError('E303', 'a UTF-16 value needs |base64 or |base64offset after it', pos);
      return mods.cased ? x.s : mapLiterals(x.s, (l) => l.toLowerCase());
    });
    const globs = strs.map(compileGlob);
    tests.push((v) => {
      const s = get(v);
      return s !== undefined && globs.some((g) => g(s));
    });
    for (const s of strs) {
      const best = literalRuns(s).sort((a, b) => b.length - a.length)[0];
      if (best === undefined) prefilterOk = false;
      else lits.push(mods.cased ? best.toLowerCase() : best);
    }
    runs.push(strs.map((s) => literalRuns(s).map((r) => (mods.cased ? r.toLowerCase() : r))));
  }
  if (mods.all && spec.values.length < 2) throw new RuleError('E303', '|all needs a list of two or more values', spec.pos);
  // With |all one value's literal suffices; the longest is the most selective.
  const pfLits = mods.all ? lits.sort((a, b) => b.length - a.length).slice(0, 1) : lits;
  const prefilter = prefilterOk && pfLits.length ? { field: spec.field, literals: pfLits } : null;
  return { test: combine(tests, mods.all), prefilter, gate: prefilter ? stringsGate(runs, mods.all) : null };
}

/**
 * The line gate of a string item: every literal run of a value's pattern must occur in the
 * field (`/ecp/?.js` needs `/ecp/` and `.js`). Without |all, one term per alternative; with
 * |all, one term joining every value's runs when no value has several alternatives (else
 * undefined: the prefilter's single literal stands).
 */
function stringsGate(runs: readonly string[][][], all: boolean): LineGate | undefined {
  if (!all) return runs.flat().map((r) => [...new Set(r)]);
  if (runs.some((alts) => alts.length !== 1)) return undefined;
  return [[...new Set(runs.flatMap((alts) => alts[0] ?? []))]];
}

function applyAll(mod: string, vals: Val[], pos: Pos | null): Val[] {
  return vals.flatMap((v) => applyTransform(mod, v, pos));
}

function scalarString(spec: ItemSpec, value: Scalar, pos: Pos | null, what: string): string {
  if (value === null || typeof value === 'boolean') throw new RuleError('E305', `${what} needs a string value`, pos);
  return String(value);
}

function compileRegex(spec: ItemSpec, mods: Parsed): CompiledItem {
  const f = spec.field;
  const get = f === null ? (v: FieldView) => v.text() : (v: FieldView) => v.get(f);
  const tests = spec.values.map(({ value, pos }) => {
    let src = scalarString(spec, value, pos, '|re');
    let flags = mods.reFlags;
    const inline = /^\(\?([ims]+)\)/.exec(src);
    if (inline) {
      flags += inline[1];
      src = src.slice(inline[0].length);
    }
    const verdict = checkRegexSafety(src);
    if (!verdict.ok) throw new RuleError('E304', `regex rejected: ${verdict.reason ?? ''}`, pos);
    let re: RegExp;
    try {
      re = new RegExp(src, [...new Set(flags)].join(''));
    } catch (e) {
      throw new RuleError('E304', `invalid regex: ${(e as Error).message}`, pos);
    }
    return (v: FieldView): boolean => {
      const s = get(v);
      return s !== undefined && re.test(s);
    };
  });
  return { test: combine(tests, mods.all), prefilter: null };
}

function compileCidr(spec: ItemSpec, mods: Parsed): CompiledItem {
  const f = spec.field;
  if (f === null) throw new RuleError('E306', '|cidr needs a field', spec.pos);
  const nets: Cidr[] = spec.values.map(({ value, pos }) => {
    const c = parseCidr(scalarString(spec, value, pos, '|cidr'));
    if (!c) throw new RuleError('E305', `|cidr: not a network: ${String(value)}`, pos);
    return c;
  });
  const test = mods.all
    ? (v: FieldView): boolean => nets.every((n) => inCidr(v.get(f) ?? '', n))
    : (v: FieldView): boolean => {
        const ip = v.get(f);
        return ip !== undefined && nets.some((n) => inCidr(ip, n));
      };
  return { test, prefilter: null };
}

function compileExists(spec: ItemSpec): CompiledItem {
  const f = spec.field;
  const only = spec.values[0];
  if (f === null || spec.values.length !== 1 || typeof only?.value !== 'boolean') {
    throw new RuleError('E305', '|exists needs a field and one boolean', spec.pos);
  }
  const want = only.value;
  return { test: (v) => (v.get(f) !== undefined) === want, prefilter: null };
}

function compileCompare(spec: ItemSpec, mods: Parsed, op: string): CompiledItem {
  const f = spec.field;
  if (f === null) throw new RuleError('E306', `|${op} needs a field`, spec.pos);
  const tests = spec.values.map(({ value, pos }) => {
    const n = Number(value);
    if (typeof value !== 'number' && (typeof value !== 'string' || value.trim() === '' || Number.isNaN(n))) {
      throw new RuleError('E305', `|${op} needs a number`, pos);
    }
    return (v: FieldView): boolean => {
      const s = v.get(f);
      if (s === undefined || s.trim() === '') return false;
      const x = Number(s);
      if (Number.isNaN(x)) return false;
      return op === 'lt' ? x < n : op === 'lte' ? x <= n : op === 'gt' ? x > n : x >= n;
    };
  });
  return { test: combine(tests, mods.all), prefilter: null };
}
