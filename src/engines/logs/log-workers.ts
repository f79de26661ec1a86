/**
 * The log hunt's worker threads: how one is started, and starting them early. A worker spends
 * its first ~0.3 s loading modules and rules; `prestartLogWorkers`, called by `hunt logs`
 * before the calling thread loads its own, lets that happen on the other core meanwhile. This
 * module stays small so that calling it early costs nothing (the hunt pool imports the rest).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../../parsers/spawn-worker.js';

export function spawnLogWorker(): Worker {
  return spawnModuleWorker(import.meta.url, 'worker', {
    // Parsed lines and the pre-screen's 64 KiB strings die young. 32 MB: at 16 MB the
    // scavenges took ~12 % of a worker's time on 1 GB of logs; 48 MB brought peak RSS
    // near 300 MB.
    resourceLimits: { maxYoungGenerationSizeMb: 32 },
  });
}

/** Started and not yet taken by a hunt; they do not keep the process alive meanwhile. */
const waiting: Worker[] = [];

/**
 * Starts the workers a hunt over many logs would use (one per core besides the calling
 * thread). The hunt pool takes them (`takeLogWorker`); a hunt that runs on the calling thread
 * alone ends them (`releaseLogWorkers`).
 */
export function prestartLogWorkers(count = availableParallelism() - 1): void {
  for (let i = waiting.length; i < count; i++) {
    const w = spawnLogWorker();
    w.unref();
    // A failed start surfaces when the pool takes the worker and sends it work.
    w.on('error', () => undefined);
    waiting.push(w);
  }
}

/** A started worker if one waits, else a new one; either way it keeps the process alive now. */
export function takeLogWorker(): Worker {
  const w = waiting.shift() ?? spawnLogWorker();
  w.ref();
  return w;
}

/** Ends the workers nobody took. */
export async function releaseLogWorkers(): Promise<void> {
  const all = waiting.splice(0);
  await Promise.all(all.map((w) => w.terminate()));
}

/** How many started workers wait to be taken (for tests). */
export function waitingLogWorkers(): number {
  return waiting.length;
}
