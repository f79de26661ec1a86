/**
 * File-scan performance (issue 5 item 5, issue 20 item 5): the development corpora (the four
 * zips of ../shared/corpus) plus a generated tree of ordinary files, scanned by exhunt's file
 * scanner (walk + hashes + the portable YARA engine + built-in checks) and by the `yara` command
 * line (`yara -r -p 2`, same bundled rules, externals empty). `--files 3000` gives the small,
 * start-up-dominated tree of an Exchange server's web folders.
 *   node --import tsx bench/files/scan-perf.ts [--files 100000] [--tree DIR] [--rounds 2] [--concurrency 64]
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFileScanner } from '../../src/engines/files/index.js';
import { openEvidenceRoot } from '../../src/evidence/root.js';
import { walkFiles } from '../../src/evidence/walk.js';
import type { FileRecord } from '../../src/parsers/types.js';
import { compileYara } from '../../src/rules/yara.js';
import { BUNDLED_YARA_DIR } from '../../src/rules/yara-source.js';
import { unpackCorpus } from './corpus.js';
import { generateTree } from './gen-tree.js';

const run = promisify(execFile);
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const COUNT = Number(arg('--files', '100000'));
// exhunt's time includes compiling the rules (and starting the workers); yara's includes its own compile.
const CONCURRENCY = Number(arg('--concurrency', '64'));

async function prepare(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const given = arg('--tree', '');
  const dir = given || (await mkdtemp(join(tmpdir(), 'exhunt-perf-')));
  const generated = join(dir, `ordinary-${COUNT}`);
  const has = await stat(generated).then(() => true, () => false);
  if (!has) await generateTree(generated, COUNT);
  const corpus = await unpackCorpus(['webshells-dev.zip', 'benign-aspnet-dev.zip', 'webshells-dev2.zip', 'benign-aspnet-dev2.zip']);
  await rm(join(dir, 'corpus'), { recursive: true, force: true });
  await cp(corpus.dir, join(dir, 'corpus'), { recursive: true });
  await rm(corpus.dir, { recursive: true, force: true });
  // Only this run's generated tree and the corpus are scanned (a --tree may hold other sizes).
  const scanDir = join(dir, 'scan');
  await rm(scanDir, { recursive: true, force: true });
  await mkdir(scanDir);
  await symlinkOrCopy(generated, join(scanDir, 'ordinary'));
  await symlinkOrCopy(join(dir, 'corpus'), join(scanDir, 'corpus'));
  const cleanup = async (): Promise<void> => {
    await rm(scanDir, { recursive: true, force: true });
    if (given) await rm(join(dir, 'corpus'), { recursive: true, force: true });
    else await rm(dir, { recursive: true, force: true });
  };
  return { dir: scanDir, cleanup };
}

/** The scan folder refers to the trees by rename-free moves: both tools walk real folders. */
async function symlinkOrCopy(from: string, to: string): Promise<void> {
  await rename(from, to);
  moved.push([to, from]);
}
const moved: [string, string][] = [];
async function restoreMoved(): Promise<void> {
  for (const [to, from] of moved.splice(0)) await rename(to, from).catch(() => undefined);
}

/** Runs `yara -r -p 2` under /usr/bin/time (for its CPU time) when that exists. */
async function timeYaraCli(dir: string): Promise<{ secs: number; cpu: number | null; files: number }> {
  const rules = (await readdir(BUNDLED_YARA_DIR)).filter((f) => f.endsWith('.yar')).map((f) => join(BUNDLED_YARA_DIR, f));
  const args = ['-r', '-p', '2', '-w', ...rules, dir];
  const timed = await stat('/usr/bin/time').then(() => true, () => false);
  const t0 = performance.now();
  const { stdout, stderr } = timed
    ? await run('/usr/bin/time', ['-f', 'cpu %U %S', 'yara', ...args], { maxBuffer: 256 * 1024 * 1024 })
    : await run('yara', args, { maxBuffer: 256 * 1024 * 1024 });
  const secs = (performance.now() - t0) / 1000;
  const m = /cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  const cpu = m ? Number(m[1]) + Number(m[2]) : null;
  const files = new Set(stdout.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1))).size;
  return { secs, cpu, files };
}

async function timeExhunt(dir: string): Promise<{ secs: number; cpu: number; files: number; flagged: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const workers = Number(arg('--workers', '2'));
  const scanner = await createFileScanner({ rules: [], workers, onError: () => undefined });
  const root = await openEvidenceRoot(dir);
  let files = 0;
  let flagged = 0;
  const inFlight = new Set<Promise<void>>();
  const one = async (f: FileRecord): Promise<void> => {
    const findings = await scanner.scanFile(f, { webExposed: true, artifactDir: false });
    if (findings.some((x) => x.rule.source === 'yara')) flagged++;
  };
  for await (const f of walkFiles(root, root.abs, { onError: () => undefined })) {
    files++;
    const p = one(f).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await scanner.close();
  const cpu = process.cpuUsage(c0);
  return { secs: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, files, flagged };
}

const ROUNDS = Number(arg('--rounds', '2'));
const { dir, cleanup } = await prepare();
try {
  await timeYaraCli(dir); // warm the page cache
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const compiled = await compileYara([]);
  const cc = process.cpuUsage(c0);
  console.log(`rule compile (portable engine, this thread): ${(performance.now() - t0).toFixed(0)} ms wall, ${((cc.user + cc.system) / 1000).toFixed(0)} ms CPU, ${compiled.ruleCount} rules`);
  const ys: { secs: number; cpu: number | null; files: number }[] = [];
  const es: { secs: number; cpu: number; files: number; flagged: number }[] = [];
  // Interleaved rounds: the machine may be shared, so both tools see the same conditions.
  for (let i = 0; i < ROUNDS; i++) {
    ys.push(await timeYaraCli(dir));
    es.push(await timeExhunt(dir));
  }
  const best = (xs: { secs: number }[]): number => Math.min(...xs.map((x) => x.secs));
  const e = es[0];
  console.log(`files: ${e?.files ?? 0} (${COUNT} generated + corpus), concurrency ${CONCURRENCY}`);
  console.log(`yara -r -p 2 (s): ${ys.map((y) => y.secs.toFixed(2)).join(' / ')}; CPU (s): ${ys.map((y) => y.cpu?.toFixed(1) ?? '?').join(' / ')}; ${ys[0]?.files ?? 0} files matched`);
  console.log(`exhunt file scan (s): ${es.map((x) => x.secs.toFixed(2)).join(' / ')}; CPU (s): ${es.map((x) => x.cpu.toFixed(1)).join(' / ')}; ${e?.flagged ?? 0} files with YARA findings`);
  const ratios = es.map((x, k) => x.secs / (ys[k]?.secs ?? 1)).sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)] ?? 0;
  const cpuY = ys.map((y) => y.cpu ?? NaN).reduce((a, b) => a + b, 0);
  const cpuE = es.map((x) => x.cpu).reduce((a, b) => a + b, 0);
  console.log(`wall ratio per round (sorted): ${ratios.map((r) => r.toFixed(2)).join(' / ')}; median ${median.toFixed(2)}x; best/best ${(best(es) / best(ys)).toFixed(2)}x`);
  console.log(`CPU ratio (all rounds): ${(cpuE / cpuY).toFixed(2)}x`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  await restoreMoved();
  await cleanup();
}
