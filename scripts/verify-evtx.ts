/**
 * Verifies exhunt's `.evtx` parser against python-evtx's reading of real samples.
 * Usage: npx tsx scripts/verify-evtx.ts [DIR]   (default ../shared/samples/evtx from the repo)
 * For every DIR/NAME.evtx with DIR/NAME.oracle.jsonl: same record count, record ids, event ids,
 * times, levels, channel, provider, computer, EventData by name, unnamed Data and UserData.
 * Records are read through the worker pool. Prints a PASS/FAIL table; exits 1 on any
 * mismatch (2 when DIR has no samples). -v lists the first mismatches and all issues.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvtx } from '../src/parsers/evtx/index.js';
import { compareWithOracle, readOracle } from '../src/parsers/evtx/oracle-compare.js';
import type { EventRecord, ParseIssue } from '../src/parsers/types.js';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dir = resolve(process.argv.slice(2).find((a) => !a.startsWith('-')) ?? join(repo, '../shared/samples/evtx'));
const verbose = process.argv.includes('-v');

async function main(): Promise<number> {
  if (!existsSync(dir)) {
    console.error(`verify-evtx: ${dir} does not exist`);
    return 2;
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.evtx') && existsSync(join(dir, f.replace(/\.evtx$/, '.oracle.jsonl')))).sort();
  if (files.length === 0) {
    console.error(`verify-evtx: no NAME.evtx + NAME.oracle.jsonl pairs in ${dir}`);
    return 2;
  }
  let failed = 0;
  const totals: Record<string, number> = {};
  const width = Math.max(...files.map((f) => f.length));
  console.log(`${'file'.padEnd(width)}  result  records  issues  note`);
  for (const f of files) {
    const issues: ParseIssue[] = [];
    const ours: EventRecord[] = [];
    // Through the worker pool even for small files (oracle.test.ts covers the 1-thread path).
    for await (const r of readEvtx(join(dir, f), basename(f), { onIssue: (i) => issues.push(i), poolAboveChunks: 0 })) ours.push(r);
    const res = compareWithOracle(readOracle(join(dir, f.replace(/\.evtx$/, '.oracle.jsonl'))), ours);
    for (const [k, v] of Object.entries(res.normalised)) totals[k] = (totals[k] ?? 0) + v;
    const ok = res.mismatches.length === 0;
    if (!ok) failed++;
    const note = ok ? '' : `${res.mismatches.length} mismatches; first: ${res.mismatches[0] ?? ''}`;
    console.log(`${f.padEnd(width)}  ${ok ? 'PASS' : 'FAIL'}    ${String(res.records).padStart(7)}  ${String(issues.length).padStart(6)}  ${note.slice(0, 400)}`);
    if (verbose) for (const m of res.mismatches.slice(0, 20)) console.log(`    ${m}`);
    if (verbose) for (const i of issues) console.log(`    issue: ${i.message}`);
  }
  console.log(`\n${files.length - failed}/${files.length} PASS; python-evtx rendering differences normalised: ${JSON.stringify(totals)}`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
