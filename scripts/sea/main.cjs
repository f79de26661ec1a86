'use strict';
// Entry of the single executable (scripts/package.mjs builds it; README "One executable").
//
// A Node single executable application runs one CommonJS script and cannot load files from
// itself, while exhunt is ES modules with worker threads and reads content/ from disk. So the
// executable carries the bundled modules, content/ and schema/ as SEA assets, writes them into a
// private temporary folder (mkdtemp: only this user can read it), runs the CLI from there, and
// removes the folder when the process ends — also when SIGINT, SIGTERM or SIGHUP ends it.
// Nothing else is written outside the report the user asks for.
const sea = require('node:sea');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const { pathToFileURL } = require('node:url');

function fail(text) {
  process.stderr.write(`exhunt: ${text}\n`);
  process.exit(2);
}

let manifest;
try {
  manifest = JSON.parse(sea.getAsset('manifest.json', 'utf8'));
} catch (err) {
  fail(`the executable's asset list cannot be read (EXE_ASSETS): ${err.message}`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-exe-'));
function removeDir() {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    process.stderr.write(`exhunt: could not remove the temporary folder ${dir}: ${err.message}\n`);
  }
}
process.once('exit', removeDir);
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function onSignal(sig) {
  removeDir();
  for (const s of SIGNALS) process.off(s, onSignal);
  // A command's own shutdown stays in charge; alone, end as the signal would.
  if (SIGNALS.every((s) => process.listenerCount(s) === 0)) process.kill(process.pid, sig);
}
for (const s of SIGNALS) process.on(s, onSignal);

try {
  for (const rel of manifest.files) {
    const dest = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, new Uint8Array(sea.getAsset(rel)), { mode: 0o600 });
  }
} catch (err) {
  fail(`cannot unpack into ${dir} (EXE_UNPACK): ${err.message}`);
}

// The CJS entry of a single executable has no module loader for import(); a script compiled
// with the main context's default loader has one.
// vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER is marked experimental: its one-line warning
// is not the user's business.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  if (!String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) emitWarning.call(process, warning, ...rest);
};
const main = pathToFileURL(path.join(dir, 'dist', 'cli', 'main.js')).href;
const boot = new vm.Script(`import(${JSON.stringify(main)})`, {
  filename: path.join(dir, 'boot.js'),
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const started = boot.runInThisContext();
process.emitWarning = emitWarning;
started.catch((err) => {
  process.stderr.write(`exhunt: ${err && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 2;
});
