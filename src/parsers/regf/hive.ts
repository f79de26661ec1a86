/**
 * Reads the key tree of a regf hive held in memory (regf specification by M. Suhanov): key
 * nodes (nk), subkey lists (li, lf, lh, ri), value lists, values (vk), resident data, data
 * cells and big data (db). Keys come out one at a time, pre-order, children in stored order.
 *
 * The file is evidence, so hostile: every offset is checked against the hive bins data, a
 * cell's declared size bounds every read inside it, each key cell is visited at most once
 * (a list that points back up the tree cannot loop), depth and list lengths are capped, and a
 * fault inside one key becomes an error on that key, never a hang or a crash of the walk.
 */
import { BASE_BLOCK_SIZE, type BaseBlock } from './base-block.js';
import { RegfError } from './errors.js';

/** Values longer than this are stored as big data (db) from format version 1.4 on. */
export const BIG_DATA_SEGMENT = 16344;
/** Deeper than any real hive (Windows limits key paths to 512 levels). */
const MAX_DEPTH = 512;
/** A key's value data is capped (a REG_BINARY of 16 MB is already absurd on a server). */
const MAX_VALUE_BYTES = 64 * 1024 * 1024;

export interface HiveValue {
  readonly name: string;
  readonly type: number;
  /** The stored bytes (at most the declared size; less when the cell is shorter). */
  readonly data: Buffer;
}

export interface HiveKey {
  /** `\` for the root, `\A\B` below it (the root's own name is not part of paths). */
  readonly path: string;
  readonly name: string;
  /** FILETIME as a bigint. */
  readonly lastWritten: bigint;
  readonly className: string | null;
  readonly subkeyCount: number;
  readonly valueCount: number;
  readonly values: readonly HiveValue[];
  /** What could not be read inside this key (offsets in hex, relative to the hive bins). */
  readonly errors: readonly string[];
  readonly depth: number;
}

const latin1 = (b: Buffer): string => b.toString('latin1');

function utf16(b: Buffer): string {
  return b.subarray(0, b.length - (b.length % 2)).toString('utf16le');
}

export class Hive {
  private readonly bins: Buffer;
  private readonly minor: number;

  constructor(
    private readonly file: Buffer,
    readonly base: BaseBlock,
    /** For messages: the hive's file name. */
    readonly label: string,
  ) {
    const end = Math.min(file.length, BASE_BLOCK_SIZE + base.hiveBinsSize);
    this.bins = file.subarray(BASE_BLOCK_SIZE, Math.max(BASE_BLOCK_SIZE, end));
    this.minor = base.minor;
  }

  /** The cell at `off` (relative to the hive bins data): its data without the size field. */
  private cell(off: number, what: string): Buffer {
    if (off % 8 !== 0 || off < 32 || off + 4 > this.bins.length) {
      throw new RegfError('REGF-BAD-CELL', `${what} at 0x${off.toString(16)}: outside the hive bins data`);
    }
    const size = Math.abs(this.bins.readInt32LE(off));
    if (size < 8 || off + size > this.bins.length) {
      throw new RegfError('REGF-BAD-CELL', `${what} at 0x${off.toString(16)}: cell size ${size} does not fit`);
    }
    return this.bins.subarray(off + 4, off + size);
  }

  private sig(c: Buffer): string {
    return c.length >= 2 ? String.fromCharCode(c[0] ?? 0, c[1] ?? 0) : '';
  }

  /** Key node offsets of a subkey list (li/lf/lh, or ri of those), in stored order. */
  private subkeyOffsets(off: number, out: number[], viaRoot: boolean): void {
    const c = this.cell(off, 'subkey list');
    const sig = this.sig(c);
    if (c.length < 4) throw new RegfError('REGF-BAD-CELL', `subkey list at 0x${off.toString(16)}: too short`);
    const n = c.readUInt16LE(2);
    const step = sig === 'lf' || sig === 'lh' ? 8 : sig === 'li' || sig === 'ri' ? 4 : 0;
    if (step === 0) throw new RegfError('REGF-BAD-CELL', `subkey list at 0x${off.toString(16)}: unknown signature ${JSON.stringify(sig)}`);
    if (4 + n * step > c.length) throw new RegfError('REGF-BAD-CELL', `subkey list at 0x${off.toString(16)}: ${n} elements do not fit its cell`);
    for (let i = 0; i < n; i++) {
      const o = c.readUInt32LE(4 + i * step);
      if (sig === 'ri') {
        if (viaRoot) throw new RegfError('REGF-BAD-CELL', `index root at 0x${off.toString(16)} points to another index root`);
        this.subkeyOffsets(o, out, true);
      } else out.push(o);
    }
  }

  private keyName(c: Buffer): string {
    const flags = c.readUInt16LE(2);
    const len = c.readUInt16LE(72);
    const raw = c.subarray(76, Math.min(c.length, 76 + len));
    return flags & 0x20 ? latin1(raw) : utf16(raw);
  }

  private className(c: Buffer): string | null {
    const off = c.readUInt32LE(48);
    const len = c.readUInt16LE(74);
    if (off === 0xffffffff || len === 0) return null;
    const cc = this.cell(off, 'class name');
    return utf16(cc.subarray(0, Math.min(len, cc.length)));
  }

  /** The stored bytes of a value (resident, one cell, or big-data segments). */
  private valueData(vk: Buffer): Buffer {
    const declared = vk.readUInt32LE(4);
    const dataOff = vk.readUInt32LE(8);
    if (declared & 0x80000000) {
      const n = Math.min(declared & 0x7fffffff, 4);
      return Buffer.from(vk.subarray(8, 8 + n));
    }
    if (declared === 0) return Buffer.alloc(0);
    const size = Math.min(declared, MAX_VALUE_BYTES);
    const c = this.cell(dataOff, 'value data');
    if (this.minor >= 4 && size > BIG_DATA_SEGMENT && this.sig(c) === 'db' && c.length >= 8) {
      const segments = c.readUInt16LE(2);
      const list = this.cell(c.readUInt32LE(4), 'big data segment list');
      if (segments * 4 > list.length) throw new RegfError('REGF-BAD-CELL', `big data at 0x${dataOff.toString(16)}: ${segments} segments do not fit`);
      const parts: Buffer[] = [];
      let got = 0;
      for (let i = 0; i < segments && got < size; i++) {
        const seg = this.cell(list.readUInt32LE(i * 4), 'big data segment');
        const take = seg.subarray(0, Math.min(BIG_DATA_SEGMENT, size - got));
        parts.push(take);
        got += take.length;
      }
      return Buffer.concat(parts, got);
    }
    return Buffer.from(c.subarray(0, Math.min(size, c.length)));
  }

  private values(nk: Buffer, errors: string[]): HiveValue[] {
    const count = nk.readUInt32LE(36);
    if (count === 0) return [];
    const listOff = nk.readUInt32LE(40);
    let list: Buffer;
    try {
      list = this.cell(listOff, 'value list');
    } catch (e) {
      errors.push((e as Error).message);
      return [];
    }
    const n = Math.min(count, Math.floor(list.length / 4));
    if (n < count) errors.push(`value list at 0x${listOff.toString(16)}: ${count} values declared, room for ${n}`);
    const out: HiveValue[] = [];
    for (let i = 0; i < n; i++) {
      const off = list.readUInt32LE(i * 4);
      try {
        const vk = this.cell(off, 'value');
        if (this.sig(vk) !== 'vk' || vk.length < 20) throw new RegfError('REGF-BAD-CELL', `value at 0x${off.toString(16)}: not a vk record`);
        const nameLen = vk.readUInt16LE(2);
        const rawName = vk.subarray(20, Math.min(vk.length, 20 + nameLen));
        const name = vk.readUInt16LE(16) & 1 ? latin1(rawName) : utf16(rawName);
        out.push({ name, type: vk.readUInt32LE(12), data: this.valueData(vk) });
      } catch (e) {
        errors.push(`value ${i}: ${(e as Error).message}`);
      }
    }
    return out;
  }

  private rootNk(): Buffer {
    const nk = this.cell(this.base.rootCell, 'root key');
    if (this.sig(nk) !== 'nk' || nk.length < 76) {
      throw new RegfError('REGF-BAD-CELL', `${this.label}: root key at 0x${this.base.rootCell.toString(16)} is not an nk record`);
    }
    return nk;
  }

  /** The key record of `nk` at `path`, and its readable children (not yet visited per `seen`). */
  private describe(nk: Buffer, path: string, depth: number, seen: Set<number>): { key: HiveKey; children: { nk: Buffer; path: string; depth: number }[] } {
    const errors: string[] = [];
    let className: string | null = null;
    try {
      className = this.className(nk);
    } catch (e) {
      errors.push((e as Error).message);
    }
    const subkeyCount = nk.readUInt32LE(20);
    const offsets: number[] = [];
    if (subkeyCount > 0) {
      try {
        this.subkeyOffsets(nk.readUInt32LE(28), offsets, false);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    const prefix = path === '\\' ? '\\' : `${path}\\`;
    const children: { nk: Buffer; path: string; depth: number }[] = [];
    if (offsets.length > 0 && depth + 1 > MAX_DEPTH) errors.push(`subkeys nested deeper than ${MAX_DEPTH} levels: not read`);
    else {
      for (const off of offsets) {
        if (seen.has(off)) {
          errors.push(`subkey at 0x${off.toString(16)} was already read elsewhere in the tree (a loop): skipped`);
          continue;
        }
        seen.add(off);
        try {
          const c = this.cell(off, 'subkey');
          if (this.sig(c) !== 'nk' || c.length < 76) throw new RegfError('REGF-BAD-CELL', `subkey at 0x${off.toString(16)} is not an nk record`);
          children.push({ nk: c, path: prefix + this.keyName(c), depth: depth + 1 });
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    }
    const values = this.values(nk, errors);
    const key: HiveKey = {
      path,
      name: this.keyName(nk),
      lastWritten: nk.readBigUInt64LE(4),
      className,
      subkeyCount,
      valueCount: nk.readUInt32LE(36),
      values,
      errors,
      depth,
    };
    return { key, children };
  }

  /** Every key, pre-order, children in stored order; faults are errors on the key concerned. */
  *keys(): Generator<HiveKey> {
    const seen = new Set<number>([this.base.rootCell]);
    const stack: { nk: Buffer; path: string; depth: number }[] = [{ nk: this.rootNk(), path: '\\', depth: 0 }];
    while (stack.length > 0) {
      const { nk, path, depth } = stack.pop() as { nk: Buffer; path: string; depth: number };
      const { key, children } = this.describe(nk, path, depth, seen);
      yield key;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as { nk: Buffer; path: string; depth: number });
    }
  }

  /**
   * The key at `path` (`\A\B`, names compared case-insensitively as Windows does), with its
   * direct subkeys; null when a part of the path is missing or unreadable.
   */
  key(path: string): { key: HiveKey; subkeys: readonly HiveKey[] } | null {
    const parts = path.split('\\').filter((p) => p !== '');
    let nk = this.rootNk();
    let cur = '\\';
    for (const part of parts) {
      const want = part.toUpperCase();
      const offsets: number[] = [];
      try {
        if (nk.readUInt32LE(20) === 0) return null;
        this.subkeyOffsets(nk.readUInt32LE(28), offsets, false);
      } catch {
        return null;
      }
      let next: Buffer | null = null;
      for (const off of offsets) {
        try {
          const c = this.cell(off, 'subkey');
          if (this.sig(c) === 'nk' && c.length >= 76 && this.keyName(c).toUpperCase() === want) {
            next = c;
            cur = cur === '\\' ? `\\${this.keyName(c)}` : `${cur}\\${this.keyName(c)}`;
            break;
          }
        } catch {
          // An unreadable sibling is not the one looked for.
        }
      }
      if (next === null) return null;
      nk = next;
    }
    const { key, children } = this.describe(nk, cur, parts.length, new Set());
    const subkeys = children.map((c) => this.describe(c.nk, c.path, c.depth, new Set()).key);
    return { key, subkeys };
  }
}
