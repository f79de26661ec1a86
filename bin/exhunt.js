#!/usr/bin/env -S node --single-threaded-gc --max-semi-space-size=8 --heap-growing-percent=50 --interrupt-budget=1000000
// Entry point: runs the compiled CLI (npm install builds dist/ through the prepare script).
//
// V8 settings for commands that read evidence (bench/RESULTS.md, "Log hunt: V8 settings"):
// - `--single-threaded-gc`: on a 1 GB log hunt two threads scan on two cores, and V8's
//   parallel scavenging and concurrent marking helpers only took CPU time from them
//   (median 2.34 s -> 2.01 s, CPU 3.9 s -> 3.4 s).
// - `--max-semi-space-size=8` (Node 20's default is 16): less young memory touched per scan.
// - `--heap-growing-percent=50`: a full GC once the heap is half again what the last one
//   left (V8 let it reach 3-4x on a 9 GB raw hunt: 450 MB peak, 281 MB with this; same speed).
// - `--interrupt-budget=1000000` (V8's default 67584, `node --v8-options`): tier up to
//   optimised code later; three isolates spent ~1 s of CPU in background compilation of
//   lukewarm code.
// The first three only take effect at start-up (setting them later crashes V8), so when this
// file is run as `node bin/exhunt.js` rather than through its shebang (the npm bin, `npx
// exhunt`), an evidence-reading command runs in a child process started with them. The
// server and short commands run as they are. EXHUNT_NO_RESPAWN=1 turns the child off.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const FLAGS = ['--single-threaded-gc', '--max-semi-space-size=8', '--heap-growing-percent=50', '--interrupt-budget=1000000'];
const EVIDENCE_COMMANDS = new Set(['scan', 'hunt', 'scope', 'timeline', 'parse']);

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('exhunt: dist/ is missing; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}

const missing = FLAGS.filter((f) => !process.execArgv.includes(f));
if (missing.length > 0 && EVIDENCE_COMMANDS.has(process.argv[2] ?? '') && process.env.EXHUNT_NO_RESPAWN !== '1') {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, ...missing, self, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Signals meant for this process go on to the child; its end is this process's end.
  const forward = (sig) => child.kill(sig);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.on(sig, forward);
  child.on('error', (err) => {
    process.stderr.write(`exhunt: cannot start ${process.execPath}: ${err.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    for (const sig of signals) process.off(sig, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else {
  // Without the start-up flags (e.g. `serve`), the JIT budget at least applies: it can be set now.
  if (missing.includes('--interrupt-budget=1000000')) setFlagsFromString('--interrupt-budget=1000000');
  await import(compiled);
}
