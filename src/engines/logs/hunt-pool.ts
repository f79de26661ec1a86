/**
 * The log hunt over many files: files are shared out to worker threads (one file at a time
 * per worker, largest first) so both cores parse; small runs stay on the calling thread.
 * Results come back per file, in completion order; aggregation happens on the caller's side.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../../parsers/spawn-worker.js';
import type { LogMatcher } from './matcher.js';
import type { IocSet } from '../../iocs/match.js';
import { processLogFile, type LogFileResult, type LogJob, type TimeWindow } from './process-file.js';

export interface HuntPoolOptions {
  /** User YAML rule paths (the workers load the built-in rules themselves). */
  readonly rulePaths: readonly string[];
  readonly window: TimeWindow;
  /** Worker threads; default: the machine's parallelism. 0: the calling thread only. */
  readonly workers?: number;
  /** The caller's matcher, used when the run stays on the calling thread. */
  readonly matcher: LogMatcher;
  /** Indicators: the caller's set, and how workers load the same one. */
  readonly iocs: { readonly set: IocSet; readonly load: { files: readonly string[]; home: string | undefined; asOf: string } } | null;
}

export interface SizedLogJob extends LogJob {
  readonly size: number;
}

/** Below this much input, starting workers costs more than it saves. */
const MIN_PARALLEL_BYTES = 16 * 1024 * 1024;

interface Reply {
  readonly id: number;
  readonly result?: LogFileResult;
  readonly error?: string;
}

export async function* huntLogJobs(jobs: readonly SizedLogJob[], opts: HuntPoolOptions): AsyncGenerator<Outcome> {
  const total = jobs.reduce((n, j) => n + j.size, 0);
  const want = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  if (want < 2 || total < MIN_PARALLEL_BYTES) {
    for (const job of jobs) {
      try {
        yield await processLogFile(job, opts.matcher, opts.window, opts.iocs?.set ?? null);
      } catch (err) {
        yield { job, error: err instanceof Error ? err.message : String(err) };
      }
    }
    return;
  }
  yield* runWorkers([...jobs].sort((a, b) => b.size - a.size), want, opts);
}

type Outcome = LogFileResult | { job: LogJob; error: string };

async function* runWorkers(queue: SizedLogJob[], count: number, opts: HuntPoolOptions): AsyncGenerator<Outcome> {
  const workers: Worker[] = [];
  const done: Outcome[] = [];
  /** The job each worker is on (one at a time). */
  const current = new Map<Worker, SizedLogJob>();
  let wake: (() => void) | null = null;
  let next = 0;
  const feed = (w: Worker): void => {
    const job = queue[next];
    if (job === undefined) return;
    next += 1;
    current.set(w, job);
    w.postMessage({ id: next, job: { abs: job.abs, path: job.path, family: job.family } });
  };
  const settle = (w: Worker, outcome: Outcome, again: boolean): void => {
    current.delete(w);
    done.push(outcome);
    if (again) feed(w);
    wake?.();
  };
  try {
    for (let i = 0; i < count; i++) {
      const w = spawnModuleWorker(import.meta.url, 'worker', {
        workerData: { rulePaths: opts.rulePaths, window: opts.window, iocs: opts.iocs?.load ?? null },
        // Parsed lines die young: a small young generation keeps each worker's footprint low.
        resourceLimits: { maxYoungGenerationSizeMb: 16 },
      });
      w.on('message', (m: Reply) => {
        const job = current.get(w) as SizedLogJob;
        settle(w, m.result ?? { job, error: m.error ?? 'log worker failed' }, true);
      });
      w.on('error', (err) => {
        const job = current.get(w);
        if (job) settle(w, { job, error: `log worker failed: ${err.message}` }, false);
      });
      workers.push(w);
      feed(w);
    }
    while (current.size > 0 || done.length > 0) {
      if (done.length === 0) await new Promise<void>((r) => (wake = r));
      wake = null;
      while (done.length > 0) yield done.shift() as Outcome;
    }
    // Jobs a failed worker never got to run on the calling thread.
    while (next < queue.length) {
      const job = queue[next++] as SizedLogJob;
      yield await processLogFile(job, opts.matcher, opts.window, opts.iocs?.set ?? null);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
