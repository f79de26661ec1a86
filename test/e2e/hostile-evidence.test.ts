/**
 * End to end with evidence built to evade (nothing committed; everything made here, bounded in
 * time): a shell whose file name is not valid UTF-8, a shell padded past the 20 MB scan limit, and a
 * zip of IIS logs whose first member climbs out with `../`. Each is examined or reported; none
 * is silently passed over.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { makeZip } from '../fixtures/logs/make-zip.js';
import { POSITIVES, assemble } from '../fixtures/files/samples.js';
import type { Report } from '../../src/findings/types.js';

let dir = '';
let root = '';
const chopper = assemble(POSITIVES.exh_chopper_jscript_eval_request ?? '');
const IIS_LOG = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
  '2021-03-04 01:00:00 10.10.0.5 POST /owa/auth/x.js - 443 - 203.0.113.17 ExchangeServicesClient/0.0.0.0 - 200 0 0 9',
  '',
].join('\r\n');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhunt-hostile-evidence-'));
  root = join(dir, 'evidence');
  const web = join(root, 'C', 'inetpub', 'wwwroot', 'aspnet_client');
  mkdirSync(web, { recursive: true });
  writeFileSync(Buffer.concat([Buffer.from(join(web, 'sh')), Buffer.from([0xe9]), Buffer.from('ll.aspx')]), chopper);
  writeFileSync(join(web, 'padded.aspx'), `${' '.repeat(21 * 1024 * 1024)}${chopper}`);
  const logs = join(root, 'C', 'inetpub', 'logs', 'LogFiles', 'W3SVC1');
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, 'u_ex2103.zip'), makeZip([
    { name: '../u_ex210303.log', data: Buffer.from(IIS_LOG) },
    { name: 'u_ex210304.log', data: Buffer.from(IIS_LOG) },
  ]));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a shell with a non-UTF-8 name, a padded shell and a zip with a bad first member are all examined or reported', { timeout: 300_000 }, async () => {
  const r = await runCli(['scan', root, '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as Report;
  const on = (p: string): string[] => doc.findings.filter((f) => f.evidence.path === p).map((f) => `${f.ruleId} ${f.severity}`);
  assert.ok(on('C/inetpub/wwwroot/aspnet_client/sh\\xE9ll.aspx').includes('exhunt:exh_chopper_jscript_eval_request critical'), JSON.stringify(doc.findings.map((f) => f.evidence.path)));
  const padded = on('C/inetpub/wwwroot/aspnet_client/padded.aspx');
  assert.ok(padded.includes('exhunt:exh_chopper_jscript_eval_request critical'), padded.join(', '));
  assert.ok(padded.includes('exhunt:file-over-scan-limit medium'), padded.join(', '));
  const zip = 'C/inetpub/logs/LogFiles/W3SVC1/u_ex2103.zip';
  assert.ok(doc.errors.some((e) => e.path === `${zip}!../u_ex210303.log` && /skipped/.test(e.message)), JSON.stringify(doc.errors));
  assert.ok(doc.findings.some((f) => f.evidence.path === `${zip}!u_ex210304.log`), 'the member after the bad one is read');
  assert.ok(!r.stdout.includes('\u00e9ll'), 'the invalid byte is not passed through as text');
});
