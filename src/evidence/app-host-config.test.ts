import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppHostConfigError, parseAppHostConfig } from './app-host-config.js';

const fixture = readFileSync(new URL('../../test/fixtures/evidence/applicationHost.config', import.meta.url), 'utf8');

void describe('parseAppHostConfig', () => {
  const conf = parseAppHostConfig(fixture);

  void it('reads sites, ids and log folders (site setting, else siteDefaults)', () => {
    assert.deepEqual(
      conf.sites.map((s) => [s.name, s.id, s.logDirectory]),
      [
        ['Default Web Site', 1, '%SystemDrive%\\inetpub\\logs\\LogFiles'],
        ['Exchange Back End', 2, 'D:\\IISLogs'],
      ],
    );
    assert.equal(conf.defaultLogDirectory, '%SystemDrive%\\inetpub\\logs\\LogFiles');
    assert.equal(conf.centralLogFileMode, 'Site');
    assert.deepEqual(conf.sites[1]?.bindings, ['https *:444:', 'http *:81:']);
  });

  void it('reads virtual directories with their URL paths and physical paths as written', () => {
    const fe = conf.virtualDirectories.filter((v) => v.site === 'Default Web Site').map((v) => v.virtualPath);
    assert.deepEqual(fe, [
      '/', '/aspnet_client', '/owa', '/ecp', '/EWS', '/OAB', '/Autodiscover', '/mapi',
      '/Microsoft-Server-ActiveSync', '/PowerShell', '/Rpc',
    ]);
    const owa = conf.virtualDirectories.find((v) => v.site === 'Default Web Site' && v.virtualPath === '/owa');
    assert.equal(owa?.physicalPath, '%ExchangeInstallPath%FrontEnd\\HttpProxy\\owa');
    assert.equal(owa?.siteId, 1);
    const be = conf.virtualDirectories.find((v) => v.siteId === 2 && v.virtualPath === '/mapi/emsmdb');
    assert.equal(be?.physicalPath, '%ExchangeInstallPath%ClientAccess\\mapi\\emsmdb');
    assert.equal(be?.applicationPool, 'MSExchangeMapiMailboxAppPool');
  });

  void it('lists native and managed modules, with the <location> they sit in', () => {
    assert.deepEqual(conf.globalModules.map((m) => m.name), ['UriCacheModule', 'HttpLoggingModule', 'ManagedEngineV4.0_64bit', 'Exppw']);
    assert.equal(conf.globalModules[0]?.image, '%windir%\\System32\\inetsrv\\cachuri.dll');
    const owaModule = conf.modules.find((m) => m.location === 'Default Web Site/owa');
    assert.equal(owaModule?.name, 'Exchange OWA Proxy & Auth');
    assert.equal(owaModule?.type, 'Microsoft.Exchange.HttpProxy.ProxyModule');
    assert.ok(!conf.modules.some((m) => m.name === 'WebDAVModule'), '<remove> is not a module');
  });

  void it('does not expand entities (billion laughs stays small and fast)', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE configuration [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">',
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
      '<configuration><system.applicationHost><sites>',
      '<site name="&d;" id="1"><application path="/"><virtualDirectory path="/" physicalPath="&d;" /></application></site>',
      '</sites></system.applicationHost></configuration>',
    ].join('\n');
    const started = Date.now();
    const c = parseAppHostConfig(lol);
    assert.ok(Date.now() - started < 1000);
    assert.equal(c.sites[0]?.name, '&d;');
    assert.equal(c.virtualDirectories[0]?.physicalPath, '&d;');
  });

  void it('ignores prototype-polluting names and odd shapes', () => {
    const c = parseAppHostConfig(
      '<configuration><system.applicationHost><sites><site name="x" id="-1" __proto__="p">' +
        '<application><virtualDirectory path="/" /></application><logFile/></site>' +
        '<siteDefaults>text</siteDefaults></sites></system.applicationHost></configuration>',
    );
    assert.equal(c.sites[0]?.id, null);
    assert.equal(c.sites[0]?.logDirectory, null);
    assert.deepEqual(c.virtualDirectories, []);
    assert.equal(({} as Record<string, unknown>)['p'], undefined);
  });

  void it('rejects what is not a well-formed config in one line', () => {
    assert.throws(() => parseAppHostConfig('<configuration><sites></configuration>'), (e: unknown) => {
      assert.ok(e instanceof AppHostConfigError);
      assert.match(e.message, /^applicationHost\.config is not well-formed XML \(line 1: /);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    assert.throws(() => parseAppHostConfig('<other/>'), /has no <configuration> element/);
    assert.throws(() => parseAppHostConfig('MZ\u0090\u0000binary'), AppHostConfigError);
  });
});
