/**
 * Live mode with an injected host: an event log held open is read from a `wevtutil epl` export,
 * the Exchange install path comes from a `reg export` of the Setup key, and the temporary
 * folder is gone afterwards. The command lines are the ones a Windows server would run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLiveHost, eventLogChannel } from '../../evidence/live.js';
import type { CommandResult } from '../../platform/command.js';
import { buildEvtx } from '../../parsers/evtx/test-writer.js';
import { PACKAGE_ROOT } from '../../version.js';
import { runScan } from './run-scan.js';

const quiet = { update: () => undefined, tick: () => undefined };
const cleared = buildEvtx([{
  recordId: 7,
  time: '2021-03-04T05:06:07.0000000Z',
  eventId: 1102,
  level: 4,
  channel: 'Security',
  provider: 'Microsoft-Windows-Eventlog',
  computer: 'EX01.corp.local',
  userData: {
    root: 'LogFileCleared',
    xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog',
    fields: [['SubjectUserSid', 'S-1-5-21-1-2-3-500'], ['SubjectUserName', 'admin'], ['SubjectDomainName', 'CORP'], ['SubjectLogonId', '0x1']],
  },
}]);

/** The example server laid out as a drive, the Exchange folder moved where only the registry says. */
function layout(): { drive: string; tmp: string } {
  const base = mkdtempSync(path.join(tmpdir(), 'exhunt-live-test-'));
  const drive = path.join(base, 'drive');
  cpSync(path.join(PACKAGE_ROOT, 'examples', 'compromised-e2019', 'C'), drive, { recursive: true });
  cpSync(path.join(drive, 'Program Files', 'Microsoft', 'Exchange Server'), path.join(drive, 'Exch'), { recursive: true });
  rmSync(path.join(drive, 'Program Files', 'Microsoft', 'Exchange Server'), { recursive: true });
  const logs = path.join(drive, 'Windows', 'System32', 'winevt', 'Logs');
  mkdirSync(logs, { recursive: true });
  writeFileSync(path.join(logs, 'Security.evtx'), Buffer.alloc(0)); // what is on disk is never read
  const tmp = path.join(base, 'tmp');
  mkdirSync(tmp);
  return { drive, tmp };
}

function fakeRunner(calls: string[][], opts: { wevtutil: 'ok' | 'fail' }) {
  return (file: string, args: readonly string[]): Promise<CommandResult> => {
    calls.push([file, ...args]);
    if (file === 'wevtutil') {
      if (opts.wevtutil === 'fail') return Promise.resolve({ code: 5, stdout: '', stderr: 'Failed to export log Security. Access is denied.' });
      writeFileSync(args[2] ?? '', cleared);
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    }
    if (file === 'reg' && /v15/.test(args[1] ?? '')) {
      const text = 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup]\r\n"MsiInstallPath"="C:\\\\Exch\\\\V15\\\\"\r\n';
      writeFileSync(args[2] ?? '', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      return Promise.resolve({ code: 0, stdout: 'The operation completed successfully.', stderr: '' });
    }
    return Promise.resolve({ code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' });
  };
}

test('live: the held-open Security log is exported and hunted; the install path comes from the live registry; the temp folder is removed', async () => {
  const { drive, tmp } = layout();
  const calls: string[][] = [];
  const host = createLiveHost(fakeRunner(calls, { wevtutil: 'ok' }), tmp);
  const inUse = (abs: string): Promise<boolean> => Promise.resolve(!/Security\.evtx$/.test(abs));
  const report = await runScan(drive, { asOf: '2026-12-01', raw: false, rules: [], ioc: [], since: undefined, until: undefined, liveHost: { ...host, canRead: inUse } }, quiet);
  assert.equal(report.target.kind, 'live');
  const reg = calls.filter((c) => c[0] === 'reg');
  assert.deepEqual(reg.map((c) => [c[1], c[2], c[4]]), [
    ['export', 'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup', '/y'],
    ['export', 'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup', '/y'],
  ]);
  const epl = calls.filter((c) => c[0] === 'wevtutil');
  assert.equal(epl.length, 1);
  assert.deepEqual([epl[0]?.[1], epl[0]?.[2], epl[0]?.[4]], ['epl', 'Security', '/ow:true']);
  assert.ok((epl[0]?.[3] ?? '').startsWith(path.join(tmp, 'exhunt-live-')), 'exported into the private temporary folder');
  const install = report.discovery?.find((d) => d.kind === 'exchange-install');
  assert.ok(install && JSON.stringify(install).includes('Exch/V15'), JSON.stringify(install));
  const clearedFinding = report.findings.find((f) => f.evidence.kind === 'event' && f.evidence.path.endsWith('winevt/Logs/Security.evtx') && f.ruleId.includes('clear'));
  assert.ok(clearedFinding, `no log-cleared finding: ${report.findings.map((f) => f.ruleId).join(', ')}`);
  assert.deepEqual(report.errors.filter((e) => /registry|event log/.test(e.message)), []);
  assert.deepEqual(readdirSync(tmp), [], 'the temporary folder is gone');
  rmSync(path.dirname(drive), { recursive: true, force: true });
});

test('live: an event log that can be neither opened nor exported is an error entry that names it', async () => {
  const { drive, tmp } = layout();
  const calls: string[][] = [];
  const host = createLiveHost(fakeRunner(calls, { wevtutil: 'fail' }), tmp);
  const report = await runScan(drive, {
    asOf: '2026-12-01', raw: false, rules: [], ioc: [], since: undefined, until: undefined,
    liveHost: { ...host, canRead: (abs) => Promise.resolve(!/Security\.evtx$/.test(abs)) },
  }, quiet);
  const err = report.errors.find((e) => e.path.endsWith('winevt/Logs/Security.evtx'));
  assert.ok(err, JSON.stringify(report.errors));
  assert.match(err.message, /in use and its export failed: wevtutil epl Security .* exit 5: Failed to export log Security\. Access is denied\./);
  assert.equal(err.code, 'EXH-E002');
  assert.match(err.notChecked ?? '', /event log .*Security\.evtx/);
  assert.ok(!existsSync(path.join(tmp, readdirSync(tmp)[0] ?? 'none')), 'the temporary folder is gone');
  rmSync(path.dirname(drive), { recursive: true, force: true });
});

test('live: canRead tells a held-open file from a missing one; channel names from file names', async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'exhunt-live-test-'));
  const host = createLiveHost(() => Promise.resolve({ code: 0, stdout: '', stderr: '' }), tmp);
  writeFileSync(path.join(tmp, 'a.evtx'), 'x');
  assert.equal(await host.canRead(path.join(tmp, 'a.evtx')), true);
  await assert.rejects(host.canRead(path.join(tmp, 'missing.evtx')), /ENOENT/);
  assert.equal(eventLogChannel('Microsoft-Windows-PowerShell%4Operational.evtx'), 'Microsoft-Windows-PowerShell/Operational');
  assert.equal(eventLogChannel('MSExchange Management.evtx'), 'MSExchange Management');
  rmSync(tmp, { recursive: true, force: true });
});
