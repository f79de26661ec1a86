// Every built-in log rule: a positive line, and look-alikes that must not fire (scanners
// probing and getting 404, health probes, autodiscover traffic, legitimate admin changes).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import type { Severity } from '../../findings/types.js';
import type { LogFamily, LogRecord } from '../../parsers/types.js';
import { contentDir, loadBuiltinLogRules, ruleFiles, YAML_RULE_EXT } from '../../rules/load.js';
import { createLogMatcher, type LogMatcher } from './matcher.js';

let matcher: LogMatcher;
let ruleCount = 0;

before(async () => {
  const { rules, diagnostics } = await loadBuiltinLogRules();
  assert.deepEqual(diagnostics, []);
  ruleCount = rules.length;
  matcher = createLogMatcher(rules);
});

function iis(stem: string, query = '', extra: Record<string, string> = {}): LogRecord {
  const fields = {
    date: '2021-03-03', time: '06:49:42', 's-ip': '10.0.0.5', 'cs-method': 'GET', 'cs-uri-stem': stem,
    'cs-uri-query': query, 's-port': '443', 'cs-username': '', 'c-ip': '203.0.113.7',
    'cs(User-Agent)': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'cs(Referer)': '', 'sc-status': '200',
    'sc-substatus': '0', 'sc-win32-status': '0', 'time-taken': '15', 'client-ip': '203.0.113.7', ...extra,
  };
  return rec('iis', fields);
}

function proxy(extra: Record<string, string>): LogRecord {
  return rec('httpproxy', {
    DateTime: '2021-03-03T06:49:42.162Z', ClientIpAddress: '203.0.113.7', UrlHost: 'mail.contoso.com',
    UrlStem: '/owa/', UrlQuery: '', AuthenticatedUser: 'CONTOSO\\alice', AnchorMailbox: '',
    BackEndCookie: '', HttpStatus: '200', UserAgent: 'Mozilla/5.0', Method: 'GET', 'client-ip': '203.0.113.7', ...extra,
  });
}

function rec(source: LogFamily, fields: Record<string, string>): LogRecord {
  return { kind: 'log', source, time: '2021-03-03T06:49:42Z', fields, location: { path: 'x.log', line: 1 } };
}

/** Rule ids (without the `exhunt-` prefix) that fire, with severities. */
function fired(r: LogRecord): Record<string, Severity> {
  return Object.fromEntries(matcher.match(r).map((h) => [h.rule.meta.id.replace(/^exhunt-/, ''), h.severity]));
}

const ECP_SET = "S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/%TAG%'.Identity='a'";

interface Case {
  readonly name: string;
  readonly rec: () => LogRecord;
  readonly expect: Record<string, Severity>;
}

const CASES: Case[] = [
  // CVE-2021-26855
  { name: 'ServerInfo SSRF to ecp', rec: () => proxy({ AnchorMailbox: 'ServerInfo~a]@exch01.corp.local:444/ecp/proxyLogon.ecp?#', HttpStatus: '241', UrlStem: '/ecp/y.js', Method: 'POST' }), expect: { 'httpproxy-proxylogon-ssrf-serverinfo': 'critical', 'iis-hafnium-post-exploitation-request': 'high' } },
  { name: 'ServerInfo autodiscover with host confusion', rec: () => proxy({ AnchorMailbox: 'ServerInfo~a]@exch01:444/autodiscover/autodiscover.xml?#' }), expect: { 'httpproxy-proxylogon-ssrf-serverinfo': 'critical' } },
  { name: 'ServerInfo SSRF refused (4xx)', rec: () => proxy({ AnchorMailbox: 'ServerInfo~x]@exch01:444/mapi/emsmdb', HttpStatus: '400' }), expect: { 'httpproxy-proxylogon-ssrf-serverinfo': 'medium' } },
  { name: 'Microsoft exclusion: autodiscover', rec: () => proxy({ AnchorMailbox: 'ServerInfo~exch02.corp.local/autodiscover/autodiscover.xml' }), expect: {} },
  { name: 'Microsoft exclusion: localhost', rec: () => proxy({ AnchorMailbox: 'ServerInfo~localhost:444/ews/exchange.asmx' }), expect: {} },
  { name: 'normal anchor mailbox', rec: () => proxy({ AnchorMailbox: 'Smtp~alice@contoso.com' }), expect: {} },
  { name: 'BackEndCookie variant', rec: () => proxy({ BackEndCookie: 'Server~exch01.corp.local/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory~1941962753' }), expect: { 'httpproxy-proxylogon-ssrf-backendcookie': 'critical', 'httpproxy-proxylogon-ecp-reset-virtualdirectory': 'critical' } },
  { name: 'normal BackEndCookie', rec: () => proxy({ BackEndCookie: 'Database~5f2c1a0e-1111-2222-3333-444455556666~~2021-03-04T00:00:00' }), expect: {} },
  // CVE-2021-27065
  { name: 'Set-OabVirtualDirectory with script', rec: () => rec('ecp-server', { EventData: ECP_SET.replace('%TAG%', '<script language="JScript" runat="server">x</script>') }), expect: { 'ecp-server-proxylogon-virtualdirectory-markup': 'critical', 'ecp-server-virtualdirectory-change': 'low' } },
  { name: 'admin changes ExternalUrl legitimately', rec: () => rec('ecp-server', { EventData: ECP_SET.replace('%TAG%', 'OAB') }), expect: { 'ecp-server-virtualdirectory-change': 'low' } },
  { name: 'admin resets a virtual directory in ECP', rec: () => proxy({ UrlStem: '/ecp/DDI/DDIService.svc/SetObject', UrlQuery: '?schema=ResetOABVirtualDirectory&msExchEcpCanary=x', Method: 'POST' }), expect: {} },
  { name: 'reset virtual directory through the SSRF', rec: () => proxy({ UrlStem: '/ecp/y.js', AnchorMailbox: 'ServerInfo~a]@exch01:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=x', AuthenticatedUser: '', Method: 'POST' }), expect: { 'httpproxy-proxylogon-ssrf-serverinfo': 'critical', 'httpproxy-proxylogon-ecp-reset-virtualdirectory': 'critical', 'iis-hafnium-post-exploitation-request': 'high' } },
  { name: 'IIS: reset virtual directory as the machine account', rec: () => iis('/ecp/DDI/DDIService.svc/SetObject', 'schema=ResetOABVirtualDirectory&msExchEcpCanary=x', { 'cs-method': 'POST', 'cs-username': 'CONTOSO\\EXCH01$' }), expect: { 'httpproxy-proxylogon-ecp-reset-virtualdirectory': 'critical' } },
  { name: 'IIS: admin resets a virtual directory', rec: () => iis('/ecp/DDI/DDIService.svc/SetObject', 'schema=ResetOABVirtualDirectory&msExchEcpCanary=x', { 'cs-method': 'POST', 'cs-username': 'CONTOSO\\admin' }), expect: {} },
  // CVE-2021-26858
  { name: 'OAB temp file outside OAB folder', rec: () => rec('oab', { message: "2021-03-03T01:02:03.456Z Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx' needs to be removed." }), expect: { 'oab-proxylogon-temp-file-outside-oab': 'high' } },
  { name: 'OAB temp file in the OAB folder', rec: () => rec('oab', { message: "Download failed and temporary file 'D:\\Exchange\\ClientAccess\\OAB\\Temp\\a.tmp' needs to be removed." }), expect: {} },
  // HAFNIUM
  { name: 'POST to /ecp/y.js', rec: () => iis('/ecp/y.js', '', { 'cs-method': 'POST' }), expect: { 'iis-hafnium-post-exploitation-request': 'high' } },
  { name: 'POST to themes/resources', rec: () => iis('/owa/auth/Current/themes/resources/x.aspx', '', { 'cs-method': 'POST', 'sc-status': '404' }), expect: { 'iis-hafnium-post-exploitation-request': 'low', 'iis-webshell-post-aspnet-client-owa-auth': 'low' } },
  { name: 'GET of a stock theme resource', rec: () => iis('/owa/auth/Current/themes/resources/logon.css'), expect: {} },
  { name: 'crawler UA POSTing', rec: () => iis('/ecp/DDI/DDIService.svc/GetList', '', { 'cs-method': 'POST', 'cs(User-Agent)': 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)' }), expect: { 'iis-hafnium-user-agents': 'high' } },
  { name: 'real crawler GET', rec: () => iis('/owa/auth/logon.aspx', '', { 'cs(User-Agent)': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }), expect: {} },
  { name: 'exploit tooling UA', rec: () => iis('/ews/exchange.asmx', '', { 'cs(User-Agent)': 'python-requests/2.25.1' }), expect: { 'iis-proxylogon-exploit-user-agents': 'low' } },
  // ProxyShell
  { name: 'ProxyShell to mapi/nspi', rec: () => iis('/autodiscover/autodiscover.json', '@evil.corp/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.corp', { 'cs-method': 'POST' }), expect: { 'iis-proxyshell-autodiscover': 'critical' } },
  { name: 'ProxyShell to powershell (404 on patched)', rec: () => iis('/autodiscover/autodiscover.json', '@evil.corp/powershell/?X-Rps-CAT=x&Email=autodiscover/autodiscover.json%3F@evil.corp', { 'sc-status': '404' }), expect: { 'iis-proxyshell-autodiscover': 'low' } },
  { name: 'AutodiscoverV2 request', rec: () => iis('/autodiscover/autodiscover.json', 'Email=alice%40contoso.com&Protocol=ActiveSync&RedirectCount=1'), expect: {} },
  { name: 'AutodiscoverV2 path form', rec: () => iis('/autodiscover/autodiscover.json/v1.0/alice@contoso.com', 'Protocol=EWS'), expect: {} },
  { name: 'autodiscover.xml POST', rec: () => iis('/Autodiscover/Autodiscover.xml', '', { 'cs-method': 'POST' }), expect: {} },
  // ProxyNotShell
  { name: 'ProxyNotShell', rec: () => iis('/autodiscover/autodiscover.json', '@evil.com/owa/&Email=autodiscover/autodiscover.json%3F@evil.com&Protocol=XYZ&FooProtocol=Powershell', { 'cs-username': 'CONTOSO\\bob' }), expect: { 'iis-proxynotshell-autodiscover-powershell': 'critical', 'iis-proxyshell-autodiscover': 'critical' } },
  // OWASSRF
  { name: 'OWASSRF IIS', rec: () => iis('/owa/mastermailbox%40outlook.com/powershell', '', { 'cs-method': 'POST' }), expect: { 'iis-owassrf-owa-powershell': 'critical' } },
  { name: 'OWASSRF HttpProxy', rec: () => proxy({ UrlStem: '/owa/mastermailbox@outlook.com/powershell', Method: 'POST', HttpStatus: '500' }), expect: { 'iis-owassrf-owa-powershell': 'high' } },
  { name: 'OWA health probe', rec: () => iis('/owa/healthcheck.htm', '', { 'cs(User-Agent)': 'AMProbe/Local/ClientAccess' }), expect: {} },
  { name: 'Rps_Http with attacker UA', rec: () => rec('rps-http', { ClientInfo: 'python-requests/2.28.1', HttpStatus: '200' }), expect: { 'rps-http-owassrf-clientinfo': 'high' } },
  { name: 'Rps_Http failed attempt', rec: () => rec('rps-http', { ClientInfo: 'python-requests/2.28.1', HttpStatus: '500' }), expect: { 'rps-http-owassrf-clientinfo': 'low' } },
  { name: 'Rps_Http normal', rec: () => rec('rps-http', { ClientInfo: 'Microsoft WinRM Client', HttpStatus: '200' }), expect: {} },
  { name: 'Rps_Http probe', rec: () => rec('rps-http', { ClientInfo: 'Exchange BackEnd Probes', HttpStatus: '200' }), expect: {} },
  // ProxyToken
  { name: 'ProxyToken', rec: () => iis('/ecp/victim@contoso.com/RulesEditor/InboxRules.svc/NewObject', 'msExchEcpCanary=x', { 'cs-method': 'POST', 'cs(Cookie)': 'SecurityToken=x' }), expect: { 'iis-proxytoken-ecp-cross-mailbox': 'critical' } },
  { name: 'admin explicit logon to another mailbox', rec: () => iis('/ecp/bob@contoso.com/RulesEditor/InboxRules.svc/GetList', 'msExchEcpCanary=x', { 'cs-method': 'POST', 'cs-username': 'CONTOSO\\admin' }), expect: {} },
  // CVE-2020-0688
  { name: 'CVE-2020-0688 (500)', rec: () => iis('/ecp/default.aspx', '__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=%2FwEyhAYAAQAAAP', { 'sc-status': '500', 'cs-username': 'CONTOSO\\bob' }), expect: { 'iis-cve-2020-0688-ecp-viewstate': 'high' } },
  { name: 'ECP default page', rec: () => iis('/ecp/default.aspx', 'ExchClientVer=15'), expect: {} },
  // CVE-2021-28480 (researcher report)
  { name: 'POST to /owa/calendar/a...', rec: () => iis('/owa/calendar/a.js', '', { 'cs-method': 'POST' }), expect: { 'iis-cve-2021-28480-owa-calendar-post': 'high' } },
  { name: 'POST to /owa/calendar/a... answered 503', rec: () => iis('/owa/calendar/a.js', '', { 'cs-method': 'POST', 'sc-status': '503' }), expect: { 'iis-cve-2021-28480-owa-calendar-post': 'low' } },
  { name: 'published calendar GET', rec: () => iis('/owa/calendar/alice@contoso.com/0a1b2c/calendar.html'), expect: {} },
  // Web shells
  { name: 'POST to a new aspx in aspnet_client', rec: () => iis('/aspnet_client/system_web/x7Hd3k9L.aspx', '', { 'cs-method': 'POST' }), expect: { 'iis-webshell-post-aspnet-client-owa-auth': 'critical' } },
  { name: 'POST to a new ashx in owa/auth', rec: () => iis('/owa/auth/errorEE.ashx', '', { 'cs-method': 'POST' }), expect: { 'iis-webshell-post-aspnet-client-owa-auth': 'critical' } },
  { name: 'scanner probing a shell name: 404', rec: () => iis('/aspnet_client/shell.aspx', '', { 'cs-method': 'POST', 'sc-status': '404' }), expect: { 'iis-webshell-post-aspnet-client-owa-auth': 'low' } },
  { name: 'stock logon page', rec: () => iis('/owa/auth/logon.aspx', 'replaceCurrent=1', { 'cs-method': 'POST' }), expect: {} },
  { name: 'stock page, other case', rec: () => iis('/OWA/auth/ExpiredPassword.aspx', '', { 'cs-method': 'POST' }), expect: {} },
  { name: 'OWA form login', rec: () => iis('/owa/auth.owa', '', { 'cs-method': 'POST', 'sc-status': '302' }), expect: {} },
];

for (const c of CASES) {
  void test(`built-in rules: ${c.name}`, () => {
    assert.deepEqual(fired(c.rec()), c.expect);
  });
}

/** The line as the log writes it: W3C (spaces as `+`, empty as `-`) or CSV. */
function rawLine(r: LogRecord): string {
  const vals = Object.entries(r.fields).filter(([k]) => k !== 'client-ip').map(([, v]) => v);
  if (r.source === 'iis') return vals.map((v) => (v === '' ? '-' : v.replace(/ /g, '+'))).join(' ');
  if (r.source === 'oab') return r.fields.message ?? '';
  return vals.map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

void test('the line pre-screen admits every positive case', () => {
  for (const c of CASES) {
    const r = c.rec();
    if (Object.keys(c.expect).length === 0) continue;
    const screen = matcher.screenFor(r.source);
    if (screen === null) continue;
    const line = rawLine(r).toLowerCase();
    assert.ok(screen.needles.some((n) => line.includes(n)), `${c.name}: no needle in ${line}`);
    assert.ok(screen.terms.some((t) => t.every((p) => line.includes(p))), `${c.name}: no whole term in ${line}`);
  }
});

void test('every built-in rule has a positive case', () => {
  const positive = new Set(CASES.flatMap((c) => Object.keys(c.expect)));
  assert.equal(positive.size, ruleCount);
});

void test('built-in rules validate against rule.schema.json', async () => {
  const schema = JSON.parse(await readFile(join(contentDir(), 'rules', 'rule.schema.json'), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  for (const f of await ruleFiles(join(contentDir(), 'rules', 'logs'), YAML_RULE_EXT)) {
    const ok = validate(parse(await readFile(f, 'utf8')));
    assert.ok(ok, `${f}: ${JSON.stringify(validate.errors)}`);
  }
});
