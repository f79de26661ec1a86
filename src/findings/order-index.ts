/**
 * The report-order keys (`OrderKey`) of many findings in typed arrays, ~50 bytes a finding
 * instead of ~170 as objects with their strings: what a spooled hunt keeps in memory per
 * finding (spool.ts), so that even millions of raw findings fit. Sorting gives exactly
 * `compareOrderKeys`'s order:
 * - times in the form `toISOString` writes (`2021-03-01T16:48:00.491Z`) are kept as numbers
 *   (their text order is their number order); any other text is kept as it is;
 * - ids of 24 lowercase hex digits (`findingId`) as two 48-bit numbers; others as text;
 * - paths and rule ids once each in a table;
 * - null and undefined as themselves (`compareOrderKeys` tells them apart).
 */
import { compareOrderValues as cmp, type OrderKey } from './order.js';
import { StringTable } from './string-table.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX24 = /^[0-9a-f]{24}$/;

/** How a value is held: as a number, as text, or null / undefined. */
const NUM = 0;
const TEXT = 1;
const NULL = 2;
const UNDEF = 3;

/** `a`, or a copy twice as long when position n is past its end. */
export function grow<T extends Float64Array | Uint32Array | Uint8Array>(a: T, n: number): T {
  if (n < a.length) return a;
  const b = new (a.constructor as new (len: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

export class OrderIndex {
  private n = 0;
  private rank = new Uint8Array(1024);
  /** Per finding, 2 bits each: start, path, line, id kinds (NUM/TEXT/NULL/UNDEF). */
  private kinds = new Uint8Array(1024);
  private start = new Float64Array(1024);
  private line = new Float64Array(1024);
  private idHi = new Float64Array(1024);
  private idLo = new Float64Array(1024);
  private path = new Uint32Array(1024);
  private rule = new Uint32Array(1024);
  /** Values kept as text (start or id not in the numeric form), by position. */
  private readonly startText = new Map<number, string>();
  private readonly idText = new Map<number, string>();
  private readonly table = new StringTable();

  get size(): number {
    return this.n;
  }

  /** Adds a key; its position is the number of keys added before it. */
  add(k: OrderKey): number {
    const i = this.n++;
    this.rank = grow(this.rank, i);
    this.kinds = grow(this.kinds, i);
    this.start = grow(this.start, i);
    this.line = grow(this.line, i);
    this.idHi = grow(this.idHi, i);
    this.idLo = grow(this.idLo, i);
    this.path = grow(this.path, i);
    this.rule = grow(this.rule, i);
    this.rank[i] = k.rank;
    let kinds = 0;
    if (k.start === null || k.start === undefined) kinds |= k.start === null ? NULL : UNDEF;
    else if (ISO_MS.test(k.start) && new Date(Date.parse(k.start)).toISOString() === k.start) this.start[i] = Date.parse(k.start);
    else {
      kinds |= TEXT;
      this.startText.set(i, k.start);
    }
    if (k.path === null || k.path === undefined) kinds |= (k.path === null ? NULL : UNDEF) << 2;
    else this.path[i] = this.table.ref(k.path);
    if (k.line === null || k.line === undefined) kinds |= (k.line === null ? NULL : UNDEF) << 4;
    else this.line[i] = k.line;
    if (HEX24.test(k.id)) {
      this.idHi[i] = parseInt(k.id.slice(0, 12), 16);
      this.idLo[i] = parseInt(k.id.slice(12), 16);
    } else {
      kinds |= TEXT << 6;
      this.idText.set(i, k.id);
    }
    this.kinds[i] = kinds;
    this.rule[i] = this.table.ref(k.ruleId);
    return i;
  }

  /** Positions in report order. */
  order(): Uint32Array {
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    return order.sort((a, b) => this.compare(a, b));
  }

  /** The key added at position i, as it was given. */
  keyAt(i: number): OrderKey {
    return {
      rank: this.rank[i] as number,
      start: this.startAt(i),
      path: this.pathAt(i),
      line: this.lineAt(i),
      ruleId: this.table.strings[this.rule[i] as number] as string,
      id: this.idAt(i),
    };
  }

  private compare(a: number, b: number): number {
    const r = (this.rank[b] as number) - (this.rank[a] as number);
    if (r !== 0) return r;
    const ka = this.kinds[a] as number;
    const kb = this.kinds[b] as number;
    const s = (ka & 3) === NUM && (kb & 3) === NUM ? num(this.start[a] as number, this.start[b] as number) : cmp(this.startAt(a), this.startAt(b));
    if (s !== 0) return s;
    const p = cmp(this.pathAt(a), this.pathAt(b));
    if (p !== 0) return p;
    const l = cmp(this.lineAt(a), this.lineAt(b));
    if (l !== 0) return l;
    const ru = cmp(this.table.strings[this.rule[a] as number], this.table.strings[this.rule[b] as number]);
    if (ru !== 0) return ru;
    if (((ka >> 6) & 3) === NUM && ((kb >> 6) & 3) === NUM) {
      return num(this.idHi[a] as number, this.idHi[b] as number) || num(this.idLo[a] as number, this.idLo[b] as number);
    }
    return cmp(this.idAt(a), this.idAt(b));
  }

  private startAt(i: number): string | null | undefined {
    const k = (this.kinds[i] as number) & 3;
    if (k === NUM) return new Date(this.start[i] as number).toISOString();
    return k === TEXT ? this.startText.get(i) : k === NULL ? null : undefined;
  }

  private pathAt(i: number): string | null | undefined {
    const k = ((this.kinds[i] as number) >> 2) & 3;
    return k === NUM ? this.table.strings[this.path[i] as number] : k === NULL ? null : undefined;
  }

  private lineAt(i: number): number | null | undefined {
    const k = ((this.kinds[i] as number) >> 4) & 3;
    return k === NUM ? this.line[i] : k === NULL ? null : undefined;
  }

  private idAt(i: number): string {
    if ((((this.kinds[i] as number) >> 6) & 3) === TEXT) return this.idText.get(i) as string;
    const hex = (v: number): string => v.toString(16).padStart(12, '0');
    return hex(this.idHi[i] as number) + hex(this.idLo[i] as number);
  }


}

function num(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
