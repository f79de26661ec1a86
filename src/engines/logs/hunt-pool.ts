/**
 * The log hunt over many files: files are shared out to worker threads (one file at a time
 * per worker, largest first) so both cores parse; small runs stay on the calling thread.
 * Results come back per file, in completion order; aggregation happens on the caller's side.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../../parsers/spawn-worker.js';
import type { JobMessage, WorkerInput } from './worker.js';
import type { LogMatcher } from './matcher.js';
import type { IocSet } from '../../iocs/match.js';
import { createReadBuffers, type ReadBuffers } from '../../parsers/logs/index.js';
import { processLogFile, type LogFileResult, type LogJob, type ProcessOptions, type TimeWindow } from './process-file.js';

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
  /** Give each hit its raw finding's id where it is found (`--raw`). */
  readonly hitIds?: boolean;
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
    const buffers = createReadBuffers();
    for (const job of jobs) {
      try {
        yield await processLogFile(job, opts.matcher, processOptions(opts, buffers));
      } catch (err) {
        yield { job, error: err instanceof Error ? err.message : String(err) };
      }
    }
    return;
  }
  yield* runWorkers([...jobs].sort((a, b) => b.size - a.size), want, opts);
}

function processOptions(opts: HuntPoolOptions, buffers?: ReadBuffers): ProcessOptions {
  return { window: opts.window, iocs: opts.iocs?.set ?? null, buffers, hitIds: opts.hitIds ?? false };
}

type Outcome = LogFileResult | { job: LogJob; error: string };

/** Jobs queued per worker: the next one is already there when a worker finishes one. */
const IN_FLIGHT = 2;

async function* runWorkers(queue: SizedLogJob[], count: number, opts: HuntPoolOptions): AsyncGenerator<Outcome> {
  const workers: Worker[] = [];
  const done: Outcome[] = [];
  /** The jobs each worker holds, by message id (run one after the other there). */
  const current = new Map<Worker, Map<number, SizedLogJob>>();
  let held = 0;
  let wake: (() => void) | null = null;
  let next = 0;
  const feed = (w: Worker): void => {
    const job = queue[next];
    if (job === undefined) return;
    next += 1;
    current.get(w)?.set(next, job);
    held += 1;
    w.postMessage({ id: next, job: { abs: job.abs, path: job.path, family: job.family } } satisfies JobMessage);
  };
  const settle = (outcome: Outcome): void => {
    held -= 1;
    done.push(outcome);
    wake?.();
  };
  const workerData: WorkerInput = { rulePaths: opts.rulePaths, window: opts.window, iocs: opts.iocs?.load ?? null, hitIds: opts.hitIds ?? false };
  try {
    for (let i = 0; i < count; i++) {
      const w = spawnModuleWorker(import.meta.url, 'worker', {
        workerData,
        // Parsed lines and the pre-screen's 64 KiB strings die young. 32 MB: at 16 MB the
        // scavenges took ~12 % of a worker's time on 1 GB of logs; 48 MB brought peak RSS
        // near 300 MB.
        resourceLimits: { maxYoungGenerationSizeMb: 32 },
      });
      const mine = new Map<number, SizedLogJob>();
      current.set(w, mine);
      w.on('message', (m: Reply) => {
        const job = mine.get(m.id) as SizedLogJob;
        mine.delete(m.id);
        feed(w);
        settle(m.result ?? { job, error: m.error ?? 'log worker failed' });
      });
      w.on('error', (err) => {
        for (const job of mine.values()) settle({ job, error: `log worker failed: ${err.message}` });
        mine.clear();
      });
      workers.push(w);
    }
    // Largest first, dealt round the workers.
    for (let k = 0; k < IN_FLIGHT; k++) for (const w of workers) feed(w);
    while (held > 0 || done.length > 0) {
      if (done.length === 0) await new Promise<void>((r) => (wake = r));
      wake = null;
      while (done.length > 0) yield done.shift() as Outcome;
    }
    // Jobs a failed worker never got to run on the calling thread.
    while (next < queue.length) {
      const job = queue[next++] as SizedLogJob;
      yield await processLogFile(job, opts.matcher, processOptions(opts));
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
