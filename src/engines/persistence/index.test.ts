/**
 * The persistence checks end to end on a KAPE-style tree built in a temp folder: planted IIS
 * modules, a foreign transport agent and scheduled tasks fire; Microsoft's own modules and
 * agents and ordinary tasks (Defender's scan in ProgramData, `-Encoding UTF8`) do not.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { discoverSources } from '../../evidence/discover.js';
import { openEvidenceRoot } from '../../evidence/root.js';
import type { ParseIssue } from '../../parsers/types.js';
import { checkPersistence, IIS_MODULE_RULE, SCHEDULED_TASK_RULE, TRANSPORT_AGENT_RULE } from './index.js';

const base = mkdtempSync(path.join(tmpdir(), 'exhunt-persistence-'));
after(() => rmSync(base, { recursive: true, force: true }));
const fixture = (name: string): URL => new URL(`../../../test/fixtures/persistence/${name}`, import.meta.url);
const EX = 'C/Program Files/Microsoft/Exchange Server/V15';

/** A task XML file as Windows writes it: UTF-16 LE with a byte-order mark. */
function taskXml(uri: string, command: string, args: string): Buffer {
  const text = [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    '    <Date>2021-03-03T02:10:00</Date>',
    '    <Author>CORP\\admin</Author>',
    `    <URI>${uri}</URI>`,
    '  </RegistrationInfo>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${command}</Command>`,
    ...(args ? [`      <Arguments>${args}</Arguments>`] : []),
    '    </Exec>',
    '  </Actions>',
    '</Task>',
  ].join('\r\n');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

const TASKS: readonly (readonly [string, string, string, boolean])[] = [
  ['Microsoft/Windows/Windows Defender/Windows Defender Scheduled Scan', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2102.4-0\\MpCmdRun.exe', 'Scan -ScheduleJob -ScanTrigger 55', false],
  ['Microsoft/Windows/UpdateOrchestrator/Refresh', '%systemroot%\\system32\\usoclient.exe', 'StartScan', false],
  ['Cleanup logs', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', '-ExecutionPolicy Bypass -File D:\\Scripts\\cleanup.ps1 -Encoding UTF8', false],
  ['Microsoft/Windows/Defrag/ScheduledDefrag', '%windir%\\system32\\defrag.exe', '-c -h -o -$', false],
  ['GoogleUpdateTaskMachineCore', 'C:\\ProgramData\\svc\\update.exe', '/c', true],
  ['Microsoft/Windows/Maintenance/Sync', 'powershell.exe', '-nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA', true],
  ['Microsoft/Windows/Net/Helper', 'cmd.exe', '/c start C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\h.exe', true],
  ['Microsoft/Windows/Net/Report', 'C:\\Users\\Public\\r.exe', '', true],
];

function buildTree(): string {
  const dir = path.join(base, 'kape');
  const put = (rel: string, data: string | Buffer): void => {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, data);
  };
  mkdirSync(path.join(dir, `${EX}/Bin`), { recursive: true });
  put(`${EX}/Bin/ExSetup.exe`, 'x');
  mkdirSync(path.join(dir, 'C/Windows/System32/inetsrv/config'), { recursive: true });
  copyFileSync(fixture('applicationHost.config'), path.join(dir, 'C/Windows/System32/inetsrv/config/applicationHost.config'));
  mkdirSync(path.join(dir, `${EX}/FrontEnd/HttpProxy/owa`), { recursive: true });
  copyFileSync(fixture('owa-web.config'), path.join(dir, `${EX}/FrontEnd/HttpProxy/owa/web.config`));
  mkdirSync(path.join(dir, `${EX}/TransportRoles/Shared`), { recursive: true });
  copyFileSync(fixture('agents.config'), path.join(dir, `${EX}/TransportRoles/Shared/agents.config`));
  put('C/inetpub/wwwroot/iisstart.htm', '<html></html>');
  TASKS.forEach(([uri, cmd, args]) => put(`C/Windows/System32/Tasks/${uri}`, taskXml(`\\${uri.replace(/\//g, '\\')}`, cmd, args)));
  return dir;
}

void test('checkPersistence: planted modules, agents and tasks fire; stock ones do not', async () => {
  const root = await openEvidenceRoot(buildTree());
  const errors: ParseIssue[] = [];
  const sources = await discoverSources(root, { onError: (e) => errors.push(e) });
  const findings = await checkPersistence(root, sources, (e) => errors.push(e));
  assert.deepEqual(errors, []);
  for (const f of findings) assert.equal(f.category, 'persistence');

  const mods = findings.filter((f) => f.ruleId === IIS_MODULE_RULE).map((f) => [f.details['module'], f.severity, f.evidence.path, f.evidence.line]);
  assert.deepEqual(mods.sort(), [
    ['CompressionHelper', 'medium', 'C/Windows/System32/inetsrv/config/applicationHost.config', 35],
    ['ExchangeAuthHelper', 'medium', `${EX}/FrontEnd/HttpProxy/owa/web.config`, 12],
    ['PerfCounters', 'medium', `${EX}/FrontEnd/HttpProxy/owa/web.config`, 22],
    ['IsapiCacheFilter', 'high', 'C/Windows/System32/inetsrv/config/applicationHost.config', 34],
    ['SessionStateProvider', 'medium', 'C/Windows/System32/inetsrv/config/applicationHost.config', 43],
  ].sort());

  const agents = findings.filter((f) => f.ruleId === TRANSPORT_AGENT_RULE);
  assert.deepEqual(agents.map((f) => [f.details['agent'], f.severity, f.evidence.line]).sort(), [
    ['Mail Archive Connector', 'high', 14],
    ['Text Messaging Routing Agent', 'high', 13],
  ]);
  assert.match(String(agents.find((f) => f.details['agent'] === 'Text Messaging Routing Agent')?.title), /name of a Microsoft agent.*temporary folder/);
  assert.equal(agents[0]?.evidence.path, `${EX}/TransportRoles/Shared/agents.config`);

  const tasks = findings.filter((f) => f.ruleId === SCHEDULED_TASK_RULE);
  const want = TASKS.filter(([, , , bad]) => bad).map(([uri]) => `C/Windows/System32/Tasks/${uri}`);
  assert.deepEqual(tasks.map((f) => f.evidence.path).sort(), want.sort());
  for (const t of tasks) {
    assert.equal(t.severity, 'high');
    assert.equal(t.evidence.line, 10, 'line of <Command>');
  }
  assert.match(String(tasks.find((f) => String(f.details['task']).endsWith('Sync'))?.details['reason']), /encoded PowerShell/);
  assert.equal(new Set(findings.map((f) => f.id)).size, findings.length, 'ids are unique');
});

void test('checkPersistence: a bare tree yields nothing and no errors', async () => {
  const dir = path.join(base, 'bare');
  mkdirSync(path.join(dir, 'C/Windows/System32'), { recursive: true });
  mkdirSync(path.join(dir, 'C/Program Files'), { recursive: true });
  const root = await openEvidenceRoot(dir);
  const errors: ParseIssue[] = [];
  const sources = await discoverSources(root, { onError: (e) => errors.push(e) });
  assert.deepEqual(await checkPersistence(root, sources, (e) => errors.push(e)), []);
});
