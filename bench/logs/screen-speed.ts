/**
 * The line pre-screen alone (not a test): both needle engines over every file of a generated
 * tree, files read into memory first, 1 MiB chunks cut at line ends, the built-in rules' screens
 * for IIS and HttpProxy. Prints seconds and kept lines per engine, and checks they agree.
 *
 *   npx tsx bench/logs/screen-speed.ts OUTDIR   (OUTDIR from gen-logs.ts)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogMatcher } from '../../src/engines/logs/matcher.js';
import { JsNeedleScan, WasmNeedleScan, type NeedleFinder } from '../../src/parsers/logs/needle-scan.js';
import { defaultLoadOptions, loadBuiltinLogRules } from '../../src/rules/load.js';

const dir = process.argv[2] ?? '/tmp/exhunt-gen-1g';
const files: { buf: Buffer; family: 'iis' | 'httpproxy' }[] = [];
const walk = (d: string): void => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name !== 'manifest.json') files.push({ buf: readFileSync(p), family: p.includes('HttpProxy') ? 'httpproxy' : 'iis' });
  }
};
walk(dir);
const matcher = createLogMatcher((await loadBuiltinLogRules(await defaultLoadOptions())).rules);
const wasm = new WebAssembly.Module(readFileSync(new URL('../../src/parsers/logs/needle-scan.wasm', import.meta.url)));

function run(make: (needles: readonly string[], terms: readonly (readonly string[])[]) => NeedleFinder): { seconds: number; kept: number } {
  const engines = new Map<string, NeedleFinder>();
  for (const f of ['iis', 'httpproxy'] as const) {
    const s = matcher.screenFor(f);
    if (s) engines.set(f, make(s.needles, s.terms));
  }
  const out: number[] = [];
  let kept = 0;
  const t0 = performance.now();
  for (const { buf, family } of files) {
    const e = engines.get(family);
    if (!e) continue;
    for (let off = 0; off < buf.length;) {
      let end = Math.min(buf.length, off + (1 << 20));
      if (end < buf.length) end = buf.lastIndexOf(10, end - 1) + 1;
      e.find(buf, off, end, out);
      kept += out.length;
      off = end;
    }
  }
  return { seconds: +((performance.now() - t0) / 1000).toFixed(3), kept };
}

const bytes = files.reduce((n, f) => n + f.buf.length, 0);
const results: Record<string, { seconds: number; kept: number }> = {};
for (const round of [1, 2]) {
  results[`wasm${round}`] = run((n, t) => new WasmNeedleScan(wasm, n, t));
  results[`js${round}`] = run((n, t) => new JsNeedleScan(n, t));
}
console.log(JSON.stringify({ step: 'screen-speed', files: files.length, gigabytes: +(bytes / 1e9).toFixed(2), ...results }));
if (results.wasm2?.kept !== results.js2?.kept) throw new Error('the engines disagree');
