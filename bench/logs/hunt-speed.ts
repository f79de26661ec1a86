/**
 * Matcher throughput on a generated tree (not a test), and a check that every planted trace is
 * found and nothing else is reported at medium or above:
 *
 *   npx tsx bench/logs/hunt-speed.ts OUTDIR [--no-needles]
 *
 * Streams every file under OUTDIR through `openLog` (with the matcher's per-family line
 * screen — needles and terms — unless --no-needles; read buffers shared across files, blocking
 * reads as in the hunt's workers) and the built-in rules, in raw mode, one file at a time.
 * Prints records, findings per rule and severity, MiB per CPU second and peak RSS; then
 * compares with OUTDIR/manifest.json (written by gen-logs.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createAggregator } from '../../src/engines/logs/aggregate.js';
import { createLogMatcher } from '../../src/engines/logs/matcher.js';
import { atLeast } from '../../src/findings/types.js';
import { createParseStats, createReadBuffers, familyFromPath, openLog } from '../../src/parsers/logs/index.js';
import type { ParseIssue } from '../../src/parsers/types.js';
import { loadBuiltinLogRules } from '../../src/rules/load.js';

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name !== 'manifest.json') yield p;
  }
}

interface Manifest {
  readonly planted?: readonly { readonly id: string; readonly lines?: readonly { readonly path: string; readonly line: number }[] }[];
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (!root) throw new Error('usage: hunt-speed.ts OUTDIR [--no-needles]');
  const useNeedles = !process.argv.includes('--no-needles');
  const { rules } = await loadBuiltinLogRules();
  const matcher = createLogMatcher(rules);
  const agg = createAggregator({ raw: true });
  const stats = createParseStats();
  const issues: ParseIssue[] = [];
  let peak = 0;
  const readBuffers = createReadBuffers({ sync: true });
  const c0 = process.cpuUsage();
  for (const abs of walk(root)) {
    const display = relative(root, abs).replaceAll('\\', '/');
    const fam = familyFromPath(`/${display}`);
    const screen = fam && useNeedles ? matcher.screenFor(fam) : null;
    const opts = { onIssue: (i: ParseIssue): void => void issues.push(i), stats, readBuffers, ...(screen ? { lineScreen: () => screen } : {}) };
    for await (const rec of openLog(abs, display, opts)) for (const hit of matcher.match(rec)) agg.add(rec, hit);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const findings = agg.findings();
  const byRule = new Map<string, number>();
  for (const f of findings) byRule.set(`${f.severity} ${f.ruleId}`, (byRule.get(`${f.severity} ${f.ruleId}`) ?? 0) + 1);
  const mib = stats.bytes / 1024 ** 2;
  console.log(JSON.stringify({ needles: useNeedles, files: stats.files, records: stats.records, filtered: stats.filtered, issues: issues.length, findings: findings.length, mib: Math.round(mib), cpuSeconds: Number(cpuSeconds.toFixed(2)), mibPerCpuSecond: Math.round(mib / cpuSeconds), peakRssMiB: Math.round(peak / 1024 ** 2) }));
  for (const [k, n] of [...byRule].sort()) console.log(`  ${n}\t${k}`);
  let manifest: Manifest = {};
  try {
    manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return;
  }
  const at = new Set(findings.map((f) => `${f.evidence.path}:${f.evidence.line ?? ''}`));
  const planted = new Set<string>();
  for (const p of manifest.planted ?? []) {
    const lines = p.lines ?? [];
    for (const l of lines) planted.add(`${l.path}:${l.line}`);
    const found = lines.filter((l) => at.has(`${l.path}:${l.line}`)).length;
    console.log(`plant ${p.id}: ${found}/${lines.length} planted lines found`);
  }
  const extra = findings.filter((f) => atLeast(f.severity, 'medium') && !planted.has(`${f.evidence.path}:${f.evidence.line ?? ''}`));
  console.log(`medium+ findings on lines that were not planted: ${extra.length}`);
  for (const f of extra.slice(0, 10)) console.log(`  ${f.ruleId} ${f.evidence.path}:${f.evidence.line ?? ''} ${f.evidence.excerpt ?? ''}`);
}

await main();
