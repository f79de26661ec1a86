import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { openEvidenceRoot } from '../../evidence/root.js';
import { discoverSources } from '../../evidence/discover.js';
import type { ParseIssue } from '../../parsers/types.js';
import { collectFileStats, fileTimes, timelineDirs, type EventOptions, type FileTimes, type WalkLimits } from './file-times.js';
import { makeTree, V15 } from '../../../test/fixtures/timeline/tree.js';

const made: string[] = [];
after(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

async function setup(): Promise<{ root: Awaited<ReturnType<typeof openEvidenceRoot>>; dirs: ReturnType<typeof timelineDirs> }> {
  const abs = await makeTree();
  made.push(abs);
  const root = await openEvidenceRoot(abs);
  const sources = await discoverSources(root, { onError: () => {} });
  return { root, dirs: timelineDirs(sources) };
}

type Options = WalkLimits & EventOptions;

function opts(over: Partial<Options> = {}): Options {
  const from = Date.UTC(2021, 2, 1);
  const to = Date.UTC(2021, 2, 5);
  return { maxFiles: 1000, maxMs: 60_000, host: 'EX01', keep: (ms: number) => ms >= from && ms <= to, onError: (_e: ParseIssue) => {}, ...over };
}

async function collectFileTimes(root: Parameters<typeof collectFileStats>[0], dirs: ReturnType<typeof timelineDirs>, o: Options): Promise<FileTimes> {
  return fileTimes(await collectFileStats(root, dirs, o), o);
}

test('file times of web and artifact folders, inside the window only', async () => {
  const { root, dirs } = await setup();
  const r = await collectFileTimes(root, dirs, opts());
  assert.equal(r.files, 4, 'C/Users/admin is neither a web nor an artifact folder');
  assert.equal(r.truncated, null);
  const got = r.events.map((e) => `${e.datetime} ${e.timestamp_desc} ${e.path}`).sort();
  assert.deepEqual(got, [
    `2021-03-03T02:16:41.000Z File Modified ${V15}/FrontEnd/HttpProxy/owa/auth/x.aspx`,
    `2021-03-03T02:40:00.000Z File Accessed ${V15}/FrontEnd/HttpProxy/owa/auth/x.aspx`,
    '2021-03-03T02:50:00.000Z File Accessed C/inetpub/wwwroot/iisstart.htm',
    '2021-03-03T02:59:00.250Z File Modified C/ProgramData/out.dmp',
    '2021-03-03T03:00:00.000Z File Accessed C/ProgramData/out.dmp',
  ]);
  // Outside: logon.aspx and iisstart.htm's mtime, and every ctime / birth time (set when the test wrote the files).
  assert.ok(r.dropped >= 3 + 4, `dropped ${r.dropped}`);
  for (const e of r.events) {
    assert.equal(e.source, 'filesystem');
    assert.equal(e.host, 'EX01');
    assert.equal(e.severity, null);
    assert.equal(e.timestamp, Date.parse(e.datetime) * 1000);
  }
  const web = r.events.find((e) => e.path.endsWith('x.aspx'));
  assert.match(web?.message ?? '', /web folder/);
  assert.match(r.events.find((e) => e.path.endsWith('out.dmp'))?.message ?? '', /artifact folder/);
});

test('no window: every time is kept, creation included where the platform gives it', async () => {
  const { root, dirs } = await setup();
  const r = await collectFileTimes(root, dirs, opts({ keep: () => true }));
  assert.equal(r.dropped, 0);
  const created = r.events.filter((e) => e.timestamp_desc === 'File Created').length;
  assert.equal(created + r.createdUnknown, r.files, 'each file has a creation time or is counted as created unknown');
  assert.equal(r.events.filter((e) => e.timestamp_desc === 'Metadata Changed').length, r.files);
});

test('the walk stops at the file limit and at the time budget, and says so', async () => {
  const { root, dirs } = await setup();
  const few = await collectFileTimes(root, dirs, opts({ maxFiles: 2 }));
  assert.equal(few.files, 2);
  assert.match(few.truncated ?? '', /stopped after 2 files \(limit 2\)/);
  let clock = 0;
  const slow = await collectFileTimes(root, dirs, opts({ maxMs: 1500, now: () => (clock += 1000) }));
  assert.ok(slow.files < 4);
  assert.match(slow.truncated ?? '', /stopped after .* s \(limit 1\.5 s\)/);
  const exact = await collectFileTimes(root, dirs, opts({ maxFiles: 4 }));
  assert.equal(exact.truncated, null, 'a limit equal to the number of files is not a truncation');
});
