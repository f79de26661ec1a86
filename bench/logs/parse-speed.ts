/**
 * Parser throughput on a generated tree (not a test):
 *
 *   npx tsx bench/logs/parse-speed.ts OUTDIR [--lines-only | --prefilter LITERAL | --needles 'A|B|C']
 *
 * Streams every file under OUTDIR through `openLog` (or, with --lines-only, only the line
 * reader) one file at a time and prints records, issues, MiB per CPU second and peak RSS
 * (CPU time, because wall time on a shared machine says little).
 */
import { readdirSync, statSync, createReadStream } from 'node:fs';
import { join, relative } from 'node:path';
import { createParseStats, openLog, readLines } from '../../src/parsers/logs/index.js';
import type { ParseIssue } from '../../src/parsers/types.js';

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name !== 'manifest.json') yield p;
  }
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (!root) throw new Error('usage: parse-speed.ts OUTDIR [--lines-only | --prefilter LITERAL | --needles A|B|C]');
  const linesOnly = process.argv.includes('--lines-only');
  const pf = process.argv.indexOf('--prefilter');
  const needle = pf === -1 ? null : Buffer.from(process.argv[pf + 1] ?? '');
  const prefilter = needle ? (b: Buffer): boolean => b.includes(needle) : undefined;
  const nd = process.argv.indexOf('--needles');
  const needles = nd === -1 ? undefined : (process.argv[nd + 1] ?? '').split('|');
  const stats = createParseStats();
  const issues: ParseIssue[] = [];
  const onIssue = (i: ParseIssue): void => void issues.push(i);
  let peak = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  for (const abs of walk(root)) {
    const display = relative(root, abs);
    if (linesOnly) {
      for await (const l of readLines(createReadStream(abs, { highWaterMark: 1 << 20 }), { path: display, onIssue, stats })) n += l.text.length > 0 ? 1 : 0;
    } else {
      for await (const r of openLog(abs, display, { onIssue, stats, ...(prefilter ? { prefilter } : {}), ...(needles ? { needles } : {}) })) n += r.fields ? 1 : 0;
    }
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mib = stats.bytes / 1024 ** 2;
  console.log(JSON.stringify({ mode: linesOnly ? 'lines' : 'records', files: stats.files, lines: stats.lines, records: stats.records, items: n, skipped: stats.skipped, issues: issues.length, mib: Math.round(mib), seconds: Number(s.toFixed(2)), cpuSeconds: Number(cpuSeconds.toFixed(2)), mibPerCpuSecond: Math.round(mib / cpuSeconds), peakRssMiB: Math.round(peak / 1024 ** 2) }));
  for (const i of issues.slice(0, 5)) console.log(JSON.stringify(i));
}

await main();
