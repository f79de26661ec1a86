/**
 * The event matcher: rules over Windows event records (own rules with `logsource: evtx`,
 * Sigma `product: windows` rules), indexed by event id so that a record meets only the rules
 * whose log source can accept it; then channel / provider, the rule's prefilter literal, and
 * its compiled detection over a view with the selector's field mapping.
 */
import type { Severity } from '../../findings/types.js';
import { flattenEvent } from '../../parsers/evtx/index.js';
import type { EventRecord } from '../../parsers/types.js';
import type { EventSelector, FieldView, LogRule, Prefilter, Rule } from '../../rules/types.js';
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
  readonly view: EventView;
}

/** Rules that run on event records (the others are the log engine's or the file scanner's). */
export function eventRulesOf(rules: readonly Rule[]): LogRule[] {
  return rules.filter((r): r is LogRule => (r.kind === 'builtin' || r.kind === 'sigma') && !!r.events);
}

function passesPrefilter(pf: Prefilter, view: FieldView): boolean {
  if (pf === null) return true;
  for (const alt of pf) {
    const s = alt.field === null ? view.textLower() : view.lower(alt.field);
    if (s !== undefined && alt.literals.some((l) => s.includes(l))) return true;
  }
  return false;
}

function accepts(sel: EventSelector, channel: string, provider: string): boolean {
  return (sel.channels === null || sel.channels.includes(channel)) && (sel.providers === null || sel.providers.includes(provider));
}

function buildIndex(rules: readonly LogRule[]): { byId: Map<number, Entry[]>; anyId: Entry[] } {
  const views = new Map<ReadonlyMap<string, string> | null, EventView>();
  const byId = new Map<number, Entry[]>();
  const anyId: Entry[] = [];
  rules.forEach((rule, ruleIdx) => {
    for (const sel of rule.events?.selectors ?? []) {
      let view = views.get(sel.fields);
      if (!view) views.set(sel.fields, (view = new EventView(sel.fields)));
      const e: Entry = { rule, ruleIdx, sel, view };
      if (sel.eventIds === null) anyId.push(e);
      else for (const id of sel.eventIds) byId.set(id, [...(byId.get(id) ?? []), e]);
    }
  });
  return { byId, anyId };
}

/** One matcher runs on one thread: views are reused across records. */
export function createEventMatcher(rules: readonly Rule[]): EventMatcher {
  const evRules = eventRulesOf(rules);
  const { byId, anyId } = buildIndex(evRules);
  const done = new Uint32Array(evRules.length);
  const viewGen = new Map<EventView, number>();
  let gen = 0;
  return {
    size: evRules.length,
    match(rec) {
      const lists = [byId.get(rec.eventId), anyId];
      if (!lists[0] && anyId.length === 0) return [];
      gen = (gen + 1) >>> 0 || 1;
      const channel = rec.channel?.toLowerCase() ?? '';
      const provider = rec.provider?.toLowerCase() ?? '';
      let fields: EventFields | null = null;
      let hits: EventHit[] | undefined;
      for (const list of lists) {
        for (const e of list ?? []) {
          if (done[e.ruleIdx] === gen || !accepts(e.sel, channel, provider)) continue;
          fields ??= new EventFields(rec, flattenEvent(rec));
          if (viewGen.get(e.view) !== gen) {
            e.view.reset(fields);
            viewGen.set(e.view, gen);
          }
          if (!passesPrefilter(e.rule.detection.prefilter, e.view) || !e.rule.detection.test(e.view)) continue;
          done[e.ruleIdx] = gen;
          (hits ??= []).push({ rule: e.rule, severity: e.rule.meta.severity });
        }
      }
      return hits ?? [];
    },
  };
}
