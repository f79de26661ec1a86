#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds dist/ through the prepare script).
//
// V8 settings for commands that read evidence (bench/RESULTS.md, "Log hunt: V8 settings"):
// - `--single-threaded-gc`: on a 1 GB log hunt two threads scan on two cores, and V8's
//   parallel scavenging and concurrent marking helpers only took CPU time from them.
// - `--max-semi-space-size=8`: less young memory touched per scan.
// - `--heap-growing-percent=50`: a full GC once the heap is half again what the last one
//   left (V8 let it reach 3-4x on a 9 GB raw hunt: 450 MB peak, 281 MB with this).
// They only take effect at start-up, so an evidence-reading command runs in a child process
// started with them; the server and short commands run as they are. EXHUNT_NO_RESPAWN=1 turns
// the child off. The shebang is plain `node`: npm's Windows shims copy shebang arguments into
// the .cmd file, and `env -S` does not exist everywhere.
//
// No flag is passed blindly: V8 removes flags between Node lines (Node 22 dropped
// `--interrupt-budget`, which Node 20's bin used to pass, and `node` then refuses to start with
// "bad option"). A child that exits with Node's "invalid argument" code (9) before it ran is
// started again without the flags, with a warning; test/bin.test.ts checks each flag
// against `node --v8-options` of every Node line CI runs. EXHUNT_V8_FLAGS replaces the list.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { v8Flags } from './v8-flags.js';

const FLAGS = v8Flags();
/** Node's exit code for an invalid command-line option. */
const NODE_BAD_OPTION = 9;
const EVIDENCE_COMMANDS = new Set(['scan', 'hunt', 'scope', 'timeline', 'parse']);

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('exhunt: dist/ is missing; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}

const missing = FLAGS.filter((f) => !process.execArgv.includes(f));
if (missing.length > 0 && EVIDENCE_COMMANDS.has(process.argv[2] ?? '') && process.env.EXHUNT_NO_RESPAWN !== '1') {
  runChild(missing, true);
} else {
  await import(pathToFileURL(compiled).href);
}

/** Runs this file again in a child process with the V8 flags; its end is this process's end. */
function runChild(flags, mayRetry) {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, ...flags, self, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Signals meant for this process go on to the child.
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
    else if (code === NODE_BAD_OPTION && mayRetry) {
      // exhunt itself never exits 9: this Node refused one of the flags before running anything.
      process.stderr.write(`exhunt: warning: Node ${process.version} refused the V8 options ${flags.join(' ')}; running without them\n`);
      process.env.EXHUNT_NO_RESPAWN = '1';
      runChild([], false);
    } else process.exit(code ?? 1);
  });
}
