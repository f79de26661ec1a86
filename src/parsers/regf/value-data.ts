/**
 * A registry value's stored bytes as JSON data, the way `exhunt parse HIVE` prints them (and the
 * reference readings in the samples use): strings decoded from UTF-16LE and cut at the first
 * NUL, multi-strings as lists, DWORD/QWORD of the right length as numbers, anything else as
 * lowercase hex; `raw` (hex) is added whenever `data` does not give the stored bytes back.
 */
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_DWORD = 4;
export const REG_DWORD_BIG_ENDIAN = 5;
export const REG_MULTI_SZ = 7;
export const REG_QWORD = 11;

export type ValueData = string | number | readonly string[];

function utf16(b: Buffer): string {
  return b.subarray(0, b.length - (b.length % 2)).toString('utf16le');
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.equals(b);
}

export function decodeValueData(type: number, raw: Buffer): { data: ValueData; raw?: string } {
  if (type === REG_SZ || type === REG_EXPAND_SZ) {
    const text = utf16(raw).split('\0', 1)[0] ?? '';
    const enc = Buffer.from(text, 'utf16le');
    const exact = same(raw, enc) || same(raw, Buffer.concat([enc, Buffer.alloc(2)]));
    return exact ? { data: text } : { data: text, raw: raw.toString('hex') };
  }
  if (type === REG_MULTI_SZ) {
    const parts = utf16(raw).split('\0');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    const enc = Buffer.from(parts.map((p) => `${p}\0`).join('') + '\0', 'utf16le');
    return same(raw, enc) ? { data: parts } : { data: parts, raw: raw.toString('hex') };
  }
  if (type === REG_DWORD && raw.length === 4) return { data: raw.readUInt32LE(0) };
  if (type === REG_DWORD_BIG_ENDIAN && raw.length === 4) return { data: raw.readUInt32BE(0) };
  if (type === REG_QWORD && raw.length === 8) {
    const n = raw.readBigUInt64LE(0);
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? { data: Number(n), raw: raw.toString('hex') } : { data: Number(n) };
  }
  return { data: raw.toString('hex') };
}

/** FILETIME (100 ns since 1601-01-01 UTC) as ISO 8601 UTC with all 7 fraction digits, or null. */
export function filetimeIso(ft: bigint): string | null {
  const unix100ns = ft - 116444736000000000n;
  const secs = unix100ns / 10000000n;
  let frac = unix100ns % 10000000n;
  let s = secs;
  if (frac < 0n) {
    frac += 10000000n;
    s -= 1n;
  }
  const ms = Number(s) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const d = new Date(ms);
  if (d.getUTCFullYear() > 9999 || d.getUTCFullYear() < 1601) return null;
  return `${d.toISOString().slice(0, 19)}.${frac.toString().padStart(7, '0')}Z`;
}
