/**
 * Web-shell detection per corpus source (issue 20 item 1).
 *   node --import tsx bench/webshells/per-source.ts [--list] [--json FILE] [--archives a.zip,b.zip]
 * Unzips the corpus archives (default: all four development zips) into a temporary folder,
 * scans every file with the bundled content only (`createFileScanner`, no user rules, no hashes)
 * as a file in a web folder, and counts a shell as detected (a benign file as a false positive)
 * with at least one finding of severity medium or above. Prints one row per `source_repo` of
 * MANIFEST.tsv. `--json FILE` writes every file's label, source and findings (rule, severity)
 * to FILE for analysis outside the repository; `--list` prints misses and false positives.
 * The files are attacker tools: they are only read as bytes.
 */
import { rm, writeFile } from 'node:fs/promises';
import { createFileScanner } from '../../src/engines/files/index.js';
import { atLeast } from '../../src/findings/types.js';
import type { Finding } from '../../src/findings/types.js';
import { unpackCorpus } from '../files/corpus.js';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const list = argv.includes('--list');
const jsonOut = opt('--json');
const archives = (opt('--archives') ?? 'webshells-dev.zip,benign-aspnet-dev.zip,webshells-dev2.zip,benign-aspnet-dev2.zip').split(',');

interface Row { label: 'malicious' | 'benign'; archive: string; source: string; n: number; hit: number; listed: string[] }

const { dir, files } = await unpackCorpus(archives);
try {
  const scanner = await createFileScanner({ rules: [], onError: (e) => console.error('error', e.path, e.message) });
  if (!scanner.yaraAvailable) console.error('YARA unavailable:', scanner.yaraUnavailableReason);
  const t0 = performance.now();
  const results = await Promise.all(files.map((f) => scanner.scanFile(f.file, { webExposed: true, artifactDir: false })));
  const secs = (performance.now() - t0) / 1000;
  const rows = new Map<string, Row>();
  const dump: unknown[] = [];
  for (const [i, f] of files.entries()) {
    const findings: Finding[] = results[i] ?? [];
    const serious = findings.filter((x) => atLeast(x.severity, 'medium'));
    const key = `${f.label}\t${f.source}`;
    const row = rows.get(key) ?? { label: f.label, archive: f.archive, source: f.source, n: 0, hit: 0, listed: [] };
    rows.set(key, row);
    row.n++;
    if (serious.length > 0) row.hit++;
    const rules = findings.flatMap((x) => {
      const matches = Array.isArray(x.details.matches) ? (x.details.matches as { rule: string; severity: string }[]) : [];
      return matches.length > 0 ? matches.map((m) => `${m.rule}:${m.severity}`) : [`${x.ruleId}:${x.severity}`];
    });
    if ((f.label === 'malicious') === (serious.length === 0)) row.listed.push(`${f.file.path}  [${rules.join(', ')}]`);
    dump.push({ path: f.file.path, label: f.label, source: f.source, detected: serious.length > 0, rules });
  }
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(2)} %`;
  console.log(`rules: ${scanner.ruleCount} (diagnostics: ${scanner.diagnostics.length}); scan ${secs.toFixed(1)} s for ${files.length} files`);
  for (const label of ['malicious', 'benign'] as const) {
    const group = [...rows.values()].filter((r) => r.label === label).sort((a, b) => a.archive.localeCompare(b.archive) || b.n - a.n);
    console.log(`\n| ${label === 'malicious' ? 'shells: source' : 'benign: source'} | archive | files | ${label === 'malicious' ? 'detected' : 'flagged'} (medium+) | rate |`);
    console.log('| --- | --- | ---: | ---: | ---: |');
    for (const r of group) console.log(`| ${r.source} | ${r.archive} | ${r.n} | ${r.hit} | ${pct(r.hit, r.n)} |`);
    for (const archive of [...new Set(group.map((r) => r.archive))]) {
      const n = group.filter((r) => r.archive === archive).reduce((s, r) => s + r.n, 0);
      const hit = group.filter((r) => r.archive === archive).reduce((s, r) => s + r.hit, 0);
      console.log(`| **all** | ${archive} | ${n} | ${hit} | **${pct(hit, n)}** |`);
    }
    const n = group.reduce((s, r) => s + r.n, 0);
    const hit = group.reduce((s, r) => s + r.hit, 0);
    console.log(`| **all** | (all) | ${n} | ${hit} | **${pct(hit, n)}** |`);
  }
  if (list) {
    for (const r of rows.values()) {
      if (r.listed.length === 0) continue;
      console.log(`\n${r.label === 'malicious' ? 'misses' : 'false positives'} — ${r.source}:`);
      for (const l of r.listed) console.log(`  ${l}`);
    }
  }
  if (jsonOut) await writeFile(jsonOut, JSON.stringify(dump, null, 1));
  await scanner.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
