/**
 * Windows event log sources as data (content/mappings/windows.yaml, `kind: windows-events`):
 * which channel / provider / event ids a Sigma `product: windows` log source means, and how
 * Sigma field names read from records of each (e.g. Image → NewProcessName on Security 4688).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { EventSelector, EventTarget, SigmaLogsource } from './types.js';

export const EVENT_MAPPING_KIND = 'windows-events';
/** A mapping file is an event mapping when its text has this top-level line. */
export const EVENT_MAPPING_MARK = /^kind:\s*windows-events\s*$/m;

export interface EventSourceMapping {
  readonly logsource: SigmaLogsource;
  readonly target: EventTarget;
}

interface RawSelect {
  channels?: unknown;
  providers?: unknown;
  eventIds?: unknown;
  where?: unknown;
  fields?: unknown;
}

function strings(v: unknown, where: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${where}: a list of strings`);
  return v.map((x) => x.toLowerCase());
}

function numbers(v: unknown, where: string): number[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new Error(`${where}: a list of event ids`);
  return v as number[];
}

function fieldMap(common: Map<string, string>, v: unknown, where: string): Map<string, string> | null {
  if (v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v))) throw new Error(`${where}: a map of field names`);
  const out = new Map(common);
  for (const [k, name] of Object.entries((v ?? {}) as Record<string, unknown>)) {
    if (typeof name !== 'string') throw new Error(`${where}.${k}: a field name`);
    out.set(k.toLowerCase(), name);
  }
  return out.size ? out : null;
}

/** `where: {Field: value or [values]}`: record fields the selector requires (values lower-cased). */
function conditions(v: unknown, where: string): Map<string, string[]> | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where}: a map of field conditions`);
  const out = new Map<string, string[]>();
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    const list = Array.isArray(raw) ? raw : [raw];
    if (!list.length || !list.every((x) => typeof x === 'string')) throw new Error(`${where}.${k}: a value or a list of values`);
    out.set(k, list.map((x) => x.toLowerCase()));
  }
  return out.size ? out : null;
}

function selector(common: Map<string, string>, s: RawSelect, where: string): EventSelector {
  return {
    channels: strings(s.channels, `${where}.channels`),
    providers: strings(s.providers, `${where}.providers`),
    eventIds: numbers(s.eventIds, `${where}.eventIds`),
    where: conditions(s.where, `${where}.where`),
    fields: fieldMap(common, s.fields, `${where}.fields`),
  };
}

/** Parses one windows-events mapping file (throws with the file name: it is our own content). */
export function parseEventMapping(name: string, text: string): EventSourceMapping[] {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`${name}: ${doc.errors[0]?.message ?? 'YAML error'}`);
  const data = doc.toJS() as { kind?: unknown; fields?: unknown; sources?: unknown };
  if (data.kind !== EVENT_MAPPING_KIND || !Array.isArray(data.sources)) throw new Error(`${name}: needs kind: ${EVENT_MAPPING_KIND} and sources`);
  const common = fieldMap(new Map(), data.fields, `${name}: fields`) ?? new Map<string, string>();
  return (data.sources as { name?: unknown; logsource?: SigmaLogsource; select?: unknown }[]).map((src, i) => {
    const where = `${name}: sources[${i}]`;
    if (typeof src.name !== 'string' || !src.logsource || !Array.isArray(src.select)) throw new Error(`${where}: needs name, logsource, select`);
    const selectors = (src.select as RawSelect[]).map((s, j) => selector(common, s, `${where}.select[${j}]`));
    return { logsource: src.logsource, target: { name: src.name, selectors } };
  });
}

/** Every windows-events mapping under `dir` (other mapping files are left to mappings.ts). */
export function loadEventMappings(dir: string): EventSourceMapping[] {
  const out: EventSourceMapping[] = [];
  for (const n of readdirSync(dir).filter((x) => /\.ya?ml$/i.test(x)).sort()) {
    const text = readFileSync(join(dir, n), 'utf8');
    if (EVENT_MAPPING_MARK.test(text)) out.push(...parseEventMapping(n, text));
  }
  return out;
}

const same = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** The event source for a Sigma log source: product windows, same category and service. */
export function eventTargetFor(ls: SigmaLogsource, maps: readonly EventSourceMapping[]): EventTarget | null {
  if (!same(ls.product, 'windows')) return null;
  const hit = maps.find((m) => same(m.logsource.category, ls.category) && same(m.logsource.service, ls.service));
  return hit?.target ?? null;
}

/** What own rules with `logsource: evtx` apply to: every event record, fields as recorded. */
export const ALL_EVENTS: EventTarget = {
  name: 'evtx',
  selectors: [{ channels: null, providers: null, eventIds: null, fields: null }],
};
