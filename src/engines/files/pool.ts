/**
 * A small pool of worker threads that read, hash and YARA-scan files, so that a scan uses
 * every core: the main thread walks and builds findings, the workers do the heavy part.
 * Workers keep the process alive only while they have work.
 */
import { Worker } from 'node:worker_threads';
import type { YaraExternals, YaraMatch, YaraRecipe } from '../../rules/yara.js';
import type { FileHashes } from './content.js';

export interface PoolJob {
  readonly id: number;
  readonly absPath: string;
  readonly externals: YaraExternals;
}

export type PoolReply =
  | { readonly id: number; readonly ok: true; readonly hashes: FileHashes; readonly matches: YaraMatch[]; readonly buf: Uint8Array }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface ScanPool {
  run(absPath: string, externals: YaraExternals): Promise<PoolReply>;
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, (r: PoolReply) => void>;
  alive: boolean;
}

/**
 * Starts the worker. In the build the worker is plain `.js`; when running from sources under
 * tsx (tests, benchmarks) the worker thread has to register tsx itself before importing `.ts`.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./yara-worker.js', import.meta.url), { workerData });
  }
  const url = JSON.stringify(new URL('./yara-worker.ts', import.meta.url).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const boot = `import(${tsx}).then((m) => { m.register(); return import(${url}); })`;
  return new Worker(boot, { eval: true, workerData });
}

function failAll(slot: Slot, message: string): void {
  slot.alive = false;
  for (const [id, resolve] of slot.pending) resolve({ id, ok: false, error: message });
  slot.pending.clear();
}

/** Starts `size` workers with the given rules; null when workers cannot be started. */
export function createScanPool(recipe: YaraRecipe, size: number, maxScanBytes: number): ScanPool | null {
  const slots: Slot[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const worker = startWorker({ recipe, maxScanBytes });
      const slot: Slot = { worker, pending: new Map(), alive: true };
      worker.unref();
      worker.on('message', (r: PoolReply) => {
        const resolve = slot.pending.get(r.id);
        slot.pending.delete(r.id);
        if (slot.pending.size === 0) worker.unref();
        resolve?.(r);
      });
      worker.on('error', (err) => failAll(slot, `scan worker failed: ${err.message}`));
      worker.on('exit', () => failAll(slot, 'scan worker exited'));
      slots.push(slot);
    }
  } catch {
    for (const s of slots) void s.worker.terminate();
    return null;
  }
  let next = 0;
  return {
    run(absPath, externals) {
      const id = next++;
      const live = slots.filter((s) => s.alive);
      const slot = live.reduce<Slot | undefined>((a, b) => (a && a.pending.size <= b.pending.size ? a : b), undefined);
      if (!slot) return Promise.resolve({ id, ok: false, error: 'no scan worker running' });
      return new Promise<PoolReply>((resolve) => {
        if (slot.pending.size === 0) slot.worker.ref();
        slot.pending.set(id, resolve);
        slot.worker.postMessage({ id, absPath, externals } satisfies PoolJob);
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
