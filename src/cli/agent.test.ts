/** `exhunt agent enroll|run|status` against the fake fleet server, with EXHUNT_HOME in a temp folder. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { sampleReport } from '../../test/fixtures/agent/reports.js';
import type { Report } from '../findings/types.js';
import { PACKAGE_ROOT } from '../version.js';
import { startFakeFleet, type FakeFleet } from '../agent/testing/fake-fleet.js';
import { registerAgent, runAgent, runEnroll, runStatus, type AgentIo } from './agent.js';

let fleet: FakeFleet;
const home = mkdtempSync(join(tmpdir(), 'exhunt-agent-cli-'));
before(async () => { fleet = await startFakeFleet(); });
after(async () => { await fleet.close(); rmSync(home, { recursive: true, force: true }); });

function io(env: NodeJS.ProcessEnv = { EXHUNT_HOME: home }): AgentIo & { text: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return { out: (s) => { out += s; }, err: (s) => { err += s; }, env, text: () => ({ out, err }) };
}

test('enroll, then run --once (spool + send), then status; a failed upload stays spooled and says so', async () => {
  const e = io();
  assert.equal(await runEnroll({ server: fleet.url, token: 'exe_good', hostname: 'EX01', timeout: '5' }, e), 0);
  assert.match(e.text().err, /enrolled EX01 with http:\/\/127\.0\.0\.1:\d+ as agent a1/);
  assert.equal(statSync(join(home, 'agent', 'agent.json')).mode & 0o777, 0o600);

  const r = io();
  const code = await runAgent('/unused', { once: true, interval: '6h', maxScanSize: '20', failOn: 'medium' }, r, () => Promise.resolve(sampleReport(1, { findings: 1 })));
  assert.equal(code, 1);
  assert.equal(fleet.stored.length, 1);
  assert.match(r.text().err, /exhunt agent: scan done: 1 finding\(s\); spooled 2\d{3}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{16}\.json/);
  assert.match(r.text().err, /exhunt agent: sent .*: stored as report r1/);

  fleet.script('drop');
  const d = io();
  assert.equal(await runAgent('/unused', { once: true, quiet: true, maxScanSize: '20', failOn: 'medium' }, d, () => Promise.resolve(sampleReport(2))), 0);
  assert.match(d.text().err, /upload failed; 1 report\(s\) stay spooled in .*spool and are sent on the next run/);
  assert.doesNotMatch(d.text().err, /scan done/); // --quiet: failures only

  const s = io();
  await runStatus(s);
  assert.match(s.text().out, /^enrolment: EX01 as agent a1 with http:\/\/127\.0\.0\.1:\d+\/ since \d{4}-/m);
  assert.match(s.text().out, /^spool: 1 report\(s\) waiting \(\d+ bytes\), oldest spooled 2\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/m);
});

test('run without enrolment, a bad interval: usage errors; status says not enrolled', async () => {
  const other = mkdtempSync(join(tmpdir(), 'exhunt-agent-none-'));
  const x = io({ EXHUNT_HOME: other });
  await assert.rejects(runAgent('/x', { once: true, maxScanSize: '20' }, x), /not enrolled .*exhunt agent enroll --server URL --token T first/);
  await assert.rejects(runAgent('/x', { interval: '5', maxScanSize: '20' }, x), /--interval: expected a duration/);
  await runStatus(x);
  assert.match(x.text().out, /enrolment: not enrolled/);
  assert.match(x.text().out, /spool: 0 report\(s\) waiting/);
  rmSync(other, { recursive: true, force: true });
});

test('agent run --once through the command line scans the example tree and uploads its report', async () => {
  const program = new Command('exhunt').exitOverride();
  assert.deepEqual(registerAgent(program), ['agent']);
  const saved = { home: process.env.EXHUNT_HOME, write: process.stderr.write.bind(process.stderr) };
  process.env.EXHUNT_HOME = home;
  let err = '';
  process.stderr.write = (c: string | Uint8Array): boolean => { err += String(c); return true; };
  process.exitCode = 0;
  const before = fleet.stored.length;
  try {
    await program.parseAsync(['node', 'exhunt', 'agent', 'run', join(PACKAGE_ROOT, 'examples', 'clean-se'), '--once', '--timeout', '10']);
  } finally {
    process.stderr.write = saved.write;
    if (saved.home === undefined) delete process.env.EXHUNT_HOME;
    else process.env.EXHUNT_HOME = saved.home;
  }
  const code = process.exitCode;
  process.exitCode = 0;
  assert.equal(code, 0, err);
  assert.equal(fleet.stored.length, before + 2, err); // the one left spooled by the first test, then this scan
  const last = JSON.parse(fleet.stored.at(-1)?.body.toString('utf8') ?? '{}') as Report;
  assert.equal(last.target.hostname, 'EX01');
  assert.ok(last.posture?.build);
});
