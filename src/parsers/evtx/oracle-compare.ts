/**
 * Compares our reading of an `.evtx` file with python-evtx 0.6.1's (`NAME.oracle.jsonl`,
 * see /work/shared/samples/evtx/README.md). Used by `scripts/verify-evtx.ts` and
 * `oracle.test.ts`. Where the two render the same value differently, the difference is
 * python-evtx's rendering, not a different value, and is normalised here (each kind counted):
 * - hex: python-evtx zero-pads HexInt32/64 (`0x00000000000003e7`), Windows prints `0x3e7`;
 * - GUID: python-evtx lower-case, Windows upper-case;
 * - bool: `True`/`False` vs Windows `true`/`false`;
 * - binary: base64 vs Windows upper-case hex;
 * - string arrays: python-evtx prints one `<Data>` holding `<string>a</string>\n…` where we (like
 *   Windows) repeat `<Data>` per item; its splitting (Evtx/Nodes.py WstringArrayTypeNode) also
 *   moves leading empty items, so `pyStringArray` repeats it on our items;
 * - times: `YYYY-MM-DD HH:MM:SS[.ffffff]` (python isoformat, µs) vs our ISO 8601 with 100 ns;
 *   python-evtx converts FILETIME through a float (`float(qword) * 1e-7 - 11644473600`,
 *   Evtx/BinaryParser.py parse_filetime), which is off by up to a few µs; `pyFloatTime`
 *   repeats that computation on our exact value so the difference is proven, not ignored.
 */
import { readFileSync } from 'node:fs';
import type { EventRecord } from '../types.js';

export interface OracleRow {
  EventRecordID: number;
  TimeCreated: string | null;
  EventID: number;
  Level: string | null;
  Channel: string | null;
  Provider: string | null;
  Computer: string | null;
  EventData?: Record<string, string | null>;
  EventDataUnnamed?: (string | null)[];
  UserData?: Record<string, string | null>;
}

export interface CompareResult {
  readonly records: number;
  readonly oracleRecords: number;
  readonly mismatches: string[];
  readonly normalised: Record<string, number>;
}

export function readOracle(file: string): OracleRow[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as OracleRow);
}

const XML_UNESC: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" };

/** python time "YYYY-MM-DD HH:MM:SS[.ffffff]" → "YYYY-MM-DDTHH:MM:SS.ffffff". */
function pyTime(s: string): string | null {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z?$/.exec(s);
  if (!m) return null;
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}`;
}

/** Our ISO time at µs precision (truncated), or null. */
function ourTime(s: string): string | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3,7})Z$/.exec(s);
  return m ? `${m[1]}.${(m[2] ?? '').slice(0, 6).padEnd(6, '0')}` : null;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** What python-evtx prints (µs, via float) for our exact ISO time "…SS.fffffffZ". */
export function pyFloatTime(iso: string): string | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})(\d{4})Z$/.exec(iso);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}Z`);
  const ticks = (BigInt(ms) + 11644473600000n) * 10000n + BigInt(m[2] ?? '0');
  const x = Number(ticks) * 1e-7 - 11644473600;
  let secs = Math.trunc(x);
  let us = roundHalfEven((x - secs) * 1e6);
  if (us >= 1e6) {
    secs += 1;
    us -= 1e6;
  }
  return `${new Date(secs * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, '0')}`;
}

/** The items python-evtx's WstringArrayTypeNode.string() produces for these UTF-16 items. */
export function pyStringArray(items: readonly string[]): string[] {
  let bin = Buffer.from(items.map((i) => `${i}\0`).join(''), 'utf16le').toString('latin1');
  const acc: string[] = [];
  for (let guard = 0; bin.length > 0 && guard < 100000; guard++) {
    const m = /(?:[^\x00][\s\S])+/.exec(bin);
    if (m) {
      acc.push(Buffer.from(m[0], 'latin1').toString('utf16le'));
      bin = bin.slice(m[0].length + 2);
      if (bin.length === 0) break;
    }
    const zeros = /^\x00*/.exec(bin)?.[0] ?? '';
    for (let i = 0; i < zeros.length / 2; i++) acc.push('');
    bin = bin.slice(zeros.length);
  }
  return acc;
}

function pyItems(o: string): string[] | null {
  if (!/^(<string>[\s\S]*?<\/string>\n)+$/.test(o)) return null;
  return [...o.matchAll(/<string>([\s\S]*?)<\/string>\n/g)].map((m) => (m[1] ?? '').replace(/&(lt|gt|amp|quot|apos);/g, (e) => XML_UNESC[e] ?? e));
}

/** Returns the normalisation kind that made `oracle` equal `ours`, '' when equal as is, or null. */
export function sameValue(oracle: string | null | undefined, ours: string | null | undefined): string | null {
  const o = oracle ?? '';
  const u = ours ?? '';
  if (o === u) return '';
  if (/^0x[0-9a-f]+$/i.test(o) && /^0x[0-9a-f]+$/i.test(u)) return BigInt(o) === BigInt(u) ? 'hex' : null;
  if (/^\{[0-9a-f-]{36}\}$/i.test(o) && o.toUpperCase() === u) return 'guid';
  if ((o === 'True' || o === 'False') && o.toLowerCase() === u) return 'bool';
  const items = pyItems(o);
  if (items) {
    if (items.join('\n') === u) return 'string-array';
    return pyStringArray(u.split('\n')).join('\n') === items.join('\n') ? 'string-array-py-split' : null;
  }
  const pt = pyTime(o);
  if (pt !== null) {
    if (pt === ourTime(u)) return 'time';
    return pt === pyFloatTime(u) ? 'time-float' : null;
  }
  if (/^[A-Za-z0-9+/]+=*$/.test(o) && o.length % 4 === 0 && Buffer.from(o, 'base64').toString('hex').toUpperCase() === u) return 'binary';
  return null;
}

function flatUserData(v: unknown, prefix: string, out: Record<string, string>): void {
  if (typeof v === 'string') out[prefix] = v;
  else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[prefix] = v.join('\n');
  else if (Array.isArray(v)) for (const item of v) flatUserData(item, prefix, out);
  else if (v && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      if (k.startsWith('@')) continue;
      flatUserData(child, k === '#text' ? prefix : prefix ? `${prefix}/${k}` : k, out);
    }
  }
}

type Bad = (what: string, a: unknown, b: unknown) => void;

/** Unnamed Data: a python `<string>` entry stands for several of our values (see header). */
function compareUnnamed(ou: readonly (string | null)[], ours: readonly (string | null)[], bad: Bad, res: CompareResult): void {
  let k = 0;
  ou.forEach((v, j) => {
    const items = pyItems(v ?? '');
    if (items === null) {
      const kind = sameValue(v, ours[k]);
      if (kind === null) bad(`dataUnnamed[${j}]`, v, ours[k]);
      else if (kind !== '') res.normalised[kind] = (res.normalised[kind] ?? 0) + 1;
      k++;
      return;
    }
    const n = j === ou.length - 1 ? ours.length - k : items.length;
    const mine = ours.slice(k, k + n).map((x) => x ?? '');
    k += n;
    if (JSON.stringify(pyStringArray(mine)) === JSON.stringify(items)) res.normalised['string-array'] = (res.normalised['string-array'] ?? 0) + 1;
    else bad(`dataUnnamed[${j}] (string array)`, items, mine);
  });
  if (k !== ours.length) bad('dataUnnamed.length', ou, ours);
}

/** Compares one record; pushes readable mismatch lines. */
function compareRecord(i: number, o: OracleRow, r: EventRecord, res: CompareResult): void {
  const bad = (what: string, a: unknown, b: unknown): void => {
    res.mismatches.push(`#${i + 1} (EventRecordID ${o.EventRecordID}) ${what}: oracle ${JSON.stringify(a)} ours ${JSON.stringify(b)}`);
  };
  const same = (what: string, a: string | null | undefined, b: string | null | undefined): void => {
    const kind = sameValue(a, b);
    if (kind === null) bad(what, a, b);
    else if (kind !== '') res.normalised[kind] = (res.normalised[kind] ?? 0) + 1;
  };
  if (o.EventRecordID !== r.recordId) bad('recordId', o.EventRecordID, r.recordId);
  if (o.EventID !== r.eventId) bad('eventId', o.EventID, r.eventId);
  if ((o.Level === null ? null : Number(o.Level)) !== r.level) bad('level', o.Level, r.level);
  same('time', o.TimeCreated, r.time);
  same('channel', o.Channel, r.channel);
  same('provider', o.Provider, r.provider);
  same('computer', o.Computer, r.computer);
  const od = o.EventData ?? {};
  const keys = new Set([...Object.keys(od), ...Object.keys(r.data)]);
  for (const k of keys) same(`data.${k}`, od[k], r.data[k]);
  compareUnnamed(o.EventDataUnnamed ?? [], r.dataUnnamed, bad, res);
  if (o.UserData !== undefined || r.userData !== null) {
    const ours: Record<string, string> = {};
    const root = r.userData ? Object.values(r.userData)[0] : undefined;
    const rootName = r.userData ? (Object.keys(r.userData)[0] ?? '') : '';
    flatUserData(root, rootName, ours);
    const theirs = o.UserData ?? {};
    for (const k of new Set([...Object.keys(theirs), ...Object.keys(ours)])) same(`userData.${k}`, theirs[k], ours[k]);
  }
}

export function compareWithOracle(oracle: readonly OracleRow[], ours: readonly EventRecord[]): CompareResult {
  const res: CompareResult = { records: ours.length, oracleRecords: oracle.length, mismatches: [], normalised: {} };
  if (oracle.length !== ours.length) res.mismatches.push(`record count: oracle ${oracle.length} ours ${ours.length}`);
  const n = Math.min(oracle.length, ours.length);
  for (let i = 0; i < n; i++) compareRecord(i, oracle[i] as OracleRow, ours[i] as EventRecord, res);
  return res;
}
