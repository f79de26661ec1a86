/** Task XML parsing (encodings, entities, several actions) and the verdict on single actions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTaskKnownGood } from './known-good.js';
import type { PathContext } from './locations.js';
import { parseTaskXml, suspiciousAction } from './scheduled-tasks.js';
import { decodeText } from './xml-text.js';

const ctx: PathContext = { drive: 'C', exchange: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\', webDirs: [] };
const XML = [
  '<?xml version="1.0" encoding="UTF-16"?>',
  '<Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
  '  <RegistrationInfo><URI>\\Odd &amp; Task</URI></RegistrationInfo>',
  '  <Actions Context="Author">',
  '    <!-- <Exec><Command>C:\\Temp\\old.exe</Command></Exec> -->',
  '    <Exec>',
  '      <Command>"%windir%\\system32\\cmd.exe"</Command>',
  '      <Arguments>/c echo a &gt; b</Arguments>',
  '    </Exec>',
  '    <Exec>',
  '      <Command>C:\\ProgramData\\x.exe</Command>',
  '    </Exec>',
  '  </Actions>',
  '</Task>',
].join('\n');

void test('decodeText reads UTF-16 LE/BE with BOM, BOM-less UTF-16 LE and UTF-8', () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(XML, 'utf16le')]);
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(XML, 'utf16le').swap16()]);
  assert.equal(decodeText(le), XML);
  assert.equal(decodeText(be), XML);
  assert.equal(decodeText(Buffer.from(XML, 'utf16le')), XML);
  assert.equal(decodeText(Buffer.from(`\uFEFF${XML}`, 'utf8')), XML);
});

void test('parseTaskXml: actions with their <Command> lines, entities decoded, comments skipped', () => {
  const t = parseTaskXml(XML);
  assert.equal(t.uri, '\\Odd & Task');
  assert.deepEqual(t.actions.map((a) => [a.command, a.arguments, a.line]), [
    ['"%windir%\\system32\\cmd.exe"', '/c echo a > b', 7],
    ['C:\\ProgramData\\x.exe', '', 11],
  ]);
});

void test('suspiciousAction: staging places and encoded PowerShell; stock tasks and Defender pass', async () => {
  const good = await loadTaskKnownGood();
  const v = (command: string, args = ''): string | null => suspiciousAction({ command, arguments: args, workingDirectory: '', line: 1 }, good, ctx);
  assert.equal(v('%windir%\\system32\\sc.exe', 'start wuauserv'), null);
  assert.equal(v('C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2102.4-0\\MpCmdRun.exe', 'Scan -ScheduleJob'), null);
  assert.equal(v('%LocalAppData%\\Microsoft\\OneDrive\\OneDriveStandaloneUpdater.exe', '/reporting'), null);
  assert.equal(v('C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2102.4-0\\MpCmdRun.exe', '-DownloadFile -url http://x -path C:\\Users\\Public\\a.exe'), 'runs from a user folder');
  assert.equal(v('C:\\ProgramData\\Microsoft\\Windows Defender\\evil\\MpCmdRun.exe'), 'runs from ProgramData');
  assert.equal(v('rundll32.exe', 'C:\\Windows\\Temp\\a.dll,Start'), 'runs from a temporary folder');
  assert.equal(v('powershell.exe', '-w hidden -EncodedCommand SQBFAFgAIAAoAE4A'), 'runs encoded PowerShell');
  assert.equal(v('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\ecp\\a.exe'), 'runs from an Exchange web folder (ClientAccess)');
  assert.equal(v('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\Search\\Ceres\\Runtime\\1.0\\x.exe'), null);
  assert.equal(v('C:\\Tools\\sync.exe', '/url https://intranet.example/users/list /temp/'), null, 'URLs are not paths');
});
