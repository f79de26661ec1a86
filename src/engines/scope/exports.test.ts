import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventRecord, LogRecord } from '../../parsers/types.js';
import { cmdletMailbox, ecpCommand, paramValue } from './cmdlet-params.js';
import { exportFromEvent, exportFromLog, exportTargetWinPath, mergeExports } from './exports.js';

test('parameters as PowerShell, event data and ECP logs write them', () => {
  const ps = '-Mailbox "ceo@corp.example" -FilePath "\\\\EX01\\c$\\ProgramData\\out\\ceo.pst"';
  assert.equal(paramValue(ps, 'Mailbox'), 'ceo@corp.example');
  assert.equal(paramValue(ps, 'FilePath'), '\\\\EX01\\c$\\ProgramData\\out\\ceo.pst');
  assert.equal(paramValue("-Mailbox:'alice' -FilePath \\\\h\\c$\\a.pst", 'FilePath'), '\\\\h\\c$\\a.pst');
  assert.equal(paramValue('-MailboxX "no"', 'Mailbox'), null);
  const ecp = ecpCommand("S:TIME=4;S:CMD=New-MailboxExportRequest.Mailbox=''bob''.FilePath=''\\\\127.0.0.1\\c$\\inetpub\\x.pst'';S:URL=/ecp/x");
  assert.deepEqual(ecp && { cmdlet: ecp.cmdlet, mailbox: paramValue(ecp.params, 'Mailbox'), file: paramValue(ecp.params, 'FilePath') },
    { cmdlet: 'New-MailboxExportRequest', mailbox: 'bob', file: '\\\\127.0.0.1\\c$\\inetpub\\x.pst' });
  assert.equal(ecpCommand('S:TIME=4;S:URL=/ecp/x'), null);
  assert.equal(cmdletMailbox('Search-Mailbox', '-Identity "hr" -SearchQuery "x"'), 'hr');
  assert.equal(cmdletMailbox('Get-Mailbox', '-Identity "hr"'), null);
});

test('-FilePath on an administrative share or a local path maps onto the drive; other shares do not', () => {
  assert.equal(exportTargetWinPath('\\\\EX01\\c$\\ProgramData\\out\\ceo.pst'), 'C:\\ProgramData\\out\\ceo.pst');
  assert.equal(exportTargetWinPath('\\\\localhost\\D$\\x.pst'), 'D:\\x.pst');
  assert.equal(exportTargetWinPath('C:\\Temp\\x.pst'), 'C:\\Temp\\x.pst');
  assert.equal(exportTargetWinPath('\\\\fs01\\pst$\\x.pst'), null);
  assert.equal(exportTargetWinPath('x.pst'), null);
});

function log(source: LogRecord['source'], fields: Record<string, string>): LogRecord {
  return { kind: 'log', source, time: '2021-03-03T04:10:00.000Z', fields, location: { path: 'C/l.LOG', line: 7 } };
}

test('export requests from Rps_Cmdlet and ECP records and from CmdletLogs events; other cmdlets are not exports', () => {
  const rps = exportFromLog(log('rps-cmdlet', { Cmdlet: 'New-MailboxExportRequest', Parameters: '-Mailbox "a" -FilePath "\\\\h\\c$\\a.pst"', AuthenticatedUser: 'CORP\\admin' }));
  assert.equal(rps?.mailbox, 'a');
  assert.equal(rps?.user, 'CORP\\admin');
  assert.equal(exportFromLog(log('rps-cmdlet', { Cmdlet: 'Get-MailboxExportRequest', Parameters: '' })), null);
  assert.equal(exportFromLog(log('ecp-server', { EventData: "S:CMD=New-MailboxExportRequest.Mailbox=''b''.FilePath=''C:\\x.pst''" }))?.filePath, 'C:\\x.pst');
  assert.equal(exportFromLog(log('iis', { 'cs-uri-stem': '/x' })), null);
  const ev: EventRecord = {
    kind: 'event', source: 'evtx', time: '2021-03-03T04:10:01.0000000Z', recordId: 3, eventId: 1, level: 4, channel: 'MSExchange Management',
    provider: 'MSExchange CmdletLogs', computer: 'EX01', data: {}, userData: null, location: { path: 'C/m.evtx', recordId: 3 },
    dataUnnamed: ['New-MailboxExportRequest', '-Mailbox "a" -FilePath "\\\\h\\c$\\a.pst"', 'corp/Users/admin', 'S-1-5-21'],
  };
  assert.equal(exportFromEvent(ev)?.user, 'corp/Users/admin');
  assert.equal(exportFromEvent({ ...ev, provider: 'Other' }), null);
  assert.equal(exportFromEvent({ ...ev, dataUnnamed: ['Get-Mailbox', ''] }), null);
  const fromEvent = exportFromEvent(ev);
  assert.ok(rps && fromEvent);
  const merged = mergeExports([rps, fromEvent]);
  assert.equal(merged.length, 1, 'the same export in the cmdlet log and the event is one request');
  assert.equal(merged[0]?.alsoAt.length, 1);
  assert.equal(merged[0]?.time, '2021-03-03T04:10:00.000Z');
});
