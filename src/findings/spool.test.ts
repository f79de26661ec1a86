// The finding spool gives back exactly the findings it took, in report order, through every
// way the writers and summaries read an array.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sampleFindings, sampleReport } from '../../test/fixtures/report/sample-report.js';
import { hostileFindings } from '../../test/fixtures/report/hostile-report.js';
import { collect } from '../../test/fixtures/report/sink.js';
import { writeReport } from '../report/index.js';
import { sortFindings } from './order.js';
import { FindingSpool, spooledLines } from './spool.js';
import type { Finding } from './types.js';

const parent = mkdtempSync(join(tmpdir(), 'exhunt-spool-test-'));
after(() => rmSync(parent, { recursive: true, force: true }));

/** Sample and hostile findings, each several times with other ids and lines (ties broken by id). */
function findings(): Finding[] {
  const base = [...sampleFindings(), ...hostileFindings()];
  const out: Finding[] = [];
  for (let k = 0; k < 4; k++) {
    for (const f of base) out.push({ ...f, id: `${f.id}-${k}`, evidence: { ...f.evidence, line: (f.evidence.line ?? 0) + (k % 2) } });
  }
  return out;
}

void test('sorted() is sortFindings of what was added, read back equal', () => {
  const all = findings();
  const spool = new FindingSpool(parent);
  for (const f of all) spool.add(f);
  assert.equal(spool.size, all.length);
  const got = spool.sorted();
  const want = sortFindings(all);
  assert.equal(got.length, want.length);
  const isArray: (x: unknown) => boolean = Array.isArray;
  assert.ok(isArray(got), 'an array to Array.isArray');
  assert.deepEqual([...got], want, 'iteration');
  assert.deepEqual(got[3], want[3], 'index access');
  assert.equal(got[want.length], undefined, 'past the end');
  assert.deepEqual([...got.entries()].map(([i, f]) => [i, f.id]), want.map((f, i) => [i, f.id]), 'entries()');
  assert.equal(got.some((f) => f.severity === 'critical'), want.some((f) => f.severity === 'critical'));
  assert.deepEqual(got.filter((f) => f.severity === 'low').map((f) => f.id), want.filter((f) => f.severity === 'low').map((f) => f.id));
  assert.equal(JSON.stringify(got), JSON.stringify(want), 'JSON.stringify sees an array');
  assert.deepEqual(Object.keys(got), Object.keys(want));
  assert.deepEqual([...(spooledLines(got) ?? [])], want.map((f) => JSON.stringify(f)), 'the stored lines, in order');
  assert.equal(spooledLines(want), null, 'a plain array has no stored lines');
  spool.close();
});

void test('the writers give the same bytes for spooled findings as for an array', async () => {
  const all = findings();
  const spool = new FindingSpool(parent);
  for (const f of all) spool.add(f);
  for (const format of ['jsonl', 'json', 'csv', 'text'] as const) {
    const plain = collect();
    await writeReport(sampleReport(sortFindings(all)), format, plain.stream);
    const spooled = collect();
    await writeReport({ ...sampleReport(), findings: spool.sorted() }, format, spooled.stream);
    assert.equal(spooled.text(), plain.text(), format);
    assert.ok(plain.text().length > 0);
  }
  spool.close();
});

void test('spooled findings are read-only; the file is private and gone after close', () => {
  const spool = new FindingSpool(parent);
  spool.add(sampleFindings()[0] as Finding);
  const got = spool.sorted() as Finding[];
  assert.throws(() => {
    got[0] = sampleFindings()[1] as Finding;
  }, TypeError);
  assert.throws(() => got.push(sampleFindings()[1] as Finding), TypeError);
  const dirs = readdirSync(parent).filter((d) => d.startsWith('exhunt-spool-'));
  const file = join(parent, dirs.at(-1) as string, 'findings.jsonl');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  spool.close();
  assert.equal(existsSync(file), false);
  assert.throws(() => got[0], /closed/);
});

void test('a run ended by a signal removes its spool folder and ends by that signal', async () => {
  const { spawn } = await import('node:child_process');
  const here = new URL('./spool.ts', import.meta.url).href;
  // A child spools a finding, says where, then waits to be killed.
  const script = `
    const { FindingSpool } = await import(${JSON.stringify(here)});
    const s = new FindingSpool(${JSON.stringify(parent)});
    s.add(${JSON.stringify(sampleFindings()[0])});
    console.log('ready');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && resolve()));
  const before = readdirSync(parent).filter((d) => d.startsWith('exhunt-spool-'));
  assert.ok(before.length > 0, 'the child made its spool folder');
  child.kill('SIGTERM');
  const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('exit', (c, s) => r([c, s])));
  assert.equal(signal, 'SIGTERM');
  assert.deepEqual(readdirSync(parent).filter((d) => d.startsWith('exhunt-spool-')), [], 'nothing left behind');
});
