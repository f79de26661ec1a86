/**
 * Compiles a `detection` section (search identifiers + condition, the Sigma language used by
 * Sigma and built-in rules alike) into one predicate over a FieldView plus a cheap prefilter.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { RuleError } from '../diagnostics.js';
import type { CompiledDetection, FieldView, LineGate, Prefilter, PrefilterAlt, Reach } from '../types.js';
import { entry, keysOf, posOf, type YamlFile } from '../yaml-source.js';
import { expandOf, parseCondition, type Cond } from './condition.js';
import { compileItem, type CompiledItem, type ItemSpec, type Scalar } from './values.js';
import { gateAnd, gateOf, gateOr } from './gate.js';

type Test = (v: FieldView) => boolean;
type Absent = (field: string) => boolean;
interface Node {
  readonly test: Test;
  readonly prefilter: Prefilter;
  readonly gate: LineGate;
  /** See CompiledDetection.reach. */
  readonly reach: (absent: Absent) => Reach;
}

const ALWAYS: Node = { test: () => true, prefilter: null, gate: null, reach: () => 'always' };

/** A record with no fields at all: what an item sees of a field its family never records. */
const NOTHING: FieldView = { get: () => undefined, lower: () => undefined, text: () => '', textLower: () => '' };

function reachAnd(rs: Reach[]): Reach {
  if (rs.includes('never')) return 'never';
  return rs.every((r) => r === 'always') ? 'always' : 'maybe';
}

function reachOr(rs: Reach[]): Reach {
  if (rs.includes('always')) return 'always';
  return rs.every((r) => r === 'never') ? 'never' : 'maybe';
}

function scalarOf(y: YamlFile, n: unknown): { value: Scalar; pos: ReturnType<typeof posOf> } {
  if (n === null || n === undefined) return { value: null, pos: null };
  if (!isScalar(n)) throw new RuleError('E306', 'expected a plain value here', posOf(y, n));
  const v = n.value;
  if (v !== null && typeof v === 'object') throw new RuleError('E306', 'expected a plain value here', posOf(y, n));
  // Numbers compare as written (`0688`, `1.0`), not as YAML's reading of them.
  if (typeof v === 'number' && typeof n.source === 'string') return { value: n.source, pos: posOf(y, n) };
  return { value: v as Scalar, pos: posOf(y, n) };
}

export interface DetectionOptions {
  /** Lower-cased field names compared with `+` read as a space. */
  readonly plusAsSpace?: ReadonlySet<string>;
  /** Values for `|expand` placeholders (`%name%`); without them `|expand` is unsupported. */
  readonly placeholders?: ReadonlyMap<string, readonly string[]>;
  /**
   * Lower-cased names of fields whose logged text may be percent-encoded (derived/fields.ts):
   * the line pre-screen also admits any line with a `%` for them.
   */
  readonly encodedFields?: ReadonlySet<string>;
}

function expand(spec: ItemSpec, o: DetectionOptions): ItemSpec {
  const i = spec.modifiers.findIndex((m) => m.toLowerCase() === 'expand');
  if (i < 0 || !o.placeholders) return spec;
  const values = spec.values.flatMap(({ value, pos }) => {
    const m = typeof value === 'string' ? /^%(\w+)%$/.exec(value) : null;
    const list = m ? o.placeholders?.get(m[1] ?? '') : undefined;
    if (!list) throw new RuleError('E305', `|expand: unknown placeholder ${String(value)}`, pos);
    return list.map((v) => ({ value: v, pos }));
  });
  return { ...spec, values, modifiers: spec.modifiers.filter((_, j) => j !== i) };
}

function itemSpec(y: YamlFile, keyText: string, keyNode: unknown, value: unknown, o: DetectionOptions): ItemSpec {
  const [field = '', ...modifiers] = keyText.split('|');
  const plusAsSpace = field !== '' && (o.plusAsSpace?.has(field.toLowerCase()) ?? false);
  const pos = posOf(y, keyNode);
  const values = isSeq(value) ? value.items.map((it) => scalarOf(y, it)) : [scalarOf(y, value)];
  if (isMap(value)) throw new RuleError('E306', 'a field value cannot be a mapping', posOf(y, value));
  if (values.length === 0) throw new RuleError('E306', 'an empty value list matches nothing', pos);
  return expand({ field: field === '' ? null : field, modifiers, values, pos, plusAsSpace }, o);
}

function and(nodes: Node[]): Node {
  if (nodes.length === 1) return nodes[0] as Node;
  const tests = nodes.map((n) => n.test);
  return {
    test: (v) => tests.every((t) => t(v)),
    prefilter: bestOf(nodes.map((n) => n.prefilter)),
    gate: gateAnd(nodes.map((n) => n.gate)),
    reach: (a) => reachAnd(nodes.map((n) => n.reach(a))),
  };
}

function or(nodes: Node[]): Node {
  if (nodes.length === 1) return nodes[0] as Node;
  const tests = nodes.map((n) => n.test);
  const pfs = nodes.map((n) => n.prefilter);
  const prefilter = pfs.every((p) => p !== null) ? (pfs as PrefilterAlt[][]).flat() : null;
  return { test: (v) => tests.some((t) => t(v)), prefilter, gate: gateOr(nodes.map((n) => n.gate)), reach: (a) => reachOr(nodes.map((n) => n.reach(a))) };
}

/** Among necessary conditions (AND), the one that is cheapest and most selective. */
function bestOf(pfs: Prefilter[]): Prefilter {
  let best: Prefilter = null;
  let score = -Infinity;
  for (const p of pfs) {
    if (!p) continue;
    const lits = p.flatMap((a) => a.literals);
    const s = Math.min(...lits.map((l) => l.length)) * 4 - lits.length;
    if (s > score) [best, score] = [p, s];
  }
  return best;
}

function fromItem(c: CompiledItem, field: string | null, encoded = false): Node {
  const prefilter = c.prefilter ? [c.prefilter] : null;
  // An item on a field that is never recorded always gives what it gives on an empty record.
  const onNothing: Reach = c.test(NOTHING) ? 'always' : 'never';
  const gate = c.gate !== undefined ? c.gate : gateOf(prefilter);
  return {
    test: c.test,
    prefilter,
    // The raw line holds the literal, or some of it encoded (then a `%`).
    gate: encoded ? gateOr([gate, [['%']]]) : gate,
    reach: (absent) => (field !== null && absent(field) ? onNothing : 'maybe'),
  };
}

function compileMap(y: YamlFile, m: YAMLMap, fields: Set<string>, o: DetectionOptions): Node {
  const items = keysOf(m).map(({ name, key, value }) => {
    const spec = itemSpec(y, name, key, value, o);
    if (spec.field !== null) fields.add(spec.field);
    return fromItem(compileItem(spec), spec.field, spec.field !== null && (o.encodedFields?.has(spec.field.toLowerCase()) ?? false));
  });
  if (items.length === 0) throw new RuleError('E306', 'an empty selection matches nothing', posOf(y, m));
  return and(items);
}

function compileSearch(y: YamlFile, name: string, n: unknown, fields: Set<string>, o: DetectionOptions): Node {
  if (isMap(n)) return compileMap(y, n, fields, o);
  if (isSeq(n)) {
    const seq = n;
    if (seq.items.length === 0) throw new RuleError('E306', `\`${name}\` is an empty list`, posOf(y, n));
    const maps = seq.items.filter((it): it is YAMLMap => isMap(it));
    if (maps.length === seq.items.length) return or(maps.map((it) => compileMap(y, it, fields, o)));
    if (seq.items.every((it) => isScalar(it))) return fromItem(compileItem(itemSpec(y, '', null, seq, o)), null);
    throw new RuleError('E306', `\`${name}\` mixes maps and plain values`, posOf(y, n));
  }
  if (isScalar(n) && n.value !== null) return fromItem(compileItem(itemSpec(y, '', null, n, o)), null);
  throw new RuleError('E306', `\`${name}\` must be a mapping, a list of mappings or a keyword list`, posOf(y, n));
}

function conditionText(y: YamlFile, det: YAMLMap): { text: string; pos: ReturnType<typeof posOf> } {
  const e = entry(det, 'condition');
  if (!e) throw new RuleError('E101', '`detection.condition` is required', posOf(y, det));
  if (isScalar(e.value) && typeof e.value.value === 'string') {
    // Column of the text itself: plain scalars start at their range; quoted ones one later.
    const pos = posOf(y, e.value);
    const quoted = e.value.type === 'QUOTE_DOUBLE' || e.value.type === 'QUOTE_SINGLE';
    return { text: e.value.value, pos: pos && quoted ? { line: pos.line, column: pos.column + 1 } : pos };
  }
  if (isSeq(e.value) && e.value.items.every((it) => isScalar(it) && typeof it.value === 'string')) {
    // A list of conditions is their disjunction (deprecated Sigma form).
    const parts = e.value.items.map((it) => `(${String((it as { value: string }).value)})`);
    return { text: parts.join(' or '), pos: posOf(y, e.value) };
  }
  throw new RuleError('E101', '`detection.condition` must be a string', posOf(y, e.value ?? e.key));
}

export function compileDetection(y: YamlFile, det: YAMLMap, o: DetectionOptions = {}): CompiledDetection {
  const fields = new Set<string>();
  const searches = new Map<string, Node>();
  for (const { name, key, value } of keysOf(det)) {
    if (name === 'condition') continue;
    if (name === 'timeframe') throw new RuleError('E203', '`timeframe` (correlation) is not supported', posOf(y, key));
    searches.set(name, compileSearch(y, name, value, fields, o));
  }
  const cond = conditionText(y, det);
  const ast = parseCondition(cond.text, cond.pos);
  const ids = [...searches.keys()];
  const build = (c: Cond): Node => {
    switch (c.op) {
      case 'and':
        return and(c.items.map(build));
      case 'or':
        return or(c.items.map(build));
      case 'not': {
        const node = build(c.item);
        const inner = node.test;
        const flip: Record<Reach, Reach> = { never: 'always', always: 'never', maybe: 'maybe' };
        return { test: (v) => !inner(v), prefilter: null, gate: null, reach: (a) => flip[node.reach(a)] };
      }
      case 'id': {
        const s = searches.get(c.name);
        if (!s) throw new RuleError('E202', `unknown search identifier \`${c.name}\``, at(cond.pos, c.at));
        return s;
      }
      case 'of': {
        const names = expandOf(c.pattern, ids);
        if (!names.length) throw new RuleError('E202', `\`${c.pattern}\` names no search identifier`, at(cond.pos, c.at));
        const nodes = names.map((n) => searches.get(n) ?? ALWAYS);
        if (c.quant === 'all') return and(nodes);
        if (c.quant === 1) return or(nodes);
        return atLeast(c.quant, nodes);
      }
    }
  };
  const root = build(ast);
  return { test: root.test, prefilter: root.prefilter, lineGate: root.gate, fields: [...fields], reach: root.reach };
}

function atLeast(n: number, nodes: Node[]): Node {
  const tests = nodes.map((x) => x.test);
  return {
    reach: (a) => {
      const rs = nodes.map((x) => x.reach(a));
      const sure = rs.filter((r) => r === 'always').length;
      const possible = rs.filter((r) => r !== 'never').length;
      return sure >= n ? 'always' : possible < n ? 'never' : 'maybe';
    },
    test: (v) => {
      let k = 0;
      for (const t of tests) if (t(v) && ++k >= n) return true;
      return false;
    },
    prefilter: null,
    gate: null,
  };
}

function at(base: ReturnType<typeof posOf>, offset: number): ReturnType<typeof posOf> {
  return base ? { line: base.line, column: base.column + offset } : null;
}
