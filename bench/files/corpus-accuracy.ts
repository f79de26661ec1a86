/**
 * Web shell detection accuracy on the development corpus (issue 5, item 4).
 *   node --import tsx bench/files/corpus-accuracy.ts [--list]
 * A file counts as detected (or as a false positive) with at least one finding of severity
 * medium or above, bundled content only. Prints detection rate, false-positive rate, misses, FPs.
 */
import { rm } from 'node:fs/promises';
import { createFileScanner } from '../../src/engines/files/index.js';
import { atLeast } from '../../src/findings/types.js';
import type { Finding } from '../../src/findings/types.js';
import { unpackCorpus } from './corpus.js';

const list = process.argv.includes('--list');
const { dir, files } = await unpackCorpus(['webshells-dev.zip', 'benign-aspnet-dev.zip']);
try {
  const scanner = await createFileScanner({ rules: [], onError: (e) => console.error('error', e.path, e.message) });
  if (!scanner.yaraAvailable) console.error('YARA unavailable:', scanner.yaraUnavailableReason);
  const t0 = performance.now();
  const tally = { malicious: { n: 0, hit: 0 }, benign: { n: 0, hit: 0 } };
  const misses: string[] = [];
  const fps: string[] = [];
  const results = await Promise.all(files.map((f) => scanner.scanFile(f.file, { webExposed: true, artifactDir: false })));
  for (const [i, f] of files.entries()) {
    const findings: Finding[] = results[i] ?? [];
    const serious = findings.filter((x) => atLeast(x.severity, 'medium'));
    tally[f.label].n++;
    if (serious.length > 0) tally[f.label].hit++;
    if (f.label === 'malicious' && serious.length === 0) misses.push(f.file.path);
    if (f.label === 'benign' && serious.length > 0) fps.push(`${f.file.path}  [${serious.map((x) => x.ruleId).join(', ')}]`);
  }
  const secs = (performance.now() - t0) / 1000;
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(2)}%`;
  console.log(`rules: ${scanner.ruleCount} (diagnostics: ${scanner.diagnostics.length})`);
  console.log(`detection: ${tally.malicious.hit}/${tally.malicious.n} = ${pct(tally.malicious.hit, tally.malicious.n)}`);
  console.log(`false positives: ${tally.benign.hit}/${tally.benign.n} = ${pct(tally.benign.hit, tally.benign.n)}`);
  console.log(`scan time: ${secs.toFixed(2)} s for ${files.length} files`);
  console.log(`misses: ${misses.length}${list ? '\n  ' + misses.join('\n  ') : ''}`);
  console.log(`false positives: ${fps.length}${list ? '\n  ' + fps.join('\n  ') : ''}`);
  await scanner.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
