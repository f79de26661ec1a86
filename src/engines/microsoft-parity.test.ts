/**
 * Parity with Microsoft's Test-ProxyLogon.ps1 (microsoft/CSS-Exchange, Security/src) and the
 * ProxyShell, ProxyNotShell, OWASSRF and ProxyToken indicators Microsoft, CISA and the
 * researchers published: probes of our own for each condition — canonical, variants, evasions
 * of the condition's intent — and look-alikes.
 *
 * Each probe says whether Microsoft's condition (re-stated below from the published script,
 * in our words) flags it, and what exhunt must do: `flag` (a finding at medium or above),
 * `context` (nothing at medium or above; low context allowed) or `none`. Where the two judge
 * differently, the probe's note says why, and docs/microsoft-parity.md explains it; the test
 * checks both columns, so the table cannot drift from the code.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { before, describe, test } from 'node:test';
import { severityRank, type Severity } from '../findings/types.js';
import type { LogFamily, LogRecord } from '../parsers/types.js';
import { loadBuiltinEventRules, loadBuiltinLogRules } from '../rules/load.js';
import { artifacts } from './files/builtin.js';
import type { FileContent } from './files/content.js';
import { huntEvents } from './events/hunt.js';
import { writeTestEvtx, type TestEvent } from './events/test-events.js';
import { createLogMatcher, type LogMatcher } from './logs/matcher.js';

type Want = 'flag' | 'context' | 'none';

interface Probe<T> {
  readonly name: string;
  readonly input: T;
  /** Whether Microsoft's condition, as published, reports it. */
  readonly microsoft: boolean;
  readonly exhunt: Want;
  /** Why the two differ (required when they do). */
  readonly why?: string;
}

const MEDIUM = severityRank('medium');

function judge(severities: readonly Severity[]): Want {
  if (severities.some((s) => severityRank(s) >= MEDIUM)) return 'flag';
  return severities.length ? 'context' : 'none';
}

function checkProbe<T>(p: Probe<T>, got: Want, ms: boolean): void {
  assert.equal(got, p.exhunt, `${p.name}: exhunt`);
  assert.equal(ms, p.microsoft, `${p.name}: Microsoft's condition`);
  const agrees = (p.exhunt === 'flag') === p.microsoft;
  assert.ok(agrees || (p.why ?? '').length > 20, `${p.name}: exhunt and Microsoft differ without a reason`);
}

// ---- Microsoft's conditions, re-stated (Test-ProxyLogon.ps1) ----

/** PowerShell `-like`: `*` any run, `?` one character, case-insensitive. */
function like(value: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'is').test(value);
}

// CVE-2021-26855: any HttpProxy log, AnchorMailbox like ServerInfo~<any>/<any>, except the autodiscover and localhost forms.
const ms26855 = (f: Record<string, string>): boolean => {
  const a = f.AnchorMailbox ?? '';
  return like(a, 'ServerInfo~*/*') && !like(a, 'ServerInfo~*/autodiscover*') && !like(a, 'ServerInfo~localhost*/*');
};

// CVE-2021-27065 (HttpProxy\Ecp): a ServerInfo anchor resetting a virtual directory, answered exactly 200.
const ms27065Reset = (f: Record<string, string>): boolean => like(f.AnchorMailbox ?? '', 'ServerInfo~*/*Reset*VirtualDirectory#') && f.HttpStatus === '200';

/** CVE-2021-27065 (ECP Server log): a Set-…VirtualDirectory entry with, after a Url, an opening and a closing tag. */
const ms27065Ecp = (line: string): boolean => /Set-.+VirtualDirectory.+?Url.+<\w+.*>.*?<\/\w+>/.test(line);

/** CVE-2021-26858: the logged path (with its quote) does not start with `'<install>ClientAccess\OAB`. */
function ms26858(line: string, install: string): boolean {
  const m = /Download failed and temporary file (.*?) needs to be removed/.exec(line);
  if (!m) return false;
  return !(m[1] ?? '').toLowerCase().startsWith(`'${install}ClientAccess\\OAB`.toLowerCase());
}

/** LSASS dumps: `lsass.*dmp` (wildcards) anywhere below C:\root or %WINDIR%\temp. */
const msLsass = (path: string): boolean => /^(c\/root|c\/windows\/temp)\//i.test(path) && like(path.split('/').pop() ?? '', 'lsass.*dmp');

/** Staged archives: a .7z, .zip or .rar extension anywhere below %ProgramData%. */
const msArchive = (path: string): boolean => /^c\/programdata\//i.test(path) && /\.(7z|zip|rar)$/i.test(path);

// ---- log probes ----

let logs: LogMatcher;
before(async () => {
  const { rules, diagnostics } = await loadBuiltinLogRules();
  assert.deepEqual(diagnostics, []);
  logs = createLogMatcher(rules);
});

const INSTALL = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\';
const OAB_LOG = 'C/Program Files/Microsoft/Exchange Server/V15/Logging/OABGeneratorLog/OABGen_2021030301-1.LOG';

function rec(source: LogFamily, fields: Record<string, string>, path = 'x.log'): LogRecord {
  return { kind: 'log', source, time: '2021-03-03T06:49:42Z', fields, location: { path, line: 1 } };
}

function proxy(extra: Record<string, string>): LogRecord {
  return rec('httpproxy', {
    DateTime: '2021-03-03T06:49:42.162Z', ClientIpAddress: '203.0.113.7', UrlHost: 'mail.contoso.com', UrlStem: '/ecp/y.js', UrlQuery: '',
    AuthenticatedUser: '', AnchorMailbox: '', BackEndCookie: '', HttpStatus: '200', UserAgent: 'python-requests/2.25.1', Method: 'POST',
    'client-ip': '203.0.113.7', ...extra,
  }, 'C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG');
}

function iis(method: string, stem: string, query: string, extra: Record<string, string> = {}): LogRecord {
  return rec('iis', {
    date: '2021-03-03', time: '06:49:42', 's-ip': '10.0.0.5', 'cs-method': method, 'cs-uri-stem': stem, 'cs-uri-query': query, 's-port': '443',
    'cs-username': '', 'c-ip': '203.0.113.7', 'cs(User-Agent)': 'python-requests/2.25.1', 'cs(Cookie)': '', 'sc-status': '200',
    'client-ip': '203.0.113.7', ...extra,
  });
}

function logWant(r: LogRecord): Want {
  return judge(logs.match(r).map((h) => h.severity));
}

const anchor = (a: string, status = '241'): LogRecord => proxy({ AnchorMailbox: a, HttpStatus: status });
const benign = (extra: Record<string, string>): LogRecord => proxy({ AuthenticatedUser: 'CONTOSO\\HealthMailbox1', UserAgent: 'AMProbe/Local/ClientAccess', Method: 'GET', ...extra });

const CVE_26855: Probe<LogRecord>[] = [
  { name: 'canonical: ServerInfo anchor to ECP, answered 241', input: anchor('ServerInfo~a]@exch01.corp.local:444/ecp/proxyLogon.ecp?#'), microsoft: true, exhunt: 'flag' },
  { name: 'variant: refused (401): attempt on an unpatched server', input: anchor('ServerInfo~a]@exch01.corp.local:444/ecp/proxyLogon.ecp?#', '401'), microsoft: true, exhunt: 'flag' },
  { name: 'variant: refused (400)', input: anchor('ServerInfo~exch01.corp.local:444/mapi/emsmdb/?#', '400'), microsoft: true, exhunt: 'flag' },
  { name: 'variant: lower case, EWS back end', input: anchor('serverinfo~exch01:444/ews/exchange.asmx?#', '200'), microsoft: true, exhunt: 'flag' },
  { name: 'variant: in the Owa HttpProxy log', input: proxy({ UrlStem: '/owa/auth/x.js', AnchorMailbox: 'ServerInfo~exch01:444/owa/?#' }), microsoft: true, exhunt: 'flag' },
  { name: 'evasion: autodiscover exclusion with the ]@ host confusion', input: anchor('ServerInfo~a]@exch01:444/autodiscover/autodiscover.xml?#'), microsoft: false, exhunt: 'flag',
    why: 'Microsoft leaves out every */autodiscover* anchor; the ]@ host confusion of the exploit chain makes it an SSRF all the same' },
  { name: 'evasion: autodiscover exclusion climbed out with ..', input: anchor('ServerInfo~exch01:444/autodiscover/../ecp/DDI/DDIService.svc/GetList?#'), microsoft: false, exhunt: 'flag',
    why: 'the exclusion is for autodiscover itself; a path that climbs out of it reaches another back end' },
  { name: 'evasion: localhost exclusion with another host name', input: anchor('ServerInfo~localhost.attacker.example/ecp/x.js?#'), microsoft: false, exhunt: 'flag',
    why: 'localhost* also excludes host names that only begin with localhost; exhunt excludes localhost as the whole host only' },
  { name: 'evasion: localhost exclusion with the ]@ host confusion', input: anchor('ServerInfo~localhost]@exch01:444/ecp/proxyLogon.ecp?#'), microsoft: false, exhunt: 'flag',
    why: 'the ]@ confusion sends the request to the host after @, not to localhost' },
  { name: 'variant: X-BEResource cookie (BackEndCookie)', input: proxy({ BackEndCookie: 'Server~exch01.corp.local/ecp/x.js~1942062522', HttpStatus: '200' }), microsoft: false, exhunt: 'flag',
    why: 'the script reads only AnchorMailbox; Microsoft\'s HAFNIUM guidance also searches BackEndCookie Server~*/*~*, the cookie form of the same SSRF' },
  { name: 'look-alike: autodiscover from another server (Microsoft exclusion)', input: benign({ UrlStem: '/autodiscover/autodiscover.xml', AnchorMailbox: 'ServerInfo~exch02.corp.local/autodiscover/autodiscover.xml' }), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: localhost health probe (Microsoft exclusion)', input: benign({ UrlStem: '/ews/exchange.asmx', AnchorMailbox: 'ServerInfo~localhost:444/ews/exchange.asmx' }), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: ordinary anchor mailbox', input: proxy({ UrlStem: '/owa/', AnchorMailbox: 'Smtp~alice@contoso.com', AuthenticatedUser: 'CONTOSO\\alice', UserAgent: 'Mozilla/5.0', Method: 'GET' }), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: ServerInfo without a path', input: proxy({ UrlStem: '/owa/', AnchorMailbox: 'ServerInfo~exch01.corp.local', AuthenticatedUser: 'CONTOSO\\alice', UserAgent: 'Mozilla/5.0', Method: 'GET' }), microsoft: false, exhunt: 'none' },
];

const ecp = (event: string): LogRecord => rec('ecp-server', { EventData: event });
const set = (vd: string, url: string): string => `S:CMD=Set-${vd}VirtualDirectory.ExternalUrl='${url}'.Identity='EX01\\OAB (Default Web Site)'`;
const tag = (t: string): string => ['<', t].join('');

const CVE_27065: Probe<LogRecord>[] = [
  { name: 'canonical: script tags in the OAB ExternalUrl', input: ecp(set('Oab', `http://f/${tag('script')} language="JScript" runat="server">function Page_Load(){}${tag('/script')}>`)), microsoft: true, exhunt: 'flag' },
  { name: 'variant: any tag pair (<b>)', input: ecp(set('Oab', `http://f/${tag('b')}>x${tag('/b')}>`)), microsoft: true, exhunt: 'flag' },
  { name: 'variant: InternalUrl of the ECP virtual directory', input: ecp(`S:CMD=Set-EcpVirtualDirectory.InternalUrl='http://f/${tag('script')}>x${tag('/script')}>'`), microsoft: true, exhunt: 'flag' },
  { name: 'evasion: a server block without tags (<%...%>)', input: ecp(set('Oab', `http://f/${tag('%')}@ Page Language="C#"%>`)), microsoft: false, exhunt: 'flag',
    why: 'Microsoft looks for a tag pair; a URL holds no markup of any kind, and <% is how a page runs code' },
  { name: 'evasion: an unclosed tag (<img onerror=...>)', input: ecp(set('Oab', `http://f/${tag('img')} src=x onerror=alert(1)>`)), microsoft: false, exhunt: 'flag',
    why: 'Microsoft looks for a tag pair; any tag in a URL is markup' },
  { name: 'evasion: percent-encoded tags', input: ecp(set('Oab', 'http://f/%3Cscript%20runat%3Dserver%3Ex%3C%2Fscript%3E')), microsoft: false, exhunt: 'flag',
    why: 'encoded markup is still markup; a valid URI needs no encoded angle brackets' },
  { name: 'evasion: HTML entities', input: ecp(set('Owa', 'http://f/&lt;script&gt;x&lt;/script&gt;')), microsoft: false, exhunt: 'flag',
    why: 'entity-encoded markup is still markup' },
  { name: 'canonical (HttpProxy Ecp): ResetOABVirtualDirectory through the SSRF, 200', input: proxy({ AnchorMailbox: 'ServerInfo~a]@exch01:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory#', HttpStatus: '200' }), microsoft: true, exhunt: 'flag' },
  { name: 'variant: the reset with parameters after the schema', input: proxy({ AnchorMailbox: 'ServerInfo~a]@exch01:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=x#', HttpStatus: '200' }), microsoft: false, exhunt: 'flag',
    why: 'Microsoft\'s pattern needs the anchor to end with VirtualDirectory#; the same reset with the canary after it is the same step' },
  { name: 'variant: the same reset answered 241', input: proxy({ AnchorMailbox: 'ServerInfo~a]@exch01:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory#', HttpStatus: '241' }), microsoft: false, exhunt: 'flag',
    why: 'Microsoft counts only HTTP 200; any status of a ServerInfo~ request is the CVE-2021-26855 SSRF, reported either way' },
  { name: 'look-alike: administrator sets a plain ExternalUrl', input: ecp(set('Oab', 'https://mail.contoso.com/OAB')), microsoft: false, exhunt: 'context',
    why: 'the older script reported every Set-*VirtualDirectory entry; exhunt keeps that as low context and flags markup' },
  { name: 'look-alike: an OWA setting without a URL', input: ecp("S:CMD=Set-OwaVirtualDirectory.LogonFormat='UserName'.Identity='EX01\\owa (Default Web Site)'"), microsoft: false, exhunt: 'context',
    why: 'as above: low context only' },
  { name: 'look-alike: administrator resets a virtual directory in ECP', input: proxy({ UrlStem: '/ecp/DDI/DDIService.svc/SetObject', UrlQuery: '?schema=ResetOABVirtualDirectory&msExchEcpCanary=x', AuthenticatedUser: 'CONTOSO\\admin', UserAgent: 'Mozilla/5.0' }), microsoft: false, exhunt: 'none' },
];

const oab = (path: string, logPath = OAB_LOG): LogRecord => rec('oab', { message: `2021-03-03T01:02:03.456Z Download failed and temporary file '${path}' needs to be removed.` }, logPath);
const V15 = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15';

const CVE_26858: Probe<LogRecord>[] = [
  { name: 'canonical: a web shell written into aspnet_client', input: oab('C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx'), microsoft: true, exhunt: 'flag' },
  { name: 'variant: UNC path to the admin share', input: oab('\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'), microsoft: true, exhunt: 'flag' },
  { name: 'evasion: nested look-alike ClientAccess\\OAB under aspnet_client', input: oab('C:\\inetpub\\wwwroot\\aspnet_client\\ClientAccess\\OAB\\x.aspx'), microsoft: true, exhunt: 'flag' },
  { name: 'evasion: UNC path through the real OAB folder', input: oab(`\\\\127.0.0.1\\c$${V15.slice(2)}\\ClientAccess\\OAB\\Temp\\x.aspx`), microsoft: true, exhunt: 'flag' },
  { name: 'evasion: .. out of the OAB folder into the OWA front end', input: oab(`${V15}\\ClientAccess\\OAB\\..\\..\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx`), microsoft: false, exhunt: 'flag',
    why: 'Microsoft compares the text\'s start with the OAB folder, which the .. path passes; exhunt resolves the path (and flags any . or .. segment)' },
  { name: 'evasion: a trailing dot in a segment (Win32 trims it)', input: oab(`${V15}\\ClientAccess\\OAB.\\x.aspx`), microsoft: false, exhunt: 'flag',
    why: 'OAB. and OAB are the same folder to Win32 but not to a text comparison; exhunt flags the form' },
  { name: 'evasion: a page written inside the OAB folder (served as /OAB)', input: oab(`${V15}\\ClientAccess\\OAB\\x.aspx`), microsoft: false, exhunt: 'flag',
    why: 'Microsoft accepts anything below ClientAccess\\OAB; the generator writes OAB files there, never pages, and IIS serves the folder' },
  { name: 'evasion: alternate data stream inside the OAB folder', input: oab(`${V15}\\ClientAccess\\OAB\\Temp\\a.tmp:x.aspx`), microsoft: false, exhunt: 'flag',
    why: 'a stream name is not a file the generator writes' },
  { name: 'evasion: device path prefix', input: oab(`\\\\?\\${V15}\\ClientAccess\\OAB\\Temp\\x.tmp`), microsoft: true, exhunt: 'flag' },
  { name: 'variant: the right folder on another drive', input: oab('D:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\x.tmp'), microsoft: true, exhunt: 'flag' },
  { name: 'look-alike: the generator\'s own temporary file', input: oab(`${V15}\\ClientAccess\\OAB\\Temp\\3f1c2e0a-1b2c-4d5e-8f90-a1b2c3d4e5f6\\oab.xml`), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: path in other case', input: oab(`${V15.toLowerCase()}\\clientaccess\\oab\\temp\\x.lzx`), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: install on D:, log beside it', input: oab('D:\\Exchange\\ClientAccess\\OAB\\Temp\\x.lzx', 'D/Exchange/Logging/OABGeneratorLog/a.log'), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: forward slashes', input: oab(`${V15.replace(/\\/g, '/')}/ClientAccess/OAB/Temp/x.lzx`), microsoft: true, exhunt: 'none',
    why: 'Win32 reads / as \\; the text comparison does not, and reports the generator\'s own file' },
];

const OAB_INSTALL: Readonly<Record<string, string>> = { 'D/Exchange/Logging/OABGeneratorLog/a.log': 'D:\\Exchange\\' };

function msLog(r: LogRecord, cve: '26855' | '27065' | '26858'): boolean {
  if (cve === '26855') return r.source === 'httpproxy' && ms26855(r.fields);
  if (cve === '27065') return r.source === 'httpproxy' ? ms27065Reset(r.fields) : ms27065Ecp(r.fields.EventData ?? '');
  return ms26858(r.fields.message ?? '', OAB_INSTALL[r.location.path] ?? INSTALL);
}

void describe('Test-ProxyLogon parity: logs', () => {
  for (const [cve, probes] of [['26855', CVE_26855], ['27065', CVE_27065], ['26858', CVE_26858]] as const) {
    for (const p of probes) void test(`CVE-2021-${cve}: ${p.name}`, () => checkProbe(p, logWant(p.input), msLog(p.input, cve)));
  }
});

// ---- CVE-2021-26857: Application log ----

const um = (level: number, text: string, provider = 'MSExchange Unified Messaging'): TestEvent => ({ eventId: 1, channel: 'Application', provider, level, unnamed: [text] });
const CAST = 'System.InvalidCastException: Unable to cast object of type \'System.String\' to type \'Microsoft.Exchange.UM.UMCore.PipelineContext\'';

const CVE_26857: Probe<TestEvent>[] = [
  { name: 'canonical: UM error with InvalidCastException', input: um(2, CAST), microsoft: true, exhunt: 'flag' },
  { name: 'variant: the exception deep in the text', input: um(2, `Watson report about to be sent for process id: 1234, with parameters: E12, ${CAST}, UMWorkerProcess`), microsoft: true, exhunt: 'flag' },
  { name: 'variant: logged as critical', input: um(1, CAST), microsoft: false, exhunt: 'flag',
    why: 'Microsoft filters on level 2 (error); a crash logged as critical (1) is the same failure' },
  { name: 'look-alike: another UM error', input: um(2, 'System.TimeoutException: the operation timed out'), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: the text as information', input: um(4, CAST), microsoft: false, exhunt: 'none' },
  { name: 'look-alike: another provider', input: um(2, CAST, 'MSExchange Common'), microsoft: false, exhunt: 'none' },
];

const ms26857 = (e: TestEvent): boolean => e.channel === 'Application' && e.provider === 'MSExchange Unified Messaging' && e.level === 2 && (e.unnamed ?? []).some((t) => t.includes('System.InvalidCastException'));

void describe('Test-ProxyLogon parity: CVE-2021-26857', () => {
  let got: Want[] = [];
  before(async () => {
    const file = await writeTestEvtx(CVE_26857.map((p) => p.input));
    try {
      const { rules } = await loadBuiltinEventRules();
      const fs = await huntEvents([{ abs: file, evidencePath: 'C/Windows/System32/winevt/Logs/Application.evtx' }], rules, { raw: true });
      got = CVE_26857.map((_, i) => judge(fs.filter((f) => f.evidence.recordId === i + 1).map((f) => f.severity)));
    } finally {
      await rm(dirname(file), { recursive: true, force: true });
    }
  });
  CVE_26857.forEach((p, i) => void test(`CVE-2021-26857: ${p.name}`, () => checkProbe(p, got[i] ?? 'none', ms26857(p.input))));
});

// ---- LSASS dumps and staged archives: the file engine's artifact checks ----

interface FileProbe {
  readonly path: string;
  readonly bytes: Buffer;
  /** Whether discovery makes the folder an artifact folder of `scan`. */
  readonly artifactDir: boolean;
}

const MDMP = (body: string): Buffer => Buffer.concat([Buffer.from('MDMP', 'latin1'), Buffer.alloc(60), Buffer.from(body, 'utf16le')]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
const SEVEN_Z = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]);
const RAR = Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]);
const NOISE = Buffer.from('8f3a91c27be04d5f', 'hex');
const f = (path: string, bytes: Buffer, artifactDir = true): FileProbe => ({ path, bytes, artifactDir });

const FILES: Probe<FileProbe>[] = [
  { name: 'LSASS: canonical dump in C:\\root', input: f('C/root/lsass.dmp', MDMP('lsass.exe')), microsoft: true, exhunt: 'flag' },
  { name: 'LSASS: canonical dump in Windows\\Temp', input: f('C/Windows/Temp/lsass.dmp', MDMP('lsass.exe')), microsoft: true, exhunt: 'flag' },
  { name: 'LSASS: procdump naming, nested folder', input: f('C/Windows/Temp/x/y/lsass.exe_210302_101010.dmp', MDMP('lsass.exe')), microsoft: true, exhunt: 'flag' },
  { name: 'LSASS: header overwritten or encrypted, lsass name kept', input: f('C/root/lsass.dmp', NOISE), microsoft: true, exhunt: 'flag' },
  { name: 'LSASS: other separator in the name', input: f('C/root/lsass_1.dmp', MDMP('lsass.exe')), microsoft: false, exhunt: 'flag',
    why: 'lsass.*dmp needs a dot after lsass; the intent is any LSASS dump (and the content says lsass)' },
  { name: 'LSASS: renamed dump (comsvcs MiniDump to any name)', input: f('C/Windows/Temp/1.bin', MDMP('C:\\Windows\\System32\\lsass.exe')), microsoft: false, exhunt: 'flag',
    why: 'Microsoft matches the name only; exhunt reads the minidump header and the process it names' },
  { name: 'LSASS: dump outside both folders', input: f('C/Users/admin/Desktop/lsass.dmp', MDMP('lsass.exe'), false), microsoft: false, exhunt: 'flag',
    why: 'Microsoft searches two folders; a minidump of lsass is credential theft wherever it lies' },
  { name: 'LSASS look-alike: notes named after lsass', input: f('C/Windows/Temp/lsass-notes.txt', Buffer.from('lsass hardening checklist')), microsoft: false, exhunt: 'none' },
  { name: 'LSASS look-alike: the lsass program itself', input: f('C/Windows/System32/lsass.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]), false), microsoft: false, exhunt: 'none' },
  { name: 'archive: canonical zip in ProgramData', input: f('C/ProgramData/x.zip', ZIP), microsoft: true, exhunt: 'flag' },
  { name: 'archive: 7z nested in ProgramData', input: f('C/ProgramData/VMware/logs/a.7z', SEVEN_Z), microsoft: true, exhunt: 'flag' },
  { name: 'archive: rar in ProgramData', input: f('C/ProgramData/b.rar', RAR), microsoft: true, exhunt: 'flag' },
  { name: 'archive: renamed 7z', input: f('C/ProgramData/a.dat', SEVEN_Z), microsoft: false, exhunt: 'flag',
    why: 'Microsoft matches the extension only; exhunt reads the format header' },
  { name: 'archive: named .zip without a zip header (later volume, encrypted)', input: f('C/ProgramData/c.zip', NOISE), microsoft: true, exhunt: 'flag' },
  { name: 'archive look-alike: a zip offered for download in a web folder', input: f('C/inetpub/wwwroot/download/manual.zip', ZIP, false), microsoft: false, exhunt: 'none' },
  { name: 'archive look-alike: a text file in ProgramData', input: f('C/ProgramData/app/readme.txt', Buffer.from('hello')), microsoft: false, exhunt: 'none' },
];

function fileWant(p: FileProbe): Want {
  const content = { hashes: { md5: '', sha1: '', sha256: '' }, buf: p.bytes, complete: true, bytes: p.bytes.length } as unknown as FileContent;
  return judge(artifacts(p.path, content, { webExposed: false, artifactDir: p.artifactDir }).map((h) => h.severity));
}

void describe('Test-ProxyLogon parity: files', () => {
  for (const p of FILES) void test(p.name, () => checkProbe(p, fileWant(p.input), msLsass(p.input.path) || msArchive(p.input.path)));
});

// ---- ProxyShell, ProxyNotShell, OWASSRF, ProxyToken ----
// Microsoft's conditions here are its published hunting patterns: ProxyShell and ProxyNotShell
// IIS searches (autodiscover.json with @ and a back end / Powershell, answered 200) and the
// revised ProxyNotShell mitigation (autodiscover and powershell in the URL-decoded URI);
// OWASSRF (CrowdStrike, Microsoft's advisory): /owa/<mailbox>/powershell; ProxyToken (ZDI,
// MSRC): /ecp/<mailbox>/...svc with a SecurityToken cookie.

const decoded = (s: string): string => decodeURIComponent(s.replace(/%(?![0-9a-f]{2})/gi, '%25'));
const msLater = (r: LogRecord): boolean => {
  const uri = r.source === 'iis' ? `${r.fields['cs-uri-stem'] ?? ''}?${r.fields['cs-uri-query'] ?? ''}` : `${r.fields.UrlStem ?? ''}${r.fields.UrlQuery ?? ''}`;
  const raw = uri.toLowerCase();
  const dec = decoded(uri).toLowerCase();
  const proxyShell = raw.includes('autodiscover.json') && raw.includes('@') && /\/(mapi\/nspi|powershell|ews\/exchange\.asmx)/.test(raw);
  const notShell = dec.includes('autodiscover') && dec.includes('powershell');
  const owassrf = /^\/owa\/[^/]+\/powershell/.test(raw);
  const proxyToken = /^\/ecp\/[^/]*@[^/]*\/.*\.svc\//.test(raw) && (r.fields['cs(Cookie)'] ?? '').includes('SecurityToken=');
  return proxyShell || notShell || owassrf || proxyToken;
};

const ad = (q: string, extra: Record<string, string> = {}): LogRecord => iis('POST', '/autodiscover/autodiscover.json', q, extra);

const LATER: Probe<LogRecord>[] = [
  { name: 'ProxyShell: canonical MAPI LegacyDN lookup', input: ad('@evil.corp/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.corp'), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyShell: PowerShell back end with X-Rps-CAT', input: ad('@evil.corp/powershell/?X-Rps-CAT=VgEAVAd&Email=autodiscover/autodiscover.json%3F@evil.corp'), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyShell: scanner probe with the OWA back end', input: iis('GET', '/autodiscover/autodiscover.json', '@foo.com/owa/?&Email=autodiscover/autodiscover.json%3F@foo.com'), microsoft: false, exhunt: 'flag',
    why: 'Microsoft\'s search names MAPI, PowerShell and EWS back ends; the explicit-logon confusion is the vulnerability whatever back end it names' },
  { name: 'ProxyShell: @ percent-encoded', input: ad('%40evil.corp/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F%40evil.corp'), microsoft: false, exhunt: 'flag',
    why: 'the server decodes %40 to @; exhunt reads the query decoded' },
  { name: 'ProxyShell: upper-case path, encoded slash', input: iis('POST', '/Autodiscover/Autodiscover.json', '@evil.corp%2Fpowershell/?&Email=Autodiscover/Autodiscover.json%3F@evil.corp'), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyShell: in the Autodiscover HttpProxy log', input: proxy({ UrlStem: '/autodiscover/autodiscover.json', UrlQuery: '?@evil.corp/ews/exchange.asmx&Email=autodiscover/autodiscover.json%3F@evil.corp', HttpStatus: '200' }), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyShell look-alike: AutodiscoverV2', input: iis('GET', '/autodiscover/autodiscover.json', 'Email=alice%40contoso.com&Protocol=ActiveSync&RedirectCount=1', { 'cs(User-Agent)': 'Outlook-iOS/2.0' }), microsoft: false, exhunt: 'none' },
  { name: 'ProxyShell look-alike: AutodiscoverV2 path form', input: iis('GET', '/autodiscover/autodiscover.json/v1.0/alice@contoso.com', 'Protocol=EWS', { 'cs(User-Agent)': 'Microsoft Office/16.0' }), microsoft: false, exhunt: 'none' },
  { name: 'ProxyNotShell: canonical (GTSC)', input: ad('@evil.com/owa/&Email=autodiscover/autodiscover.json%3F@evil.com&Protocol=XYZ&FooProtocol=Powershell'), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyNotShell: %50owershell (mitigation bypass)', input: ad('@evil.com/owa/&Email=autodiscover/autodiscover.json%3F@evil.com&Protocol=XYZ&FooProtocol=%50owershell'), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyNotShell: no @ at all', input: ad('a..foo.var/owa/?&Email=autodiscover/autodiscover.json?a..foo.var&Protocol=XYZ&FooProtocol=Power%73hell'), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyNotShell look-alike: Exchange Management Shell over Kerberos', input: iis('POST', '/powershell', 'serializationLevel=Full;ExchClientVer=15.2.1118.7;clientApplication=ManagementShell', { 'cs-username': 'CONTOSO\\admin', 'cs(User-Agent)': 'Microsoft WinRM Client' }), microsoft: false, exhunt: 'none' },
  { name: 'OWASSRF: canonical', input: iis('POST', '/owa/mastermailbox%40outlook.com/powershell', ''), microsoft: true, exhunt: 'flag' },
  { name: 'OWASSRF: encoded slash before powershell', input: iis('POST', '/owa/x%40y.com%2FPowerShell', ''), microsoft: false, exhunt: 'flag',
    why: 'the front end decodes %2F; exhunt reads the path decoded' },
  { name: 'OWASSRF: in the Owa HttpProxy log', input: proxy({ UrlStem: '/owa/mastermailbox@outlook.com/powershell', HttpStatus: '200' }), microsoft: true, exhunt: 'flag' },
  { name: 'OWASSRF look-alike: OWA service call', input: iis('POST', '/owa/service.svc', 'action=GetFolder&app=Mail', { 'cs-username': 'CONTOSO\\alice', 'cs(User-Agent)': 'Mozilla/5.0' }), microsoft: false, exhunt: 'none' },
  { name: 'ProxyToken: canonical inbox rule on another mailbox', input: iis('POST', '/ecp/victim@contoso.com/RulesEditor/InboxRules.svc/NewObject', 'msExchEcpCanary=x', { 'cs(Cookie)': 'SecurityToken=x' }), microsoft: true, exhunt: 'flag' },
  { name: 'ProxyToken: @ percent-encoded', input: iis('POST', '/ecp/victim%40contoso.com/RulesEditor/InboxRules.svc/NewObject', 'msExchEcpCanary=x', { 'cs(Cookie)': 'SecurityToken=x' }), microsoft: false, exhunt: 'flag',
    why: 'the back end decodes %40; exhunt reads the path decoded' },
  { name: 'ProxyToken: HttpProxy (Ecp) log, no user', input: proxy({ UrlStem: '/ecp/victim@contoso.com/RulesEditor/InboxRules.svc/NewObject', UrlQuery: '?msExchEcpCanary=x', HttpStatus: '200' }), microsoft: false, exhunt: 'flag',
    why: 'HttpProxy logs no cookies, so the SecurityToken cookie cannot be seen; the unauthenticated cross-mailbox call can' },
  { name: 'ProxyToken look-alike: administrator\'s explicit logon', input: iis('POST', '/ecp/bob@contoso.com/RulesEditor/InboxRules.svc/GetList', 'msExchEcpCanary=x', { 'cs-username': 'CONTOSO\\admin', 'cs(User-Agent)': 'Mozilla/5.0' }), microsoft: false, exhunt: 'none' },
];

void describe('ProxyShell, ProxyNotShell, OWASSRF and ProxyToken parity', () => {
  for (const p of LATER) void test(p.name, () => checkProbe(p, logWant(p.input), msLater(p.input)));
});
