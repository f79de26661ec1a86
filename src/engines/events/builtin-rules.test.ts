/**
 * Every built-in event rule (content/rules/events) on events written to a real .evtx file:
 * each rule's positives, and look-alikes that must not fire. Web-shell-like parameter text is
 * assembled from fragments (antivirus on a responder's machine would quarantine it).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { loadBuiltinEventRules } from '../../rules/load.js';
import { huntEvents } from './hunt.js';
import { cmdlet, processCreation, writeTestEvtx, type TestEvent } from './test-events.js';

const P = 'exhunt-evtx-';
const W3WP = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';
const UMW = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe';
const SYS32 = 'C:\\Windows\\System32\\';
const scriptUrl = ['http://x/<scr', 'ipt language="JScript" runat="server">function Page_Load(){ev', 'al(Request["k"],"unsafe");}</scr', 'ipt>'].join('');

/** [event, rule ids that must fire on it (exactly)]. */
const CASES: readonly (readonly [string, TestEvent, readonly string[]])[] = [
  ['OAB ExternalUrl with script', cmdlet('Set-OabVirtualDirectory', `-Identity "EX01\\OAB (Default Web Site)" -ExternalUrl "${scriptUrl}"`), [`${P}exchange-oab-virtualdirectory-script`, `${P}exchange-virtualdirectory-url-change`]],
  ['OAB ExternalUrl plain (admin)', cmdlet('Set-OabVirtualDirectory', '-Identity "EX01\\OAB (Default Web Site)" -ExternalUrl "https://mail.example/OAB"'), [`${P}exchange-virtualdirectory-url-change`]],
  ['OWA setting without a URL (admin)', cmdlet('Set-OwaVirtualDirectory', '-Identity "EX01\\owa (Default Web Site)" -LogonFormat UserName'), []],
  ['virtual directories listed', cmdlet('Get-OabVirtualDirectory', '-Identity "EX01\\OAB (Default Web Site)"'), []],
  ['ApplicationImpersonation assigned', cmdlet('New-ManagementRoleAssignment', '-Name "imp" -Role "ApplicationImpersonation" -User "svc-x"'), [`${P}exchange-privileged-role-grant`]],
  ['Organization Management member added', cmdlet('Add-RoleGroupMember', '-Identity "Organization Management" -Member "backup01"'), [`${P}exchange-privileged-role-grant`]],
  ['Help Desk member added (admin)', cmdlet('Add-RoleGroupMember', '-Identity "Help Desk" -Member "j.doe"'), []],
  ['FullAccess granted', cmdlet('Add-MailboxPermission', '-Identity "ceo" -User "svc-x" -AccessRights FullAccess -InheritanceType All'), [`${P}exchange-mailbox-fullaccess`]],
  ['ReadPermission granted (not FullAccess)', cmdlet('Add-MailboxPermission', '-Identity "shared" -User "j.doe" -AccessRights ReadPermission'), []],
  ['export to .aspx via UNC', cmdlet('New-MailboxExportRequest', '-Mailbox "admin@corp.example" -FilePath "\\\\localhost\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"'), [`${P}exchange-mailbox-export-webshell`]],
  ['export of a .pst into a web folder', cmdlet('New-MailboxExportRequest', '-Mailbox "ceo" -FilePath "\\\\ex01\\c$\\inetpub\\wwwroot\\aspnet_client\\c.pst"'), [`${P}exchange-mailbox-export-webshell`]],
  ['export to a PST share (admin)', cmdlet('New-MailboxExportRequest', '-Mailbox "j.doe" -FilePath "\\\\fs01\\pst$\\j.doe.pst"'), [`${P}exchange-mailbox-export`]],
  ['Mailbox Import Export role', cmdlet('New-ManagementRoleAssignment', '-Role "Mailbox Import Export" -User "admin"'), [`${P}exchange-role-mailbox-import-export`]],
  ['another role (admin)', cmdlet('New-ManagementRoleAssignment', '-Role "View-Only Configuration" -User "helpdesk"'), []],
  ['export request removed', cmdlet('Remove-MailboxExportRequest', '-Identity "admin\\MailboxExport" -Confirm:$false'), [`${P}exchange-remove-mailbox-export-request`]],
  ['certificate request into inetpub', cmdlet('New-ExchangeCertificate', '-GenerateRequest -SubjectName "cn=x" -RequestFile "C:\\inetpub\\wwwroot\\aspnet_client\\r.aspx"'), [`${P}exchange-certificate-request-webshell`]],
  ['certificate request into HttpProxy', cmdlet('New-ExchangeCertificate', '-GenerateRequest -RequestFile "\\\\localhost\\c$\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\r.req"'), [`${P}exchange-certificate-request-webshell`]],
  ['certificate request to .req (admin)', cmdlet('New-ExchangeCertificate', '-GenerateRequest -SubjectName "cn=mail.example" -RequestFile "C:\\certs\\mail.req"'), []],
  ['transport agent installed', cmdlet('Install-TransportAgent', '-Name "Evil" -AssemblyPath "C:\\x\\a.dll" -TransportAgentFactory "f"'), [`${P}exchange-install-transport-agent`]],
  ['transport agent failed install (event 6)', cmdlet('Install-TransportAgent', '-Name "Evil" -AssemblyPath ".\\a.dll"', 6), [`${P}exchange-install-transport-agent`]],
  ['transport agents listed (admin)', cmdlet('Get-TransportAgent', ''), []],
  ['UM InvalidCastException', { eventId: 100, channel: 'Application', provider: 'MSExchange Unified Messaging', level: 2, unnamed: ['System.InvalidCastException: Unable to cast object of type ...'] }, [`${P}exchange-um-invalidcastexception`]],
  ['UM other error', { eventId: 100, channel: 'Application', provider: 'MSExchange Unified Messaging', level: 2, unnamed: ['System.TimeoutException: the operation timed out'] }, []],
  ['UM cast exception as information', { eventId: 100, channel: 'Application', provider: 'MSExchange Unified Messaging', level: 4, unnamed: ['System.InvalidCastException'] }, []],
  ['ECP ViewState error', { eventId: 4, channel: 'Application', provider: 'MSExchange Control Panel', level: 2, unnamed: ['Request for URL /ecp/default.aspx failed with: System.Web.HttpException: The state information is invalid for this page. ---> System.Web.UI.ViewStateException: Invalid viewstate.'] }, [`${P}exchange-ecp-viewstate-error`]],
  ['ECP other error', { eventId: 4, channel: 'Application', provider: 'MSExchange Control Panel', level: 2, unnamed: ['Request for URL /ecp/x failed with: System.NullReferenceException'] }, []],
  ['w3wp → cmd (Sysmon)', processCreation('sysmon', W3WP, `${SYS32}cmd.exe`, 'cmd /c whoami'), [`${P}iis-worker-spawns-shell`]],
  ['w3wp → whoami (4688)', processCreation('security', W3WP, `${SYS32}whoami.exe`, 'whoami /all'), [`${P}iis-worker-spawns-shell`]],
  ['UMWorkerProcess → powershell (Sysmon)', processCreation('sysmon', UMW, `${SYS32}WindowsPowerShell\\v1.0\\powershell.exe`, 'powershell -enc AAAA'), [`${P}iis-worker-spawns-shell`]],
  ['w3wp → csc (ASP.NET compile)', processCreation('sysmon', W3WP, 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', 'csc.exe /noconfig @"C:\\x\\y.cmdline"'), []],
  ['w3wp → csc (4688)', processCreation('security', W3WP, 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', 'csc.exe /noconfig'), []],
  ['explorer → cmd', processCreation('sysmon', 'C:\\Windows\\explorer.exe', `${SYS32}cmd.exe`, 'cmd'), []],
  ['comsvcs MiniDump (Sysmon)', processCreation('sysmon', `${SYS32}cmd.exe`, `${SYS32}rundll32.exe`, 'rundll32.exe C:\\windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\l.dmp full'), [`${P}comsvcs-minidump`]],
  ['comsvcs #24 (4688)', processCreation('security', `${SYS32}cmd.exe`, `${SYS32}rundll32.exe`, 'rundll32 comsvcs.dll #24 624 C:\\temp\\l.dmp full'), [`${P}comsvcs-minidump`]],
  ['comsvcs MiniDump in PowerShell 800', { eventId: 800, channel: 'Windows PowerShell', provider: 'PowerShell', unnamed: ['rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 640 C:\\w\\t.dmp full', 'Available', 'HostApplication=powershell.exe'] }, [`${P}comsvcs-minidump`]],
  ['PowerShell 800 without comsvcs', { eventId: 800, channel: 'Windows PowerShell', provider: 'PowerShell', unnamed: ['Get-Process lsass | Select-Object Id', 'Available'] }, []],
  ['rundll32 other export', processCreation('sysmon', `${SYS32}cmd.exe`, `${SYS32}rundll32.exe`, 'rundll32.exe shell32.dll,Control_RunDLL'), []],
  ['attrib +h +s +r on .aspx', processCreation('sysmon', `${SYS32}cmd.exe`, `${SYS32}attrib.exe`, 'attrib +h +s +r C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx'), [`${P}attrib-hide-aspx`]],
  ['attrib -r on .aspx', processCreation('security', `${SYS32}cmd.exe`, `${SYS32}attrib.exe`, 'attrib -r C:\\inetpub\\wwwroot\\x.aspx'), []],
  ['attrib +h on a folder', processCreation('sysmon', `${SYS32}cmd.exe`, `${SYS32}attrib.exe`, 'attrib +h C:\\data'), []],
  ['Security log cleared', { eventId: 1102, channel: 'Security', provider: 'Microsoft-Windows-Eventlog', named: { SubjectUserName: 'admin' } }, [`${P}event-log-cleared`]],
  ['System: log cleared', { eventId: 104, channel: 'System', provider: 'Microsoft-Windows-Eventlog', named: { SubjectUserName: 'admin', Channel: 'Application' } }, [`${P}event-log-cleared`]],
  ['Event log service stopped (1100)', { eventId: 1100, channel: 'Security', provider: 'Microsoft-Windows-Eventlog' }, []],
];

void test('built-in event rules load without diagnostics and every rule has a case', async () => {
  const { rules, diagnostics } = await loadBuiltinEventRules();
  assert.deepEqual(diagnostics, []);
  const covered = new Set(CASES.flatMap(([, , ids]) => ids));
  for (const r of rules) {
    // persistence-*.yml rules have their cases in persistence-rules.test.ts
    if (!r.meta.id.startsWith(`${P}persistence-`)) assert.ok(covered.has(r.meta.id), `no positive case for ${r.meta.id}`);
    assert.ok(r.meta.refs.length > 0 && r.meta.author, `${r.meta.id}: author and references`);
    assert.deepEqual(r.families, [], `${r.meta.id} is an event rule`);
  }
});

void test('built-in event rules: positives fire, look-alikes do not (real .evtx via the writer)', async () => {
  const { rules } = await loadBuiltinEventRules();
  const file = await writeTestEvtx(CASES.map(([, e]) => e));
  try {
    const findings = await huntEvents([{ abs: file, evidencePath: 'C/Windows/System32/winevt/Logs/test.evtx' }], rules, { raw: true });
    CASES.forEach(([why, , want], i) => {
      const got = findings.filter((f) => f.evidence.recordId === i + 1).map((f) => f.ruleId).sort();
      assert.deepEqual(got, [...want].sort(), why);
    });
    const f = findings.find((x) => x.ruleId === `${P}exchange-install-transport-agent`);
    assert.equal(f?.evidence.kind, 'event');
    assert.equal(f?.evidence['channel'], 'MSExchange Management');
    assert.equal(f?.evidence['provider'], 'MSExchange CmdletLogs');
    assert.equal(f?.evidence['computer'], 'ex01.corp.example');
    assert.match(String(f?.evidence.excerpt), /Install-TransportAgent/);
    assert.equal(f?.category, 'persistence');
    assert.equal(f?.rule.source, 'builtin');
  } finally {
    await rm(dirname(file), { recursive: true, force: true });
  }
});

