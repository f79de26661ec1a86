/**
 * Findings beyond what memory should hold (a raw log hunt over many gigabytes): each finding is
 * written to a temporary file as one JSON line as it comes, and only its place in the report
 * order (`OrderKey`) and where its line is stay in memory (~0.15 KB instead of ~1 KB a
 * finding). `sorted()` gives them back as a read-only array in report order that reads each
 * finding from the file when it is asked for, so writers and summaries take it like any other.
 * The file is private to the user (0600, in a fresh 0700 folder) and removed on `close()` or
 * at process exit.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareOrderKeys, orderKeyOf, type OrderKey } from './order.js';
import type { Finding } from './types.js';

/**
 * A finding's place in the order and in the file. A class, built the same way every time: an
 * object spread (`{ ...key, offset }`) gave every entry a hidden class of its own (~0.3 KB each).
 */
class Entry implements OrderKey {
  constructor(
    readonly rank: number,
    readonly start: string | null | undefined,
    readonly path: string | null | undefined,
    readonly line: number | null | undefined,
    readonly ruleId: string,
    readonly id: string,
    readonly offset: number,
    readonly bytes: number,
  ) {}
}

/** Lines are written in batches of about this many bytes. */
const BATCH_BYTES = 1024 * 1024;
const INDEX = /^(?:0|[1-9]\d*)$/;

/** The key under which a spooled array gives its stored lines (`spooledLines`). */
const SPOOLED_LINES = Symbol('exhunt.spooledLines');

/**
 * For findings from `FindingSpool.sorted()`: each one's `JSON.stringify` text, in order, as
 * stored (no parse and stringify again); null for any other array.
 */
export function spooledLines(findings: readonly Finding[]): Iterable<string> | null {
  const get = (findings as unknown as { [SPOOLED_LINES]?: () => Generator<string> })[SPOOLED_LINES];
  return typeof get === 'function' ? get() : null;
}

const open = new Set<FindingSpool>();
process.once('exit', () => {
  for (const s of open) s.close();
});

export class FindingSpool {
  private readonly dir: string;
  private fd: number | null;
  private readonly entries: Entry[] = [];
  private written = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private buf = Buffer.alloc(64 * 1024);

  constructor(parent = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'exhunt-spool-'));
    this.fd = openSync(join(this.dir, 'findings.jsonl'), 'w+', 0o600);
    open.add(this);
  }

  get size(): number {
    return this.entries.length;
  }

  add(f: Finding): void {
    const text = `${JSON.stringify(f)}\n`;
    const bytes = Buffer.byteLength(text);
    const k = orderKeyOf(f);
    this.entries.push(new Entry(k.rank, k.start, k.path, k.line, k.ruleId, k.id, this.written + this.pendingBytes, bytes));
    this.pending.push(text);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= BATCH_BYTES) this.flush();
  }

  /**
   * The findings in report order (`sortFindings`), as a read-only array whose elements are
   * read from the file on access (each access a fresh object). Adding after this is an error.
   */
  sorted(): readonly Finding[] {
    this.flush();
    const order = [...this.entries].sort(compareOrderKeys);
    const read = (i: number): Finding => this.read(order[i] as Entry);
    const isIndex = (p: string | symbol): p is string => typeof p === 'string' && INDEX.test(p) && Number(p) < order.length;
    const refuse = (): never => {
      throw new TypeError('spooled findings are read-only');
    };
    const lines = (): Generator<string> => this.lines(order);
    return new Proxy<Finding[]>([], {
      get: (target, p, receiver): unknown =>
        p === 'length' ? order.length : isIndex(p) ? read(Number(p)) : p === SPOOLED_LINES ? lines : Reflect.get(target, p, receiver),
      has: (target, p) => isIndex(p) || Reflect.has(target, p),
      getOwnPropertyDescriptor: (target, p) =>
        isIndex(p) ? { value: read(Number(p)), writable: false, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(target, p),
      ownKeys: (target) => [...order.keys()].map(String).concat(Reflect.ownKeys(target) as string[]),
      set: refuse,
      defineProperty: refuse,
      deleteProperty: refuse,
    });
  }

  /** Removes the file; the findings from `sorted()` cannot be read after this. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.dir, { recursive: true, force: true });
    open.delete(this);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''));
    for (let at = 0; at < data.length; ) at += writeSync(this.fd ?? closed(), data, at, data.length - at, this.written + at);
    this.written += data.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The stored JSON text of each finding in `order`, without its line feed. */
  private *lines(order: readonly Entry[]): Generator<string> {
    for (const e of order) yield this.text(e);
  }

  private read(e: Entry): Finding {
    return JSON.parse(this.text(e)) as Finding;
  }

  private text(e: Entry): string {
    if (this.buf.length < e.bytes) this.buf = Buffer.alloc(Math.max(e.bytes, 2 * this.buf.length));
    let got = 0;
    while (got < e.bytes) {
      const n = readSync(this.fd ?? closed(), this.buf, got, e.bytes - got, e.offset + got);
      if (n === 0) throw new Error('finding spool: file ended early');
      got += n;
    }
    return this.buf.toString('utf8', 0, e.bytes - 1);
  }
}

function closed(): never {
  throw new Error('finding spool: already closed');
}
