/**
 * Starts a worker thread from a module beside the caller: `name.js` when running compiled
 * (dist/), else `name.ts` under tsx. Node 20 does not apply `--import` loaders to a worker's
 * entry file, so the TypeScript case boots through a tiny script that registers tsx first.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnModuleWorker(base: string | URL, name: string, opts: WorkerOptions = {}): Worker {
  const js = new URL(`./${name}.js`, base);
  if (existsSync(fileURLToPath(js))) return new Worker(js, opts);
  const api = import.meta.resolve('tsx/esm/api');
  const ts = new URL(`./${name}.ts`, base).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { ...opts, eval: true });
}
