/**
 * File-scan performance (issue 5, item 5): the development corpus plus a generated tree of
 * ordinary files, scanned by exhunt's file scanner (walk + hashes + YARA-X + built-in checks)
 * and by the `yara` command line (`yara -r -p 2`, same bundled rules, externals empty).
 *   node --import tsx bench/files/scan-perf.ts [--files 100000] [--tree DIR] [--concurrency 16]
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFileScanner } from '../../src/engines/files/index.js';
import { openEvidenceRoot } from '../../src/evidence/root.js';
import { walkFiles } from '../../src/evidence/walk.js';
import type { FileRecord } from '../../src/parsers/types.js';
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
const CONCURRENCY = Number(arg('--concurrency', '16'));

async function prepare(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const given = arg('--tree', '');
  const dir = given || (await mkdtemp(join(tmpdir(), 'exhunt-perf-')));
  const generated = join(dir, 'ordinary');
  const has = await stat(generated).then(() => true, () => false);
  if (!has) await generateTree(generated, COUNT);
  const corpus = await unpackCorpus(['webshells-dev.zip', 'benign-aspnet-dev.zip']);
  await rm(join(dir, 'corpus'), { recursive: true, force: true });
  await cp(corpus.dir, join(dir, 'corpus'), { recursive: true });
  await rm(corpus.dir, { recursive: true, force: true });
  const cleanup = async (): Promise<void> => {
    if (given) await rm(join(dir, 'corpus'), { recursive: true, force: true });
    else await rm(dir, { recursive: true, force: true });
  };
  return { dir, cleanup };
}

async function timeYaraCli(dir: string): Promise<{ secs: number; files: number }> {
  const rules = (await readdir(BUNDLED_YARA_DIR)).filter((f) => f.endsWith('.yar')).map((f) => join(BUNDLED_YARA_DIR, f));
  const t0 = performance.now();
  const { stdout } = await run('yara', ['-r', '-p', '2', '-w', ...rules, dir], { maxBuffer: 256 * 1024 * 1024 });
  const secs = (performance.now() - t0) / 1000;
  const files = new Set(stdout.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1))).size;
  return { secs, files };
}

async function timeExhunt(dir: string): Promise<{ secs: number; files: number; flagged: number }> {
  const t0 = performance.now();
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
  return { secs: (performance.now() - t0) / 1000, files, flagged };
}

const { dir, cleanup } = await prepare();
try {
  await timeYaraCli(dir); // warm the page cache
  const y = await timeYaraCli(dir);
  const e = await timeExhunt(dir);
  const e2 = await timeExhunt(dir);
  const best = Math.min(e.secs, e2.secs);
  console.log(`files: ${e.files} (${COUNT} generated + corpus), concurrency ${CONCURRENCY}`);
  console.log(`yara -r -p 2: ${y.secs.toFixed(2)} s, ${y.files} files matched`);
  console.log(`exhunt file scan: ${e.secs.toFixed(2)} s / ${e2.secs.toFixed(2)} s, ${e.flagged} files with YARA findings`);
  console.log(`ratio (best exhunt / yara): ${(best / y.secs).toFixed(2)}x`);
} finally {
  await cleanup();
}
