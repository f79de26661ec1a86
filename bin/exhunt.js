#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds dist/ through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// Tier up to optimised code later than V8's default (`--interrupt-budget=67584` in Node 20, `node --v8-options`): a run is
// short, and on a 1 GB log hunt three isolates spent ~1 s of CPU (a fifth of the run) in
// background TurboFan compilation of lukewarm code. Process-wide, so worker threads too.
// Measured in bench/RESULTS.md ("Log hunt: JIT budget").
setFlagsFromString('--interrupt-budget=1000000');

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('exhunt: dist/ is missing; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}
await import(compiled);
