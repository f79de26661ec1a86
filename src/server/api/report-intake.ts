/**
 * Where uploaded reports are checked: a small pool of worker threads running report-check.ts,
 * so that hashing, parsing and validating a large (or hostile) report never holds up the event
 * loop that answers every other request. Each check has a deadline and each worker a heap
 * limit: a check that runs out of either ends its worker (a fresh one replaces it) and the
 * upload is refused as too costly (413). When `queue` checks already wait, more are refused
 * with 503 and Retry-After (agents keep the report spooled and try again).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../../parsers/spawn-worker.js';
import type { CheckOutcome } from './report-check.js';

/** A check's outcome; `checkedOn` is the thread id of the worker that ran it. */
export type IntakeOutcome = (CheckOutcome & { readonly checkedOn?: number })
  | { readonly ok: false; readonly status: 503; readonly error: string; readonly retryAfterSeconds: number };

export interface IntakeOptions {
  /** Worker threads (default: one fewer than the CPUs, 1..4). */
  readonly workers?: number;
  /** Checks that may wait for a worker before more are refused (default 16). */
  readonly queue?: number;
  /** Deadline of one check (default 60 s). */
  readonly timeoutMs?: number;
  /** Old-generation heap of each worker, MB (default 1024). */
  readonly heapMb?: number;
}

interface Job {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly timeoutMs: number;
  readonly resolve: (o: IntakeOutcome) => void;
}

interface Slot {
  worker: Worker | null;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const TOO_COSTLY = (why: string): IntakeOutcome => ({
  ok: false, status: 413, error: `report too costly to check (${why}); split the scan or lower its size`, details: [],
});

export class ReportIntake {
  private readonly slots: Slot[];
  private readonly waiting: Job[] = [];
  private readonly queue: number;
  private readonly timeoutMs: number;
  private readonly heapMb: number;
  private nextId = 1;
  private closed = false;

  constructor(opts: IntakeOptions = {}) {
    const n = opts.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    this.slots = Array.from({ length: Math.max(1, Math.floor(n)) }, () => ({ worker: null, job: null, timer: null }));
    this.queue = opts.queue ?? 16;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.heapMb = opts.heapMb ?? 1024;
  }

  /** Checks one upload's bytes off the event loop (the bytes are copied to the worker). */
  check(bytes: Uint8Array, timeoutMs: number = this.timeoutMs): Promise<IntakeOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, status: 503, error: 'the server is shutting down', retryAfterSeconds: 30 });
    if (this.waiting.length >= this.queue && this.slots.every((s) => s.job !== null)) {
      return Promise.resolve({ ok: false, status: 503, error: 'too many reports being checked; try again later', retryAfterSeconds: 30 });
    }
    return new Promise<IntakeOutcome>((resolve) => {
      this.waiting.push({ id: this.nextId++, bytes, timeoutMs, resolve });
      this.pump();
    });
  }

  /** Ends the workers; checks still waiting are answered 503. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.waiting.splice(0)) j.resolve({ ok: false, status: 503, error: 'the server is shutting down', retryAfterSeconds: 30 });
    await Promise.all(this.slots.map(async (s) => {
      if (s.job !== null) this.finish(s, { ok: false, status: 503, error: 'the server is shutting down', retryAfterSeconds: 30 });
      const w = s.worker;
      s.worker = null;
      if (w !== null) await w.terminate();
    }));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      const job = this.waiting.shift();
      if (job === undefined) return;
      this.start(slot, job);
    }
  }

  private spawn(slot: Slot): Worker {
    const w = spawnModuleWorker(import.meta.url, 'report-intake-worker', { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    w.unref();
    w.on('message', (m: { id: number; outcome: CheckOutcome; thread: number }) => {
      if (slot.worker === w && slot.job?.id === m.id) this.finish(slot, { ...m.outcome, checkedOn: m.thread });
    });
    const lost = (why: string): void => {
      if (slot.worker !== w) return;
      slot.worker = null;
      if (slot.job !== null) this.finish(slot, TOO_COSTLY(why));
    };
    w.on('error', (err) => lost(/memory/i.test(err.message) ? 'out of memory' : 'the check failed'));
    w.on('exit', () => lost('the check ended early'));
    return w;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    const w = slot.worker ?? (slot.worker = this.spawn(slot));
    slot.timer = setTimeout(() => {
      slot.worker = null;
      void w.terminate();
      this.finish(slot, TOO_COSTLY(`over ${job.timeoutMs / 1000} s`));
    }, job.timeoutMs);
    slot.timer.unref();
    w.postMessage({ id: job.id, bytes: job.bytes });
  }

  private finish(slot: Slot, outcome: IntakeOutcome): void {
    const job = slot.job;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    job?.resolve(outcome);
    if (!this.closed) this.pump();
  }
}
