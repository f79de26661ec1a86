/**
 * Reads the file version of a PE file (e.g. Exchange's Bin/ExSetup.exe) from its VS_VERSION_INFO
 * resource: PE headers → resource directory → RT_VERSION → VS_FIXEDFILEINFO. Every offset is
 * bounds-checked; a hostile or truncated file yields an error result, never a throw or a hang.
 */
import { open } from 'node:fs/promises';

export interface PeVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly revision: number;
  /** `major.minor.build.revision`. */
  readonly text: string;
}

export type PeVersionResult = { readonly ok: true; readonly version: PeVersion } | { readonly ok: false; readonly error: string };

const RT_VERSION = 16;
const FIXED_SIGNATURE = 0xfeef04bd;
const MAX_ENTRIES = 4096;

class PeError extends Error {}

/** Bounds-checked little-endian reads over a buffer. */
class Reader {
  constructor(readonly buf: Buffer) {}
  u16(off: number): number {
    if (!Number.isInteger(off) || off < 0 || off + 2 > this.buf.length) throw new PeError(`offset ${off} outside the file`);
    return this.buf.readUInt16LE(off);
  }
  u32(off: number): number {
    if (!Number.isInteger(off) || off < 0 || off + 4 > this.buf.length) throw new PeError(`offset ${off} outside the file`);
    return this.buf.readUInt32LE(off);
  }
}

interface Section {
  readonly va: number;
  readonly vsize: number;
  readonly raw: number;
  readonly rawSize: number;
}

function sections(r: Reader, peOff: number): { sections: Section[]; resourceRva: number } {
  if (r.u32(peOff) !== 0x00004550) throw new PeError('no PE signature');
  const count = r.u16(peOff + 6);
  const optSize = r.u16(peOff + 20);
  const opt = peOff + 24;
  const magic = r.u16(opt);
  const ddBase = magic === 0x20b ? opt + 112 : magic === 0x10b ? opt + 96 : -1;
  if (ddBase < 0) throw new PeError(`unknown optional header magic 0x${magic.toString(16)}`);
  const nDirs = r.u32(ddBase - 4);
  if (nDirs < 3 || ddBase + 24 > opt + optSize) throw new PeError('no resource directory');
  const resourceRva = r.u32(ddBase + 16);
  if (resourceRva === 0) throw new PeError('no resources');
  if (count > 96) throw new PeError(`implausible section count ${count}`);
  const out: Section[] = [];
  for (let i = 0; i < count; i++) {
    const s = opt + optSize + i * 40;
    out.push({ vsize: r.u32(s + 8), va: r.u32(s + 12), rawSize: r.u32(s + 16), raw: r.u32(s + 20) });
  }
  return { sections: out, resourceRva };
}

function rvaToOffset(secs: readonly Section[], rva: number): number {
  for (const s of secs) {
    const span = Math.max(s.vsize, s.rawSize);
    if (rva >= s.va && rva < s.va + span) {
      const off = s.raw + (rva - s.va);
      if (rva - s.va >= s.rawSize) throw new PeError(`RVA 0x${rva.toString(16)} is not backed by file data`);
      return off;
    }
  }
  throw new PeError(`RVA 0x${rva.toString(16)} is in no section`);
}

/** The entry of a resource directory with this id (or the first entry when id is null). */
function dirEntry(r: Reader, base: number, dirOff: number, id: number | null): { sub: boolean; off: number } | null {
  const named = r.u16(dirOff + 12);
  const ids = r.u16(dirOff + 14);
  const total = named + ids;
  if (total > MAX_ENTRIES) throw new PeError('implausible resource directory');
  for (let i = 0; i < total; i++) {
    const e = dirOff + 16 + i * 8;
    const name = r.u32(e);
    const data = r.u32(e + 4);
    const isId = (name & 0x80000000) === 0;
    if (id === null || (isId && name === id)) {
      return { sub: (data & 0x80000000) !== 0, off: base + (data & 0x7fffffff) };
    }
  }
  return null;
}

function versionResource(r: Reader, secs: readonly Section[], resourceRva: number): { off: number; size: number } {
  const base = rvaToOffset(secs, resourceRva);
  let entry = dirEntry(r, base, base, RT_VERSION);
  if (entry === null || !entry.sub) throw new PeError('no version resource');
  entry = dirEntry(r, base, entry.off, null); // name/id level
  if (entry === null || !entry.sub) throw new PeError('malformed version resource (name level)');
  entry = dirEntry(r, base, entry.off, null); // language level
  if (entry === null || entry.sub) throw new PeError('malformed version resource (language level)');
  const dataRva = r.u32(entry.off);
  const size = r.u32(entry.off + 4);
  return { off: rvaToOffset(secs, dataRva), size };
}

function fixedInfo(r: Reader, off: number, size: number): PeVersion {
  const end = Math.min(r.buf.length, off + size);
  // VS_VERSIONINFO: 3 WORDs, L"VS_VERSION_INFO\0" (32 bytes), padding to a DWORD boundary.
  let at = off + 40;
  if (at + 52 > end || r.u32(at) !== FIXED_SIGNATURE) {
    at = -1;
    for (let p = off; p + 52 <= end; p += 4) if (r.u32(p) === FIXED_SIGNATURE) { at = p; break; }
  }
  if (at < 0) throw new PeError('no VS_FIXEDFILEINFO');
  const ms = r.u32(at + 8);
  const ls = r.u32(at + 12);
  const v = { major: ms >>> 16, minor: ms & 0xffff, build: ls >>> 16, revision: ls & 0xffff };
  return { ...v, text: `${v.major}.${v.minor}.${v.build}.${v.revision}` };
}

/** The file version of a PE image held in `buf`. */
export function peFileVersion(buf: Buffer): PeVersionResult {
  try {
    const r = new Reader(buf);
    if (r.u16(0) !== 0x5a4d) return { ok: false, error: 'not a PE file (no MZ header)' };
    const { sections: secs, resourceRva } = sections(r, r.u32(0x3c));
    const res = versionResource(r, secs, resourceRva);
    return { ok: true, version: fixedInfo(r, res.off, res.size) };
  } catch (err) {
    if (err instanceof PeError) return { ok: false, error: err.message };
    throw err;
  }
}

/** Reads at most `maxBytes` of the file at `abs` and returns its file version. */
export async function readPeFileVersion(abs: string, maxBytes = 128 * 1024 * 1024): Promise<PeVersionResult> {
  const fh = await open(abs, 'r');
  try {
    const st = await fh.stat();
    const len = Math.min(st.size, maxBytes);
    const buf = Buffer.alloc(len);
    const { bytesRead } = await fh.read(buf, 0, len, 0);
    return peFileVersion(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
