import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ParseIssue } from '../parsers/types.js';
import { discoverSources } from './discover.js';
import { discoveryItems } from './discovery-items.js';
import { openEvidenceRoot } from './root.js';
import { outermostDirs, walkOptions, walkPlaces } from './sources.js';
import { walkFiles } from './walk.js';

const base = mkdtempSync(path.join(tmpdir(), 'exhunt-discover-'));
after(() => rmSync(base, { recursive: true, force: true }));
const appHostFixture = new URL('../../test/fixtures/evidence/applicationHost.config', import.meta.url);

/** Creates `entries` below a new folder: names ending in `/` are folders, others small files. */
function tree(name: string, entries: readonly string[]): string {
  const dir = path.join(base, name);
  mkdirSync(dir, { recursive: true });
  for (const e of entries) {
    const abs = path.join(dir, e);
    if (e.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, 'x');
    }
  }
  return dir;
}

const EX = 'C/Program Files/Microsoft/Exchange Server/V15';

function kapeTree(): string {
  const dir = tree('kape', [
    `${EX}/Bin/ExSetup.exe`,
    'C/Windows/System32/config/SYSTEM',
    `${EX}/Logging/HttpProxy/Owa/HttpProxy_2021030101-1.LOG`,
    `${EX}/Logging/HttpProxy/Autodiscover/`,
    `${EX}/Logging/HttpProxy/notes.txt`,
    `${EX}/Logging/ECP/Server/`,
    `${EX}/Logging/ECP/Activity/`,
    `${EX}/Logging/OABGeneratorLog/`,
    `${EX}/Logging/CmdletInfra/Powershell-Proxy/Http/`,
    `${EX}/Logging/CmdletInfra/Powershell-Proxy/Cmdlet/`,
    `${EX}/Logging/CmdletInfra/Powershell-Proxy/AuthZ/`,
    `${EX}/Logging/CmdletInfra/LocalPowerShell/Cmdlet/`,
    `${EX}/FrontEnd/HttpProxy/owa/auth/`,
    `${EX}/FrontEnd/HttpProxy/ecp/`,
    `${EX}/FrontEnd/HttpProxy/ReportingWebService/`,
    `${EX}/ClientAccess/Owa/`,
    `${EX}/ClientAccess/ecp/`,
    'C/inetpub/wwwroot/aspnet_client/',
    'C/inetpub/logs/LogFiles/W3SVC1/u_ex210301.log',
    'C/inetpub/logs/LogFiles/W3SVC1.bak/',
    'D/IISLogs/W3SVC2/u_ex210301.log',
    'C/Windows/System32/inetsrv/config/',
    'C/Windows/System32/winevt/Logs/Security.evtx',
    'C/Windows/System32/winevt/Logs/MSExchange Management.evtx',
    'C/Windows/System32/winevt/Logs/readme.txt',
    'C/Windows/Temp/',
    'C/ProgramData/COM1/',
    'C/ProgramData/aux.txt/',
    'C/ProgramData/COM10/',
    'C/ProgramData/CONFIG/',
    'C/Users/Public/',
    'hklm-exchange.reg',
    'C/exchange-setup.REG',
    'C/Windows/not-searched.reg',
  ]);
  copyFileSync(appHostFixture, path.join(dir, 'C/Windows/System32/inetsrv/config/applicationHost.config'));
  return dir;
}

async function discover(dir: string, exchangePath?: string) {
  const errors: ParseIssue[] = [];
  const root = await openEvidenceRoot(dir);
  const sources = await discoverSources(root, { onError: (e) => errors.push(e), ...(exchangePath ? { exchangePath } : {}) });
  return { sources, errors, root };
}

void describe('discoverSources on a KAPE tree with applicationHost.config', async () => {
  const { sources: s, errors } = await discover(kapeTree());
  const ev = (xs: readonly { evidencePath: string }[]) => xs.map((x) => x.evidencePath);

  void it('finds the Exchange install and ExSetup.exe', () => {
    assert.equal(s.exchange?.evidencePath, EX);
    assert.equal(s.exchange?.version, 'V15');
    assert.equal(s.exchange?.foundBy, 'folder');
    assert.equal(s.exchange?.winPath, 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\');
    assert.equal(s.exsetup?.evidencePath, `${EX}/Bin/ExSetup.exe`);
    assert.deepEqual(errors, []);
  });

  void it('finds each Exchange log family, and nothing else below CmdletInfra', () => {
    assert.deepEqual(
      s.exchangeLogDirs.map((d) => [d.family, d.name]),
      [
        ['httpproxy', 'Autodiscover'],
        ['httpproxy', 'Owa'],
        ['ecp-server', 'ECP/Server'],
        ['ecp-activity', 'ECP/Activity'],
        ['oab', 'OABGeneratorLog'],
        ['rps-cmdlet', 'LocalPowerShell/Cmdlet'],
        ['rps-cmdlet', 'Powershell-Proxy/Cmdlet'],
        ['rps-http', 'Powershell-Proxy/Http'],
      ],
    );
  });

  void it('takes IIS log folders from applicationHost.config, on any drive, and the defaults', () => {
    assert.deepEqual(
      s.iisLogDirs.map((d) => [d.evidencePath, d.siteId, d.site, d.origin]),
      [
        ['C/inetpub/logs/LogFiles/W3SVC1', 1, 'Default Web Site', 'applicationHost'],
        ['D/IISLogs/W3SVC2', 2, 'Exchange Back End', 'applicationHost'],
      ],
    );
  });

  void it('maps virtual directories to folders, then adds default folders not inside one', () => {
    const owa = s.webDirs.find((w) => w.virtualPath === '/owa' && w.site === 'Default Web Site');
    assert.equal(owa?.evidencePath, `${EX}/FrontEnd/HttpProxy/owa`);
    const beEcp = s.webDirs.find((w) => w.virtualPath === '/ecp' && w.site === 'Exchange Back End');
    assert.equal(beEcp?.evidencePath, `${EX}/ClientAccess/ecp`);
    assert.ok(ev(s.webDirs).includes('C/inetpub/wwwroot'));
    const extra = s.webDirs.filter((w) => w.origin === 'default');
    assert.deepEqual(ev(extra), [`${EX}/FrontEnd/HttpProxy/ReportingWebService`]);
    assert.deepEqual(ev(outermostDirs(s.webDirs)).sort(), [
      `${EX}/ClientAccess`,
      `${EX}/FrontEnd/HttpProxy/ReportingWebService`,
      `${EX}/FrontEnd/HttpProxy/ecp`,
      `${EX}/FrontEnd/HttpProxy/owa`,
      'C/inetpub/wwwroot',
    ]);
  });

  void it('lists event logs, artifact folders (device names only) and .reg exports', () => {
    assert.deepEqual(ev(s.evtxFiles), [
      'C/Windows/System32/winevt/Logs/MSExchange Management.evtx',
      'C/Windows/System32/winevt/Logs/Security.evtx',
    ]);
    assert.deepEqual(s.artifactDirs.map((a) => [a.evidencePath, a.kind]), [
      ['C', 'drive-root'],
      ['C/ProgramData', 'programdata'],
      ['C/ProgramData/COM1', 'device-name'],
      ['C/ProgramData/aux.txt', 'device-name'],
      ['C/Windows/Temp', 'windows-temp'],
      ['C/Users/Public', 'users-public'],
    ]);
    assert.deepEqual(ev(s.regFiles), ['hklm-exchange.reg', 'C/exchange-setup.REG']);
    assert.equal(s.appHost?.evidencePath, 'C/Windows/System32/inetsrv/config/applicationHost.config');
    assert.equal(s.appHost?.config?.globalModules.length, 4);
  });

  void it('summarises what was found', () => {
    const items = discoveryItems(s);
    assert.ok(items.every((i) => i.found));
    const logs = items.find((i) => i.kind === 'exchange-logs');
    assert.equal(logs?.count, 8);
    assert.equal(logs?.paths.length, 5);
    assert.equal(logs?.note, undefined);
  });
});

void describe('discoverSources without applicationHost.config', () => {
  function regExport(installPath: string): Buffer {
    const text = [
      'Windows Registry Editor Version 5.00',
      '',
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup]',
      `"MsiInstallPath"="${installPath.replace(/\\/g, '\\\\')}"`,
      '"MsiProductMajor"=dword:0000000f',
      '',
    ].join('\r\n');
    return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  }

  void it('finds a custom install folder from a registry export, and default web folders', async () => {
    const dir = tree('drive-reg', [
      'Exchange/Bin/',
      'Exchange/FrontEnd/HttpProxy/owa/',
      'Exchange/Logging/HttpProxy/Ecp/',
      'inetpub/wwwroot/',
      'inetpub/logs/LogFiles/W3SVC1/',
      'Windows/',
      'root/',
      'PerfLogs/',
    ]);
    writeFileSync(path.join(dir, 'exchange-setup.reg'), regExport('C:\\Exchange\\'));
    const { sources: s, errors } = await discover(dir);
    assert.deepEqual(errors, []);
    assert.equal(s.exchange?.evidencePath, 'Exchange');
    assert.equal(s.exchange?.foundBy, 'registry');
    assert.equal(s.appHost, null);
    assert.deepEqual(s.iisLogDirs.map((d) => [d.evidencePath, d.origin, d.site]), [['inetpub/logs/LogFiles/W3SVC1', 'default', null]]);
    assert.deepEqual(s.webDirs.map((w) => [w.evidencePath, w.origin]), [
      ['inetpub/wwwroot', 'default'],
      ['Exchange/FrontEnd/HttpProxy/owa', 'default'],
    ]);
    // C:\root is where Test-ProxyLogon looks for LSASS dumps (with Windows\Temp): walked in full.
    assert.deepEqual(s.artifactDirs.map((a) => a.kind), ['drive-root', 'root-folder', 'perflogs']);
    const items = discoveryItems(s);
    assert.match(items.find((i) => i.kind === 'build')?.note ?? '', /no Bin\/ExSetup\.exe/);
    assert.match(items.find((i) => i.kind === 'exchange-logs')?.note ?? '', /not found: ECP Server, ECP Activity/);
    assert.match(items.find((i) => i.kind === 'evtx')?.note ?? '', /no event logs/);
  });

  void it('takes --exchange-path as a Windows or relative path, and says when it is not there', async () => {
    const dir = tree('drive-opt', ['Exch/Logging/OABGeneratorLog/', 'Program Files/']);
    assert.equal((await discover(dir, 'c:\\EXCH')).sources.exchange?.evidencePath, 'Exch');
    assert.equal((await discover(dir, 'exch')).sources.exchange?.foundBy, 'option');
    const missing = await discover(dir, 'D:\\Nowhere');
    assert.equal(missing.sources.exchange, null);
    assert.deepEqual(missing.errors.map((e) => e.path), ['D:\\Nowhere']);
  });

  void it('reports a broken applicationHost.config in one line and falls back to the defaults', async () => {
    const dir = tree('bad-apphost', ['Windows/System32/inetsrv/config/', 'inetpub/wwwroot/']);
    writeFileSync(path.join(dir, 'Windows/System32/inetsrv/config/applicationHost.config'), '<configuration><sites>');
    const { sources: s, errors } = await discover(dir);
    assert.equal(s.appHost?.config, null);
    assert.equal(errors[0]?.path, 'Windows/System32/inetsrv/config/applicationHost.config');
    assert.match(errors[0]?.message ?? '', /^applicationHost\.config is not well-formed XML/);
    assert.deepEqual(s.webDirs.map((w) => w.evidencePath), ['inetpub/wwwroot']);
    const items = discoveryItems(s);
    assert.equal(items.find((i) => i.kind === 'iis-config')?.note, 'could not be read; default locations were used');
    assert.equal(items.find((i) => i.kind === 'exchange-install')?.found, false);
    assert.match(items.find((i) => i.kind === 'iis-logs')?.note ?? '', /^no IIS logs: exploitation of the web front end cannot be judged/);
  });
});

void describe('walkPlaces', () => {
  void it('walks the drive root itself to depth 0, skipping the system files there, and keeps folders below it', async () => {
    const dir = tree('walk-drive-root', [
      'C/Program Files/Microsoft/Exchange Server/V15/Bin/',
      'C/inetpub/wwwroot/aspnet_client/',
      'C/ProgramData/',
      'C/out.zip',
      'C/$MFT',
      'C/pagefile.sys',
      'C/inetpub/wwwroot/aspnet_client/x.aspx',
      'C/ProgramData/p.7z',
    ]);
    const { sources } = await discover(dir);
    const places = walkPlaces(sources);
    const root = places.find((p) => p.evidencePath === 'C');
    assert.equal(root?.maxDepth, 0);
    assert.ok(places.some((p) => p.evidencePath === 'C/ProgramData'), 'the drive root does not swallow the folders below it');
    const ev = await discover(dir);
    const files: string[] = [];
    for (const p of walkPlaces(ev.sources)) {
      for await (const f of walkFiles(ev.root, p.abs, walkOptions(p, () => undefined))) files.push(f.path);
    }
    assert.deepEqual(files.sort(), ['C/ProgramData/p.7z', 'C/inetpub/wwwroot/aspnet_client/x.aspx', 'C/out.zip']);
  });
});
