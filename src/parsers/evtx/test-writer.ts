/**
 * A small EVTX writer for tests and benchmarks: builds valid files (file header, 64 KiB
 * chunks with correct CRC32s, records whose BinXml is a template instance with substitution
 * values). Each chunk defines one template per event shape inline on first use and refers
 * back to it afterwards, as Windows does; UserData is a nested BinXml substitution (0x21).
 * Layout per libyal/libevtx "Windows XML Event Log (EVTX)". Not used by the parser itself.
 */
import { crc32 } from 'node:zlib';
import { CHUNK_HEADER_SIZE, CHUNK_SIZE, FILE_HEADER_SIZE, Tok, VT } from './format.js';
import { buildTemplate, nestedUserData, type DataValue, type Shape } from './test-writer-binxml.js';

export type { DataValue } from './test-writer-binxml.js';

export interface WriterEvent {
  readonly recordId: number;
  /** ISO 8601 UTC, up to 7 fractional digits. */
  readonly time: string;
  readonly eventId: number;
  readonly qualifiers?: number;
  readonly level: number;
  readonly channel: string;
  readonly provider: string;
  readonly computer: string;
  /** EventData: named (`name`) and unnamed Data values, in order. */
  readonly data?: readonly { readonly name?: string; readonly value: DataValue }[];
  /** UserData: root element (with namespace) and its text fields, in order. */
  readonly userData?: { readonly root: string; readonly xmlns: string; readonly fields: readonly (readonly [string, string])[] };
}

/** ISO 8601 → FILETIME ticks (100 ns since 1601-01-01). */
export function isoToFiletime(iso: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,7}))?Z$/.exec(iso);
  if (!m) throw new Error(`bad time ${iso}`);
  const ms = Date.parse(`${m[1] ?? ''}Z`);
  const frac = BigInt((m[2] ?? '').padEnd(7, '0'));
  return (BigInt(ms) + 11644473600000n) * 10000n + frac;
}

function shapeOf(ev: WriterEvent): Shape {
  return {
    qualifiers: ev.qualifiers !== undefined,
    data: ev.data?.map((d) => d.name ?? null) ?? null,
    userData: ev.userData !== undefined,
  };
}

interface Sub {
  readonly type: number;
  readonly bytes: Buffer;
}

const wstr = (s: string): Sub => ({ type: VT.WString, bytes: Buffer.from(s, 'utf16le') });

const isList = (v: DataValue): v is readonly string[] => Array.isArray(v);

function dataSub(v: DataValue): Sub {
  if (typeof v === 'string') return wstr(v);
  if (isList(v)) return { type: VT.WString | 0x80, bytes: Buffer.from(v.map((x) => `${x}\0`).join(''), 'utf16le') };
  const b = Buffer.alloc(8);
  if ('hex64' in v) {
    b.writeBigUInt64LE(v.hex64);
    return { type: VT.HexInt64, bytes: b };
  }
  if ('uint32' in v) {
    b.writeUInt32LE(v.uint32);
    return { type: VT.UInt32, bytes: b.subarray(0, 4) };
  }
  const parts = v.sid.split('-').slice(1).map(Number);
  const [rev = 1, auth = 0, ...subs] = parts;
  const sid = Buffer.alloc(8 + 4 * subs.length);
  sid.writeUInt8(rev, 0);
  sid.writeUInt8(subs.length, 1);
  sid.writeUIntBE(auth, 2, 6);
  subs.forEach((s, i) => sid.writeUInt32LE(s, 8 + 4 * i));
  return { type: VT.Sid, bytes: sid };
}

/** Builds one 64 KiB chunk at a time; `add` returns false when the record does not fit. */
class ChunkBuilder {
  readonly buf = Buffer.alloc(CHUNK_SIZE);
  pos = CHUNK_HEADER_SIZE;
  first = -1;
  last = -1;
  lastOffset = 0;
  readonly names = new Map<string, number>();
  readonly templates = new Map<string, number>();

  add(ev: WriterEvent): boolean {
    const snapshot = { pos: this.pos, names: new Map(this.names), templates: new Map(this.templates) };
    try {
      this.writeRecord(ev);
      return true;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      this.pos = snapshot.pos;
      this.names.clear();
      snapshot.names.forEach((v, k) => this.names.set(k, v));
      this.templates.clear();
      snapshot.templates.forEach((v, k) => this.templates.set(k, v));
      return false;
    }
  }

  private writeRecord(ev: WriterEvent): void {
    const start = this.pos;
    const b = this.buf;
    let p = start + 24;
    b.writeUInt8(Tok.FragmentHeader, p);
    b.writeUInt8(1, p + 1);
    b.writeUInt8(1, p + 2);
    b.writeUInt8(0, p + 3);
    p += 4;
    const shape = shapeOf(ev);
    const key = JSON.stringify(shape);
    const known = this.templates.get(key);
    b.writeUInt8(Tok.TemplateInstance, p);
    b.writeUInt8(1, p + 1);
    b.writeUInt32LE(0x5eed0000 + this.templates.size, p + 2);
    const defOff = known ?? p + 10;
    b.writeUInt32LE(defOff, p + 6);
    p += 10;
    if (known === undefined) {
      this.templates.set(key, defOff);
      p = buildTemplate(b, p, shape, this.names);
    }
    p = this.writeValues(ev, p);
    b.writeUInt8(Tok.Eof, p);
    p += 1;
    const size = p + 4 - start;
    if (p + 4 > CHUNK_SIZE) throw new RangeError('chunk full');
    b.writeUInt32LE(0x00002a2a, start);
    b.writeUInt32LE(size, start + 4);
    b.writeBigUInt64LE(BigInt(ev.recordId), start + 8);
    b.writeBigUInt64LE(isoToFiletime(ev.time), start + 16);
    b.writeUInt32LE(size, p);
    this.pos = p + 4;
    if (this.first < 0) this.first = ev.recordId;
    this.last = ev.recordId;
    this.lastOffset = start;
  }

  private writeValues(ev: WriterEvent, p: number): number {
    const b = this.buf;
    const fixed = (type: number, n: number, write: (x: Buffer) => void): Sub => {
      const x = Buffer.alloc(n);
      write(x);
      return { type, bytes: x };
    };
    const subs: Sub[] = [
      wstr(ev.provider),
      fixed(VT.UInt16, 2, (x) => x.writeUInt16LE(ev.eventId)),
      fixed(VT.UInt8, 1, (x) => x.writeUInt8(ev.level)),
      fixed(VT.FileTime, 8, (x) => x.writeBigUInt64LE(isoToFiletime(ev.time))),
      fixed(VT.UInt64, 8, (x) => x.writeBigUInt64LE(BigInt(ev.recordId))),
      wstr(ev.channel),
      wstr(ev.computer),
      ev.qualifiers !== undefined ? fixed(VT.UInt16, 2, (x) => x.writeUInt16LE(ev.qualifiers ?? 0)) : { type: VT.Null, bytes: Buffer.alloc(0) },
    ];
    for (const d of ev.data ?? []) subs.push(dataSub(d.value));
    if (ev.userData) subs.push({ type: VT.BinXml, bytes: Buffer.alloc(0) }); // written in place below
    if (p + 4 + 4 * subs.length > CHUNK_SIZE) throw new RangeError('chunk full');
    b.writeUInt32LE(subs.length, p);
    const descs = p + 4;
    p = descs + 4 * subs.length;
    subs.forEach((s, i) => {
      let size = s.bytes.length;
      if (s.type === VT.BinXml && ev.userData) size = nestedUserData(b, p, ev.userData, this.names) - p;
      else {
        if (p + size > CHUNK_SIZE) throw new RangeError('chunk full');
        s.bytes.copy(b, p);
      }
      b.writeUInt16LE(size, descs + 4 * i);
      b.writeUInt8(s.type, descs + 4 * i + 2);
      b.writeUInt8(0, descs + 4 * i + 3);
      p += size;
    });
    return p;
  }

  /** Fills the chunk header (record numbers, offsets, CRC32s) and returns the chunk. */
  finish(): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    for (const [off, v] of [[8, this.first], [16, this.last], [24, this.first], [32, this.last]] as const) b.writeBigUInt64LE(BigInt(v), off);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastOffset, 44);
    b.writeUInt32LE(this.pos, 48);
    b.writeUInt32LE(crc32(b.subarray(CHUNK_HEADER_SIZE, this.pos)), 52);
    b.writeUInt32LE(crc32(b.subarray(128, CHUNK_HEADER_SIZE), crc32(b.subarray(0, 120))), 124);
    return b;
  }
}

/** The 4 KiB file header for `chunks` chunks, next record id `nextId`. */
export function fileHeader(chunks: number, nextId: number): Buffer {
  const h = Buffer.alloc(FILE_HEADER_SIZE);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(Math.max(chunks - 1, 0)), 16);
  h.writeBigUInt64LE(BigInt(nextId), 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(FILE_HEADER_SIZE, 40);
  h.writeUInt16LE(Math.min(chunks, 0xffff), 42);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return h;
}

/** Streams events into chunks; `onChunk` receives each finished 64 KiB chunk. */
export class EvtxWriter {
  private chunk = new ChunkBuilder();
  chunks = 0;
  nextId = 1;
  constructor(private readonly onChunk: (chunk: Buffer) => void) {}

  add(ev: WriterEvent): void {
    if (!this.chunk.add(ev)) {
      this.flush();
      if (!this.chunk.add(ev)) throw new Error(`record ${ev.recordId} does not fit in one chunk`);
    }
    this.nextId = ev.recordId + 1;
  }

  flush(): void {
    if (this.chunk.first < 0) return;
    this.onChunk(this.chunk.finish());
    this.chunks++;
    this.chunk = new ChunkBuilder();
  }
}

/** A whole file in memory (tests). */
export function buildEvtx(events: readonly WriterEvent[]): Buffer {
  const chunks: Buffer[] = [];
  const w = new EvtxWriter((c) => chunks.push(Buffer.from(c)));
  for (const ev of events) w.add(ev);
  w.flush();
  return Buffer.concat([fileHeader(chunks.length, w.nextId), ...chunks]);
}
