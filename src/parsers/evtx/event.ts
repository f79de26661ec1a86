/**
 * Turns the element tree of one event (`<Event><System>…</System><EventData>…`) into the
 * contract `EventRecord`, and offers the two views other stages need: `toParseJson` (the
 * `exhunt parse FILE.evtx --format jsonl` object) and `flattenEvent` (flat string fields for
 * rule matching).
 */
import type { EventRecord, Location } from '../types.js';
import type { XElement, XNode } from './binxml.js';

const XML_ESC: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (ch) => XML_ESC[ch] ?? ch);
}

function serialize(el: XElement): string {
  let s = `<${el.name}`;
  for (const a of el.attrs) s += ` ${a.name}="${escapeXml(textOf(a.value, false))}"`;
  if (el.children.length === 0) return `${s}/>`;
  return `${s}>${textOf(el.children, true)}</${el.name}>`;
}

/** Text content of nodes; nested elements are rendered as XML text (as python-evtx shows). */
export function textOf(nodes: readonly XNode[], escape = false): string {
  if (nodes.length === 1) {
    const only = nodes[0];
    if (typeof only === 'string') return escape ? escapeXml(only) : only;
  }
  let s = '';
  for (const n of nodes) {
    if (typeof n === 'string') s += escape ? escapeXml(n) : n;
    else if (n.k === 1) s += serialize(n);
  }
  return s;
}

export function attr(el: XElement, name: string): string | null {
  for (const a of el.attrs) if (a.name === name) return textOf(a.value);
  return null;
}

export function firstElement(nodes: readonly XNode[]): XElement | null {
  for (const n of nodes) if (typeof n !== 'string' && n.k === 1) return n;
  return null;
}

function toInt(s: string | null): number | null {
  if (s === null || s === '') return null;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : null;
}

function emptyToNull(s: string): string | null {
  return s === '' ? null : s;
}

/** UserData (or any element) as a plain object: leaves are strings, repeats become arrays. */
export function elementToObject(el: XElement): unknown {
  const kids = el.children.filter((n): n is XElement => typeof n !== 'string' && n.k === 1);
  const attrs = el.attrs.filter((a) => a.name !== 'xmlns' && !a.name.startsWith('xmlns:'));
  if (kids.length === 0 && attrs.length === 0) return textOf(el.children);
  const obj: Record<string, unknown> = {};
  for (const a of attrs) obj[`@${a.name}`] = textOf(a.value);
  for (const kid of kids) {
    const v = elementToObject(kid);
    const prev = obj[kid.name];
    if (prev === undefined) obj[kid.name] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else obj[kid.name] = [prev, v];
  }
  if (kids.length === 0) obj['#text'] = textOf(el.children);
  return obj;
}

export interface SystemFields {
  recordId: number | null;
  time: string | null;
  eventId: number;
  level: number | null;
  channel: string | null;
  provider: string | null;
  computer: string | null;
}

/** What one record's Event element yields, before it becomes an EventRecord. */
export interface EventParts {
  sys: SystemFields;
  readonly data: Record<string, string | null>;
  readonly dataUnnamed: (string | null)[];
  userData: Record<string, unknown> | null;
}

export function newEventParts(): EventParts {
  return { sys: newSystemFields(), data: {}, dataUnnamed: [], userData: null };
}

export function newSystemFields(): SystemFields {
  return { recordId: null, time: null, eventId: 0, level: null, channel: null, provider: null, computer: null };
}

/** Applies one <System> child element: `text()` is its content, `attrOf(n)` an attribute. */
export function applySystemChild(f: SystemFields, name: string, text: () => string, attrOf: (a: string) => string | null): void {
  switch (name) {
    case 'Provider': f.provider = emptyToNull(attrOf('Name') ?? ''); break;
    case 'EventID': f.eventId = toInt(text()) ?? 0; break;
    case 'Level': f.level = toInt(text()); break;
    case 'TimeCreated': f.time = emptyToNull(attrOf('SystemTime') ?? ''); break;
    case 'EventRecordID': f.recordId = toInt(text()); break;
    case 'Channel': f.channel = emptyToNull(text()); break;
    case 'Computer': f.computer = emptyToNull(text()); break;
    default: break;
  }
}

/** One <Data>: named values by name (a repeated name — array items — joins with "\n"). */
export function addData(parts: EventParts, name: string | null, value: string): void {
  if (name === null) parts.dataUnnamed.push(value);
  else setField(parts.data, name, Object.hasOwn(parts.data, name) ? `${parts.data[name] ?? ''}\n${value}` : value);
}

/** Sets an own property even for names like `__proto__` (names come from the evidence). */
export function setField(obj: Record<string, string | null>, name: string, value: string | null): void {
  if (name === '__proto__') Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
  else obj[name] = value;
}

/** Reads instantiated <System>, <EventData> and <UserData> elements into `parts`. */
export function applyEventChild(parts: EventParts, n: XElement): void {
  if (n.name === 'System') {
    const f = newSystemFields();
    for (const c of n.children) {
      if (typeof c !== 'string' && c.k === 1) applySystemChild(f, c.name, () => textOf(c.children), (a) => attr(c, a));
    }
    parts.sys = f;
  } else if (n.name === 'EventData') {
    for (const d of n.children) {
      if (typeof d !== 'string' && d.k === 1 && d.name === 'Data') addData(parts, attr(d, 'Name'), textOf(d.children));
    }
  } else if (n.name === 'UserData') {
    const root = firstElement(n.children);
    parts.userData = root ? { [root.name]: elementToObject(root) } : {};
  }
}

export interface RecordHeader {
  readonly recordId: number;
  readonly writtenTime: string | null;
  readonly location: Location;
}

export function buildRecord(parts: EventParts, hdr: RecordHeader): EventRecord {
  const f = parts.sys;
  return {
    kind: 'event',
    source: 'evtx',
    time: f.time ?? hdr.writtenTime,
    recordId: f.recordId ?? hdr.recordId,
    eventId: f.eventId,
    level: f.level,
    channel: f.channel,
    provider: f.provider,
    computer: f.computer,
    data: parts.data,
    dataUnnamed: parts.dataUnnamed,
    userData: parts.userData,
    location: hdr.location,
  };
}

/** Builds the EventRecord from the top-level nodes of one record's BinXml. */
export function toEventRecord(nodes: readonly XNode[], hdr: RecordHeader): EventRecord {
  const ev = firstElement(nodes);
  const parts = newEventParts();
  for (const n of ev ? ev.children : []) if (typeof n !== 'string' && n.k === 1) applyEventChild(parts, n);
  return buildRecord(parts, hdr);
}

/** The object `exhunt parse FILE.evtx --format jsonl` prints for one record. */
export function toParseJson(rec: EventRecord): Record<string, unknown> {
  return {
    recordId: rec.recordId,
    time: rec.time,
    eventId: rec.eventId,
    level: rec.level,
    channel: rec.channel,
    provider: rec.provider,
    computer: rec.computer,
    data: rec.data,
    dataUnnamed: rec.dataUnnamed,
    userData: rec.userData,
  };
}

function flattenInto(out: Record<string, string>, v: unknown, key: string): void {
  if (typeof v === 'string') {
    if (!(key in out)) out[key] = v;
    return;
  }
  if (Array.isArray(v)) {
    for (const item of v) flattenInto(out, item, key);
    return;
  }
  if (v && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) flattenInto(out, child, k.startsWith('@') || k === '#text' ? key : k);
  }
}

/**
 * Flat string fields for rule matching: System fields under their Windows names
 * (`EventID`, `Level`, `Channel`, `Provider_Name`, `Computer`, `EventRecordID`, `TimeCreated`),
 * every named EventData value, unnamed values joined by "\n" as `Data`, and UserData leaves
 * under their element names (first occurrence wins; never overriding EventData).
 */
export function flattenEvent(rec: EventRecord): Record<string, string> {
  const out: Record<string, string> = {
    EventID: String(rec.eventId),
    EventRecordID: String(rec.recordId),
  };
  if (rec.level !== null) out['Level'] = String(rec.level);
  if (rec.channel !== null) out['Channel'] = rec.channel;
  if (rec.provider !== null) out['Provider_Name'] = rec.provider;
  if (rec.computer !== null) out['Computer'] = rec.computer;
  if (rec.time !== null) out['TimeCreated'] = rec.time;
  for (const [k, v] of Object.entries(rec.data)) if (v !== null && !(k in out)) out[k] = v;
  if (rec.dataUnnamed.length > 0) out['Data'] = rec.dataUnnamed.map((v) => v ?? '').join('\n');
  if (rec.userData) flattenInto(out, rec.userData, 'UserData');
  return out;
}
