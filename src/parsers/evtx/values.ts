/**
 * Renders BinXml substitution values (typed, sized) as text, the way Windows renders them in
 * event XML: decimal integers, `0x`-prefixed unpadded lower-case hex for HexInt types, upper-case
 * braced GUIDs, `S-1-…` SIDs, upper-case hex for binary, ISO 8601 UTC for FILETIME/SYSTEMTIME,
 * `true`/`false` for booleans. Arrays (type | 0x80) are rendered item by item: the BinXml reader
 * repeats the enclosing element per item (as Windows shows `<Data>` per insertion string);
 * elsewhere the items are joined by "\n". Value type numbering: libevtx "Windows XML Event Log (EVTX)" §value types and
 * python-evtx Evtx/Nodes.py. BinXml (0x21) values are handled by the BinXml reader, not here.
 */
import { ARRAY_FLAG, VT } from './format.js';

const TICKS_HI_MS = 429496; // 2^32 = 10000 * 429496 + 7296
const TICKS_HI_REM = 7296;
const EPOCH_DIFF_MS = 11644473600000; // 1601-01-01 → 1970-01-01

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const DAY_MS = 86400000;

/** Days since 1970-01-01 → [year, month, day] (proleptic Gregorian; H. Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** FILETIME (100 ns ticks since 1601, split in two u32) → `YYYY-MM-DDTHH:MM:SS.fffffffZ`. */
export function filetimeToIso(lo: number, hi: number): string {
  const r = hi * TICKS_HI_REM + lo;
  const ms = hi * TICKS_HI_MS + Math.floor(r / 10000) - EPOCH_DIFF_MS;
  const days = Math.floor(ms / DAY_MS);
  let rem = ms - days * DAY_MS;
  const h = Math.floor(rem / 3600000);
  rem -= h * 3600000;
  const mi = Math.floor(rem / 60000);
  rem -= mi * 60000;
  const sec = Math.floor(rem / 1000);
  const frac = (rem - sec * 1000) * 10000 + (r % 10000);
  const [y, mo, d] = civil(days);
  return `${String(y).padStart(4, '0')}-${TWO_DIGITS[mo] ?? ''}-${TWO_DIGITS[d] ?? ''}T${TWO_DIGITS[h] ?? ''}:${TWO_DIGITS[mi] ?? ''}:${TWO_DIGITS[sec] ?? ''}.${String(frac).padStart(7, '0')}Z`;
}

export function readFiletime(buf: Buffer, off: number): string {
  return filetimeToIso(buf.readUInt32LE(off), buf.readUInt32LE(off + 4));
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function systemtime(buf: Buffer, off: number): string {
  const y = buf.readUInt16LE(off);
  const mo = buf.readUInt16LE(off + 2);
  const d = buf.readUInt16LE(off + 6);
  const h = buf.readUInt16LE(off + 8);
  const mi = buf.readUInt16LE(off + 10);
  const s = buf.readUInt16LE(off + 12);
  const ms = buf.readUInt16LE(off + 14);
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
}

function hex(n: number, w: number): string {
  return n.toString(16).padStart(w, '0');
}

export function guid(buf: Buffer, off: number): string {
  const d4 = buf.toString('hex', off + 8, off + 10);
  const d5 = buf.toString('hex', off + 10, off + 16);
  const s = `${hex(buf.readUInt32LE(off), 8)}-${hex(buf.readUInt16LE(off + 4), 4)}-${hex(buf.readUInt16LE(off + 6), 4)}-${d4}-${d5}`;
  return `{${s.toUpperCase()}}`;
}

/** SID: revision, sub-authority count, 48-bit big-endian authority, u32 LE sub-authorities. */
export function sid(buf: Buffer, off: number, end: number): { text: string; size: number } {
  const rev = buf.readUInt8(off);
  const count = buf.readUInt8(off + 1);
  const size = 8 + 4 * count;
  if (off + size > end) throw new RangeError('SID overruns its value');
  const auth = buf.readUInt16BE(off + 2) * 0x100000000 + buf.readUInt32BE(off + 4);
  let text = `S-${rev}-${auth}`;
  for (let i = 0; i < count; i++) text += `-${buf.readUInt32LE(off + 8 + 4 * i)}`;
  return { text, size };
}

function hex64(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readUInt32LE(off + 4);
  return hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${hex(lo, 8)}`;
}

function u64(buf: Buffer, off: number): string {
  const hi = buf.readUInt32LE(off + 4);
  return hi === 0 ? String(buf.readUInt32LE(off)) : buf.readBigUInt64LE(off).toString();
}

/** Strings are stored with optional trailing NULs; drop them. */
function stripNul(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 0) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** Fixed element sizes for array splitting and bounds checks (0 = variable). */
function fixedSize(type: number, size: number): number {
  switch (type) {
    case VT.Int8: case VT.UInt8: return 1;
    case VT.Int16: case VT.UInt16: return 2;
    case VT.Int32: case VT.UInt32: case VT.Real32: case VT.Bool: case VT.HexInt32: return 4;
    case VT.Int64: case VT.UInt64: case VT.Real64: case VT.FileTime: case VT.HexInt64: return 8;
    case VT.Guid: case VT.SysTime: return 16;
    case VT.SizeT: return size === 4 ? 4 : 8;
    default: return 0;
  }
}

/** One scalar value of `type` occupying [off, off + size). */
function scalar(buf: Buffer, off: number, size: number, type: number): string {
  const need = fixedSize(type, size);
  if (need > size) throw new RangeError(`value of type 0x${type.toString(16)} needs ${need} bytes, has ${size}`);
  switch (type) {
    case VT.Null: return '';
    case VT.WString: return stripNul(buf.toString('utf16le', off, off + (size & ~1)));
    case VT.AnsiString: return stripNul(buf.toString('latin1', off, off + size));
    case VT.Int8: return String(buf.readInt8(off));
    case VT.UInt8: return String(buf.readUInt8(off));
    case VT.Int16: return String(buf.readInt16LE(off));
    case VT.UInt16: return String(buf.readUInt16LE(off));
    case VT.Int32: return String(buf.readInt32LE(off));
    case VT.UInt32: return String(buf.readUInt32LE(off));
    case VT.Int64: return buf.readBigInt64LE(off).toString();
    case VT.UInt64: return u64(buf, off);
    case VT.Real32: return String(buf.readFloatLE(off));
    case VT.Real64: return String(buf.readDoubleLE(off));
    case VT.Bool: return buf.readInt32LE(off) !== 0 ? 'true' : 'false';
    case VT.Binary: return buf.toString('hex', off, off + size).toUpperCase();
    case VT.Guid: return guid(buf, off);
    case VT.SizeT: return size === 4 ? String(buf.readUInt32LE(off)) : u64(buf, off);
    case VT.FileTime: return readFiletime(buf, off);
    case VT.SysTime: return systemtime(buf, off);
    case VT.Sid: return sid(buf, off, off + size).text;
    case VT.HexInt32: return `0x${buf.readUInt32LE(off).toString(16)}`;
    case VT.HexInt64: return hex64(buf, off);
    default: return buf.toString('hex', off, off + size).toUpperCase();
  }
}

function stringArray(buf: Buffer, off: number, size: number, wide: boolean): string[] {
  const text = wide ? buf.toString('utf16le', off, off + (size & ~1)) : buf.toString('latin1', off, off + size);
  const parts = text.split('\0');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function array(buf: Buffer, off: number, size: number, base: number): string[] {
  if (base === VT.WString || base === VT.AnsiString) return stringArray(buf, off, size, base === VT.WString);
  const out: string[] = [];
  const end = off + size;
  if (base === VT.Sid) {
    for (let p = off; p < end; ) {
      const s = sid(buf, p, end);
      out.push(s.text);
      p += s.size;
    }
    return out;
  }
  const step = fixedSize(base, 8);
  if (step === 0) return [scalar(buf, off, size, base)];
  for (let p = off; p + step <= end; p += step) out.push(scalar(buf, p, step, base));
  return out;
}

/** The items of an array value (type has ARRAY_FLAG). Throws RangeError on overruns. */
export function renderArrayItems(buf: Buffer, off: number, size: number, type: number): string[] {
  if (off + size > buf.length) throw new RangeError('value overruns the chunk');
  return array(buf, off, size, type & 0x7f);
}

/** Renders a non-BinXml value as text (arrays joined by "\n"). Throws RangeError on overruns. */
export function renderValue(buf: Buffer, off: number, size: number, type: number): string {
  if (off + size > buf.length) throw new RangeError('value overruns the chunk');
  if ((type & ARRAY_FLAG) !== 0) return array(buf, off, size, type & 0x7f).join('\n');
  return scalar(buf, off, size, type);
}
