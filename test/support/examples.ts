/** Makes sure the generated parts of examples/ exist (npm install writes them; tests may run without it). */
import { join } from 'node:path';
import { REPO } from './cli.js';

export const COMPROMISED = join(REPO, 'examples', 'compromised-e2019');
export const CLEAN = join(REPO, 'examples', 'clean-se');

let done: Promise<void> | null = null;

export function ensureExamples(): Promise<void> {
  done ??= (async () => {
    const mod = (await import(join(REPO, 'scripts', 'materialize-examples.mjs'))) as { materialize(): void };
    mod.materialize();
  })();
  return done;
}
