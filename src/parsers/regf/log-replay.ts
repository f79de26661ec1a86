/**
 * Replays registry transaction logs into a dirty primary file, in memory (regf specification by
 * M. Suhanov, "Format of transaction log files", "Dirty state of a hive", "Multiple transaction
 * log files"):
 * - new format (Windows 8.1 and later; `.LOG1`/`.LOG2`, base block file type 6): log entries
 *   (`HvLE`) from offset 512, each checked with its Marvin32 hashes; entries whose sequence
 *   number is at or after the primary file's secondary sequence number are applied in sequence
 *   order across both logs, stopping at the first gap or bad entry;
 * - old format (`.LOG`, file type 1): the dirty vector (`DIRT` bitmap of 512-byte pages) and
 *   its pages, when the log's last-written time equals the primary file's.
 * A hive that is not dirty is never replayed (stale logs sit beside every clean hive). The
 * result says what was applied, so a report can say whether the reading is of the primary file
 * alone ("dirty, logs missing") or recovered.
 */
import { BASE_BLOCK_SIZE, isDirty, readBaseBlock, type BaseBlock } from './base-block.js';
import { marvin32 } from './marvin32.js';

/** No real hive is this large; a hostile log could otherwise ask for any size. */
export const MAX_HIVE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export interface LogFile {
  readonly name: string;
  readonly data: Buffer;
}

export interface Recovery {
  /** The primary file with the logs applied (the same buffer when nothing was applied). */
  readonly hive: Buffer;
  readonly base: BaseBlock;
  readonly dirty: boolean;
  /** Log entries (new format) or pages (old format) applied, per log file name. */
  readonly applied: readonly { readonly log: string; readonly entries: number; readonly pages: number }[];
  /** Why logs were not used, when the hive was dirty. */
  readonly problems: readonly string[];
}

interface LogEntry {
  readonly log: string;
  readonly sequence: number;
  readonly hiveBinsSize: number;
  readonly pages: readonly { readonly offset: number; readonly data: Buffer }[];
}

/** Valid new-format entries of one log, in file order, up to the first bad one. */
export function logEntries(log: LogFile, problems: string[]): LogEntry[] {
  const out: LogEntry[] = [];
  const d = log.data;
  for (let at = 512; at + 40 <= d.length; ) {
    if (d.toString('latin1', at, at + 4) !== 'HvLE') break;
    const size = d.readUInt32LE(at + 4);
    if (size < 40 || size % 512 !== 0 || at + size > d.length) {
      problems.push(`${log.name}: log entry at ${at} has a bad size ${size}; later entries ignored`);
      break;
    }
    const entry = d.subarray(at, at + size);
    const hash1 = entry.readBigUInt64LE(24);
    const hash2 = entry.readBigUInt64LE(32);
    if (marvin32(entry.subarray(0, 32)) !== hash2 || marvin32(entry.subarray(40)) !== hash1) {
      problems.push(`${log.name}: log entry at ${at} fails its hash check; it and later entries ignored`);
      break;
    }
    const count = entry.readUInt32LE(20);
    if (40 + count * 8 > size) {
      problems.push(`${log.name}: log entry at ${at} lists ${count} pages that do not fit; ignored`);
      break;
    }
    const pages: { offset: number; data: Buffer }[] = [];
    let data = 40 + count * 8;
    let ok = true;
    for (let i = 0; i < count; i++) {
      const offset = entry.readUInt32LE(40 + i * 8);
      const psize = entry.readUInt32LE(44 + i * 8);
      if (data + psize > size) {
        ok = false;
        break;
      }
      pages.push({ offset, data: entry.subarray(data, data + psize) });
      data += psize;
    }
    if (!ok) {
      problems.push(`${log.name}: log entry at ${at} has pages beyond its end; ignored`);
      break;
    }
    out.push({ log: log.name, sequence: entry.readUInt32LE(12), hiveBinsSize: entry.readUInt32LE(16), pages });
    at += size;
  }
  return out;
}

function grow(buf: Buffer, size: number): Buffer {
  if (buf.length >= size) return buf;
  const out = Buffer.alloc(size);
  buf.copy(out);
  return out;
}

function replayNew(primary: Buffer, base: BaseBlock, logs: readonly LogFile[], problems: string[]): { hive: Buffer; base: BaseBlock; applied: Map<string, number> } {
  const all: LogEntry[] = [];
  let logBase: BaseBlock | null = null;
  for (const log of logs) {
    let b: BaseBlock;
    try {
      b = readBaseBlock(log.data, log.name);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    if (b.fileType !== 6) continue;
    if (!b.checksumOk) {
      problems.push(`${log.name}: base block checksum is wrong; log not used`);
      continue;
    }
    if (logBase === null || b.primarySequence > logBase.primarySequence) logBase = b;
    all.push(...logEntries(log, problems));
  }
  // A primary base block with a bad checksum is taken from the log (spec, note 6).
  let useBase = base.checksumOk ? base : (logBase ?? base);
  const bySeq = new Map<number, LogEntry>();
  for (const e of all) if (e.sequence >= base.secondarySequence && !bySeq.has(e.sequence)) bySeq.set(e.sequence, e);
  const order = [...bySeq.keys()].sort((a, b) => a - b);
  let hive = primary;
  const applied = new Map<string, number>();
  let expected: number | null = null;
  for (const seq of order) {
    if (expected !== null && seq !== expected) {
      problems.push(`log entries jump from sequence ${expected - 1} to ${seq}; later entries not applied`);
      break;
    }
    const e = bySeq.get(seq) as LogEntry;
    const size = BASE_BLOCK_SIZE + e.hiveBinsSize;
    if (size > MAX_HIVE_BYTES) {
      problems.push(`${e.log}: log entry ${seq} declares a ${e.hiveBinsSize}-byte hive; not applied`);
      break;
    }
    hive = grow(hive === primary ? Buffer.from(primary) : hive, size);
    for (const p of e.pages) {
      if (BASE_BLOCK_SIZE + p.offset + p.data.length > hive.length) hive = grow(hive, BASE_BLOCK_SIZE + p.offset + p.data.length);
      p.data.copy(hive, BASE_BLOCK_SIZE + p.offset);
    }
    useBase = { ...useBase, hiveBinsSize: e.hiveBinsSize, primarySequence: seq, secondarySequence: seq };
    applied.set(e.log, (applied.get(e.log) ?? 0) + 1);
    expected = seq + 1;
  }
  return { hive, base: useBase, applied };
}

function replayOld(primary: Buffer, base: BaseBlock, logs: readonly LogFile[], problems: string[]): { hive: Buffer; base: BaseBlock; pages: Map<string, number> } | null {
  for (const log of logs) {
    let b: BaseBlock;
    try {
      b = readBaseBlock(log.data, log.name);
    } catch {
      continue;
    }
    if (b.fileType !== 1 && b.fileType !== 2) continue;
    if (!b.checksumOk || b.primarySequence !== b.secondarySequence) {
      problems.push(`${log.name}: old-format log is not valid (checksum or sequence numbers); not used`);
      continue;
    }
    if (base.checksumOk && b.lastWritten !== base.lastWritten) {
      problems.push(`${log.name}: old-format log belongs to another write of the hive; not used`);
      continue;
    }
    const vec = 512;
    if (log.data.toString('latin1', vec, vec + 4) !== 'DIRT') {
      problems.push(`${log.name}: no dirty vector; not used`);
      continue;
    }
    const bits = Math.floor(b.hiveBinsSize / 512);
    const bitmapEnd = vec + 4 + Math.ceil(bits / 8);
    if (bitmapEnd > log.data.length || BASE_BLOCK_SIZE + b.hiveBinsSize > MAX_HIVE_BYTES) {
      problems.push(`${log.name}: dirty vector does not fit the log; not used`);
      continue;
    }
    let page = Math.ceil(bitmapEnd / 512) * 512;
    let hive = grow(Buffer.from(primary), BASE_BLOCK_SIZE + b.hiveBinsSize);
    let count = 0;
    for (let i = 0; i < bits; i++) {
      if ((((log.data[vec + 4 + (i >> 3)] ?? 0) >> (i & 7)) & 1) === 0) continue;
      if (page + 512 > log.data.length) {
        problems.push(`${log.name}: dirty pages end early; the rest not applied`);
        break;
      }
      hive = grow(hive, BASE_BLOCK_SIZE + 512 * (i + 1));
      log.data.copy(hive, BASE_BLOCK_SIZE + 512 * i, page, page + 512);
      page += 512;
      count += 1;
    }
    return { hive, base: { ...(base.checksumOk ? base : b), hiveBinsSize: b.hiveBinsSize, secondarySequence: b.primarySequence, primarySequence: b.primarySequence }, pages: new Map([[log.name, count]]) };
  }
  return null;
}

/** Applies the logs when the primary is dirty; otherwise returns it as it is. */
export function recoverHive(primary: Buffer, label: string, logs: readonly LogFile[]): Recovery {
  const base = readBaseBlock(primary, label);
  if (!isDirty(base)) return { hive: primary, base, dirty: false, applied: [], problems: [] };
  const problems: string[] = [];
  if (logs.length === 0) {
    problems.push('the hive is dirty (an unfinished write) and no transaction log (.LOG1/.LOG2/.LOG) was found beside it: read as it is on disk');
    return { hive: primary, base, dirty: true, applied: [], problems };
  }
  const neu = replayNew(primary, base, logs, problems);
  if (neu.applied.size > 0) {
    return { hive: neu.hive, base: neu.base, dirty: true, applied: [...neu.applied].map(([log, entries]) => ({ log, entries, pages: 0 })), problems };
  }
  const old = replayOld(primary, base, logs, problems);
  if (old) return { hive: old.hive, base: old.base, dirty: true, applied: [...old.pages].map(([log, pages]) => ({ log, entries: 0, pages })), problems };
  problems.push('the hive is dirty and no applicable log entry was found: read as it is on disk');
  return { hive: primary, base: neu.base, dirty: true, applied: [], problems };
}
