/**
 * The log hunt over many files: files are shared out, largest first, between the calling
 * thread and worker threads (one file at a time each) so every core parses; small runs stay
 * on the calling thread. The calling thread scans too: it has its rules loaded already, and
 * an extra isolate's start-up, compilation and garbage collection cost more CPU time than the
 * calling thread spends collecting results. Results come back per file, in completion order;
 * aggregation happens on the caller's side.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { releaseLogWorkers, takeLogWorker } from './log-workers.js';
import { claimNext, newClaims } from './claims.js';
import type { WorkerInput, WorkerMessage } from './worker.js';
import type { LogMatcher } from './matcher.js';
import type { IocSet } from '../../iocs/match.js';
import { createReadBuffers, type ReadBuffers } from '../../parsers/logs/index.js';
import { processLogFile, type LogFileResult, type LogJob, type ProcessOptions, type TimeWindow } from './process-file.js';

export interface HuntPoolOptions {
  /** User YAML rule paths (the workers load the built-in rules themselves). */
  readonly rulePaths: readonly string[];
  readonly window: TimeWindow;
  /**
   * Threads that scan, the calling thread included (so one fewer worker thread); default: the
   * machine's parallelism. 0 or 1: the calling thread only.
   */
  readonly workers?: number;
  /** The caller's matcher, for the files the calling thread takes. */
  readonly matcher: LogMatcher;
  /** Indicators: the caller's set, and how workers load the same one. */
  readonly iocs: { readonly set: IocSet; readonly load: { files: readonly string[]; home: string | undefined; asOf: string } } | null;
  /** Give each hit its raw finding's id where it is found (`--raw`). */
  readonly hitIds?: boolean;
}

export interface SizedLogJob extends LogJob {
  readonly size: number;
}

type Outcome = LogFileResult | { job: LogJob; error: string };

/**
 * A hunt whose workers may already be at work: `startLogHunt` hands them the jobs at once,
 * and the calling thread joins with `results` once its own matcher is built.
 */
export interface LogHunt {
  /** Every file's outcome, in completion order; the calling thread scans while it waits. */
  results(matcher: LogMatcher): AsyncGenerator<Outcome>;
  /** Ends the workers (also when `results` was never read to the end). */
  close(): Promise<void>;
}

/** Below this much input, starting workers costs more than it saves. */
const MIN_PARALLEL_BYTES = 16 * 1024 * 1024;

interface Reply {
  readonly id: number;
  readonly result?: LogFileResult;
  readonly error?: string;
}

export function huntLogJobs(jobs: readonly SizedLogJob[], opts: HuntPoolOptions): AsyncGenerator<Outcome> {
  return startLogHunt(jobs, opts).results(opts.matcher);
}

/** Starts the hunt of `jobs`; the workers begin before the caller has its matcher. */
export function startLogHunt(jobs: readonly SizedLogJob[], opts: Omit<HuntPoolOptions, 'matcher'>): LogHunt {
  const total = jobs.reduce((n, j) => n + j.size, 0);
  const want = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  if (want < 2 || total < MIN_PARALLEL_BYTES) {
    const released = releaseLogWorkers();
    return {
      async *results(matcher) {
        await released;
        const buffers = createReadBuffers();
        for (const job of jobs) yield await here(job, matcher, opts, buffers);
      },
      close: () => released,
    };
  }
  return shared([...jobs].sort((a, b) => b.size - a.size), want - 1, opts);
}

/** One file on the calling thread; a failure is that file's outcome. */
async function here(job: SizedLogJob, matcher: LogMatcher, opts: Omit<HuntPoolOptions, 'matcher'>, buffers: ReadBuffers): Promise<Outcome> {
  try {
    const po: ProcessOptions = { window: opts.window, iocs: opts.iocs?.set ?? null, buffers, hitIds: opts.hitIds ?? false };
    return await processLogFile(job, matcher, po);
  } catch (err) {
    return { job, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The calling thread's mark in the claim table (workers are 1, 2, …). */
const HERE = 0x7fffffff;

/**
 * The jobs, largest first, in a claim table (claims.ts) every thread takes the next one from:
 * no thread waits for another to hand it work.
 */
function shared(queue: SizedLogJob[], count: number, opts: Omit<HuntPoolOptions, 'matcher'>): LogHunt {
  const workers: Worker[] = [];
  const done: Outcome[] = [];
  const claims = newClaims(queue.length);
  const resolved = new Uint8Array(queue.length);
  let left = queue.length;
  let wake: (() => void) | null = null;
  const settle = (i: number, outcome: Outcome): void => {
    if (resolved[i] === 1) return;
    resolved[i] = 1;
    left -= 1;
    done.push(outcome);
    wake?.();
  };
  /** A worker that is gone fails the jobs it had claimed and not finished. */
  const lost = (me: number, why: string): void => {
    for (let i = 0; i < queue.length; i++) {
      if (claims.owner[i] === me && resolved[i] === 0) settle(i, { job: queue[i] as SizedLogJob, error: `log worker failed: ${why}` });
    }
  };
  const init: WorkerInput = { rulePaths: opts.rulePaths, window: opts.window, iocs: opts.iocs?.load ?? null, hitIds: opts.hitIds ?? false };
  const jobs: LogJob[] = queue.map((j) => ({ abs: j.abs, path: j.path, family: j.family }));
  for (let k = 1; k <= count; k++) {
    const w = takeLogWorker();
    w.postMessage({ init, jobs, claims: claims.buffer, me: k } satisfies WorkerMessage);
    w.on('message', (m: Reply) => settle(m.id, m.result ?? { job: queue[m.id] as SizedLogJob, error: m.error ?? 'log worker failed' }));
    w.on('error', (err) => lost(k, err.message));
    w.on('exit', (code) => lost(k, `exited (code ${code})`));
    workers.push(w);
  }
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => (closed ??= Promise.all([...workers.map((w) => w.terminate()), releaseLogWorkers()]).then(() => undefined));
  return {
    async *results(matcher) {
      try {
        const buffers = createReadBuffers({ sync: true });
        for (let from = 0; ; ) {
          while (done.length > 0) yield done.shift() as Outcome;
          const i = claimNext(claims, HERE, from);
          if (i !== -1) {
            from = i + 1;
            settle(i, await here(queue[i] as SizedLogJob, matcher, opts, buffers));
            // Blocking reads and microtasks alone never let the workers' messages in.
            await new Promise<void>((r) => setImmediate(r));
            continue;
          }
          if (left === 0) break;
          await new Promise<void>((r) => (wake = r));
          wake = null;
        }
      } finally {
        await close();
      }
    },
    close,
  };
}
