/**
 * Findings beyond what memory should hold (a raw log hunt over many gigabytes): each finding is
 * written to a temporary file as one JSON line as it comes, and only its place in the report
 * order (`OrderKey`, in typed arrays: order-index.ts) and where its line is stay in memory
 * (~60 bytes instead of ~1 KB a finding). `sorted()` gives them back as a read-only array in
 * report order that reads each finding from the file when it is asked for, so writers and
 * summaries take it like any other.
 * The file is private to the user (0600, in a fresh 0700 folder) and removed on `close()`, at
 * process exit, or when SIGINT, SIGTERM or SIGHUP ends the run.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderKeyOf } from './order.js';
import { grow, OrderIndex } from './order-index.js';
import type { Finding } from './types.js';

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
process.once('exit', closeAll);

function closeAll(): void {
  for (const s of open) s.close();
}

/** An interrupted run removes its spool files too, then ends by the same signal. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let watching = false;
function onSignal(sig: NodeJS.Signals): void {
  closeAll();
  for (const s of SIGNALS) process.off(s, onSignal);
  // Other listeners (a command's own shutdown) stay in charge; alone, end as the signal would.
  if (SIGNALS.every((s) => process.listenerCount(s) === 0)) process.kill(process.pid, sig);
}
function watchSignals(): void {
  if (watching) return;
  watching = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

export class FindingSpool {
  private readonly dir: string;
  private fd: number | null;
  private readonly index = new OrderIndex();
  /** Where each finding's line starts in the file, and its length in bytes (by position). */
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private written = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private buf = Buffer.alloc(64 * 1024);

  constructor(parent = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'exhunt-spool-'));
    this.fd = openSync(join(this.dir, 'findings.jsonl'), 'w+', 0o600);
    open.add(this);
    watchSignals();
  }

  get size(): number {
    return this.index.size;
  }

  add(f: Finding): void {
    const text = `${JSON.stringify(f)}\n`;
    const bytes = Buffer.byteLength(text);
    const i = this.index.add(orderKeyOf(f));
    this.offsets = grow(this.offsets, i);
    this.lengths = grow(this.lengths, i);
    this.offsets[i] = this.written + this.pendingBytes;
    this.lengths[i] = bytes;
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
    const order = this.index.order();
    const read = (i: number): Finding => this.read(order[i] as number);
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
      ownKeys: (target) => Array.from(order, (_, i) => String(i)).concat(Reflect.ownKeys(target) as string[]),
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

  /** The stored JSON text of each finding in `order` (positions), without its line feed. */
  private *lines(order: Uint32Array): Generator<string> {
    for (const i of order) yield this.text(i);
  }

  private read(i: number): Finding {
    return JSON.parse(this.text(i)) as Finding;
  }

  /** The stored line of the finding at position i. */
  private text(i: number): string {
    const offset = this.offsets[i] as number;
    const bytes = this.lengths[i] as number;
    if (this.buf.length < bytes) this.buf = Buffer.alloc(Math.max(bytes, 2 * this.buf.length));
    for (let got = 0; got < bytes; ) {
      const n = readSync(this.fd ?? closed(), this.buf, got, bytes - got, offset + got);
      if (n === 0) throw new Error('finding spool: file ended early');
      got += n;
    }
    return this.buf.toString('utf8', 0, bytes - 1);
  }
}

function closed(): never {
  throw new Error('finding spool: already closed');
}
