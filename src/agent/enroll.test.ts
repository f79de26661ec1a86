/** Enrolment against the fake fleet server: the credential file, its permissions, refusals. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialPath, readCredential } from './credential.js';
import { enrolHostname, enrollAgent } from './enroll.js';
import { startFakeFleet, type FakeFleet } from './testing/fake-fleet.js';

const CLIENT = { timeoutMs: 3000, proxy: null, userAgent: 'exhunt-test' };
let fleet: FakeFleet;
const home = mkdtempSync(join(tmpdir(), 'exhunt-enrol-'));
before(async () => { fleet = await startFakeFleet(); });
after(async () => { await fleet.close(); rmSync(home, { recursive: true, force: true }); });

test('enrol writes agent.json 0600 in a 0700 folder, whole, with what the server issued', async () => {
  const r = await enrollAgent({ server: fleet.url, token: 'exe_good', hostname: 'EX01', home: join(home, 'h'), insecure: false, now: new Date('2026-11-27T10:00:00Z') }, CLIENT);
  const file = credentialPath(join(home, 'h'));
  assert.equal(r.file, file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, 'h', 'agent')).mode & 0o777, 0o700);
  assert.equal(statSync(join(home, 'h')).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(join(home, 'h', 'agent')), ['agent.json']); // no temp file left behind
  const cred = await readCredential(join(home, 'h'));
  assert.equal(cred?.server, `${fleet.url}/`);
  assert.equal(cred?.hostname, 'EX01');
  assert.equal(cred?.agentId, 'a1');
  assert.equal(fleet.agents.get(cred?.credential ?? ''), 'EX01');
  assert.equal(cred?.enrolledAt, '2026-11-27T10:00:00.000Z');
  // enrolling again replaces the file atomically, still 0600
  await enrollAgent({ server: fleet.url, token: 'exe_good', hostname: 'EX01', home: join(home, 'h'), insecure: true }, CLIENT);
  assert.equal((await readCredential(join(home, 'h')))?.insecure, true);
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('a bad token, a wrong kind of token, an odd host name or server URL are refused; nothing written', async () => {
  const h = join(home, 'refused');
  await assert.rejects(enrollAgent({ server: fleet.url, token: 'exe_wrong', hostname: 'EX01', home: h, insecure: false }, CLIENT), /refused the enrolment token/);
  await assert.rejects(enrollAgent({ server: fleet.url, token: 'exu_api', hostname: 'EX01', home: h, insecure: false }, CLIENT), /expected an enrolment token \(exe_/);
  await assert.rejects(enrollAgent({ server: 'ftp://x', token: 'exe_good', hostname: 'EX01', home: h, insecure: false }, CLIENT), /expected an https:\/\//);
  assert.equal(await readCredential(h), null);
  assert.throws(() => enrolHostname('ex01\u001b[31m'), /expected a host name/);
  assert.throws(() => enrolHostname('../etc'), /expected a host name/);
  assert.equal(enrolHostname(' EX01.corp.example '), 'EX01.corp.example');
});
