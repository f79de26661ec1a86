/** End to end: `exhunt timeline` on the compromised example and on a tree with hostile file names. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { ensureExamples, COMPROMISED } from '../support/examples.js';
import { readCsv } from '../fixtures/timeline/csv-read.js';
import { validateReport } from '../../src/findings/schema.js';
import type { Report } from '../../src/findings/types.js';

const AS_OF = ['--as-of', '2026-11-27', '--quiet'];
const dirs: string[] = [];

before(ensureExamples);
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The CSV of the compromised example, run once with TZ=UTC and shared by the first two tests. */
let utcCsv: Promise<{ code: number | null; stdout: string; stderr: string }> | null = null;
const csvInUtc = (): NonNullable<typeof utcCsv> => (utcCsv ??= runCli(['timeline', COMPROMISED, '--format', 'csv', ...AS_OF], { env: { TZ: 'UTC' } }));

test('csv: Timesketch columns, one ordered timeline of findings and file times, exit 1 as scan', async () => {
  const r = await csvInUtc();
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^message,datetime,timestamp_desc,timestamp,source,path,line,record_id,severity,rule_id,finding_id,host\r\n/);
  const rows = readCsv(r.stdout);
  const times = rows.map((x) => Number(x.timestamp));
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  const sources = new Set(rows.map((x) => x.source));
  for (const s of ['log', 'file', 'filesystem']) assert.ok(sources.has(s), s);
  assert.ok(rows.some((x) => x.source === 'filesystem' && x.path?.endsWith('Windows/Temp/lsass.dmp') && x.timestamp_desc === 'File Modified'));
  assert.ok(rows.every((x) => x.datetime?.startsWith('2021-03-')), 'collection-time file times fall outside the window');
  assert.ok(rows.every((x) => x.host === 'compromised-e2019'));
});

test('the output is the same whatever the local time zone', async () => {
  // Access times are left out of the comparison: each run's scan reads the example's files, which
  // moves their access times on this writable copy (relatime), so the next run sees newer ones.
  const stable = (csv: string): string => csv.split('\r\n').filter((l) => !l.includes(',File Accessed,')).join('\r\n');
  const outs = [stable((await csvInUtc()).stdout)];
  for (const TZ of ['America/New_York', 'Asia/Kolkata']) {
    const r = await runCli(['timeline', COMPROMISED, '--format', 'csv', ...AS_OF], { env: { TZ } });
    assert.equal(r.code, 1, r.stderr);
    outs.push(stable(r.stdout));
  }
  assert.ok((outs[0] ?? '').split('\r\n').length > 15, 'the compared timelines are not empty');
  assert.equal(outs[1], outs[0]);
  assert.equal(outs[2], outs[0]);
});

test('json: the report carries the timeline and stays valid; --all keeps what the window dropped', async () => {
  const r = await runCli(['timeline', COMPROMISED, '--format', 'json', ...AS_OF]);
  const doc = JSON.parse(r.stdout) as Report;
  assert.deepEqual(validateReport(doc), []);
  const n = (doc.timeline as unknown[]).length;
  const info = doc.timelineInfo as { basis: string; padMs: number; droppedFileEvents: number };
  assert.equal(info.basis, 'findings-medium');
  assert.equal(info.padMs, 2 * 86_400_000);
  const all = JSON.parse((await runCli(['timeline', COMPROMISED, '--all', '--format', 'json', ...AS_OF])).stdout) as Report;
  assert.equal((all.timeline as unknown[]).length, n + info.droppedFileEvents);
});

test('--from/--to without a zone are UTC whatever TZ says', async () => {
  const args = ['timeline', COMPROMISED, '--from', '2021-03-03T02:16:00', '--to', '2021-03-03T02:20', '--format', 'json', ...AS_OF];
  const r = await runCli(args, { env: { TZ: 'America/New_York' } });
  const info = (JSON.parse(r.stdout) as Report).timelineInfo as { from: string; to: string; basis: string };
  assert.deepEqual([info.from, info.to, info.basis], ['2021-03-03T02:16:00.000Z', '2021-03-03T02:20:00.000Z', 'option']);
});

test('hostile file names: csv neutral, html without markup, text without escapes', async () => {
  const root = await mkdtemp(join(tmpdir(), 'exhunt-e2e-timeline-'));
  dirs.push(root);
  const www = join(root, 'C', 'inetpub', 'wwwroot');
  await mkdir(join(root, 'C', 'Windows', 'System32'), { recursive: true });
  await mkdir(www, { recursive: true });
  const names = ['=HYPERLINK("x","y").txt', '<script>alert(1)<', 'red\x1b[31mname\x1b]0;pwn\x07.txt'];
  for (const n of names) {
    await writeFile(join(www, n), 'x');
    await utimes(join(www, n), new Date('2021-03-03T02:00:00Z'), new Date('2021-03-03T02:00:00Z'));
  }
  const win = ['--from', '2021-03-01', '--to', '2021-03-05', '--host', '@host', ...AS_OF];
  const csv = await runCli(['timeline', root, '--format', 'csv', ...win]);
  assert.equal(csv.code, 0, csv.stderr);
  const rows = readCsv(csv.stdout);
  assert.equal(rows.filter((x) => x.source === 'filesystem').length, names.length * 2, 'modified and accessed of each');
  for (const x of rows) for (const v of Object.values(x)) assert.doesNotMatch(v, /^[=+\-@]/);
  assert.ok(rows.every((x) => x.host === "'@host"));
  assert.doesNotMatch(csv.stdout, /\x1b/);
  const out = join(root, 'timeline.html');
  const html = await runCli(['timeline', root, '--format', 'html', '--output', out, ...win]);
  assert.equal(html.code, 0, html.stderr);
  const page = await readFile(out, 'utf8');
  assert.match(page, /Content-Security-Policy/);
  assert.doesNotMatch(page, /<script/i);
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;'));
  const text = await runCli(['timeline', root, ...win]);
  assert.doesNotMatch(text.stdout, /[\x1b\x07]/);
  assert.match(text.stdout, /redname\.txt/, 'escape sequences removed, the rest of the name kept');
});

test('bad options: one line on stderr, exit 2', async () => {
  for (const bad of [['--pad', 'two days'], ['--from', 'yesterday'], ['--from', '2021-03-05', '--to', '2021-03-01'], ['--max-files', '0']]) {
    const r = await runCli(['timeline', COMPROMISED, ...bad, ...AS_OF]);
    assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
