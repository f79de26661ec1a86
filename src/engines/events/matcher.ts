/**
 * The event matcher: rules over Windows event records (own rules with `logsource: evtx`,
 * Sigma `product: windows` rules), indexed by event id and channel so that a record meets only
 * the rules whose log source can accept it; per field mapping, one prefilter pass (the log
 * engine's PrefilterIndex) picks the candidates, then provider and the compiled detection.
 */
import type { Severity } from '../../findings/types.js';
import type { EventRecord } from '../../parsers/types.js';
import type { EventSelector, LogRule, Rule } from '../../rules/types.js';
import { PrefilterIndex } from '../logs/prefilter-index.js';
import { EventFields, EventView } from './event-view.js';

export interface EventHit {
  readonly rule: LogRule;
  readonly severity: Severity;
}

export interface EventMatcher {
  match(rec: EventRecord): EventHit[];
  /** How many rules apply to event records. */
  readonly size: number;
}

interface Entry {
  readonly rule: LogRule;
  readonly ruleIdx: number;
  readonly sel: EventSelector;
}

/** Entries that share a view (field mapping): one prefilter pass over the record per group. */
interface Group {
  readonly view: EventView;
  readonly entries: Entry[];
  index: PrefilterIndex | null;
}

const ANY = '*';
const keyOf = (id: number | string, channel: string): string => `${id}\u0000${channel}`;

/** Rules that run on event records (the others are the log engine's or the file scanner's). */
export function eventRulesOf(rules: readonly Rule[]): LogRule[] {
  return rules.filter((r): r is LogRule => (r.kind === 'builtin' || r.kind === 'sigma') && !!r.events);
}

/** The index key already matched event id and channel; the provider and field conditions are checked here. */
function accepts(sel: EventSelector, provider: string, fields: EventFields): boolean {
  if (sel.providers !== null && !sel.providers.includes(provider)) return false;
  if (!sel.where) return true;
  for (const [name, values] of sel.where) {
    const v = fields.get(name)?.toLowerCase();
    if (v === undefined || !values.includes(v)) return false;
  }
  return true;
}

/** Entries keyed by (event id or *, channel or *), grouped by view within a key. */
function buildIndex(rules: readonly LogRule[]): Map<string, Group[]> {
  const views = new Map<ReadonlyMap<string, string> | null, EventView>();
  const index = new Map<string, Group[]>();
  rules.forEach((rule, ruleIdx) => {
    for (const sel of rule.events?.selectors ?? []) {
      let view = views.get(sel.fields);
      if (!view) views.set(sel.fields, (view = new EventView(sel.fields)));
      for (const id of sel.eventIds ?? [ANY]) {
        for (const ch of sel.channels ?? [ANY]) {
          const k = keyOf(id, ch);
          const groups = index.get(k) ?? [];
          let g = groups.find((x) => x.view === view);
          if (!g) groups.push((g = { view, entries: [], index: null }));
          g.entries.push({ rule, ruleIdx, sel });
          index.set(k, groups);
        }
      }
    }
  });
  for (const groups of index.values()) for (const g of groups) g.index = new PrefilterIndex(g.entries.map((e) => e.rule));
  return index;
}

/** One matcher runs on one thread: views are reused across records. */
export function createEventMatcher(rules: readonly Rule[]): EventMatcher {
  const evRules = eventRulesOf(rules);
  const index = buildIndex(evRules);
  const done = new Uint32Array(evRules.length);
  const viewGen = new Map<EventView, number>();
  let gen = 0;
  return {
    size: evRules.length,
    match(rec) {
      const channel = rec.channel?.toLowerCase() ?? '';
      const lists = [keyOf(rec.eventId, channel), keyOf(rec.eventId, ANY), keyOf(ANY, channel), keyOf(ANY, ANY)].map((k) => index.get(k));
      if (!lists.some((l) => l !== undefined)) return [];
      gen = (gen + 1) >>> 0 || 1;
      const provider = rec.provider?.toLowerCase() ?? '';
      let fields: EventFields | null = null;
      let hits: EventHit[] | undefined;
      for (const groups of lists) {
        for (const g of groups ?? []) {
          fields ??= new EventFields(rec);
          if (viewGen.get(g.view) !== gen) {
            g.view.reset(fields);
            viewGen.set(g.view, gen);
          }
          const pf = g.index as PrefilterIndex;
          pf.scan(g.view);
          for (let i = 0; i < g.entries.length; i++) {
            const e = g.entries[i] as Entry;
            if (!pf.isCandidate(i) || done[e.ruleIdx] === gen || !accepts(e.sel, provider, fields)) continue;
            if (!e.rule.detection.test(g.view)) continue;
            done[e.ruleIdx] = gen;
            (hits ??= []).push({ rule: e.rule, severity: e.rule.meta.severity });
          }
        }
      }
      return hits ?? [];
    },
  };
}
