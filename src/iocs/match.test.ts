import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IocSet, iocFinding, loadIocSet } from './match.js';
import { importFeed } from './store.js';
import type { Indicator } from './types.js';

const FIX = join(import.meta.dirname, '../../test/fixtures/iocs');
const H1 = '5dc48a95943339c0edd82482e54f3d7d7898df6629803a1d50ed05c2b5b9ec33';
const M1 = '488cc56853a58f86dcbdc43ac62bd723';

const ind = (type: Indicator['type'], value: string, extra: Partial<Indicator> = {}): Indicator => ({ type, value, feed: 'f', tlp: 'green', ...extra });
const vals = (l: readonly Indicator[]): string[] => l.map((i) => i.value);

test('hashes: any case, each algorithm looked up under its own name', () => {
  const s = new IocSet([ind('sha256', H1), ind('md5', M1)]);
  assert.deepEqual(vals(s.matchHashes({ sha256: H1.toUpperCase() })), [H1]);
  assert.deepEqual(vals(s.matchHashes({ md5: M1, sha1: null, sha256: 'f'.repeat(64) })), [M1]);
  assert.deepEqual(s.matchHashes({ sha256: H1.replace(/.$/, '0') }), []);
  assert.deepEqual(s.matchHashes({}), []);
});

test('paths: Windows semantics, drive folder and collection prefix ignored, segment boundaries', () => {
  const s = new IocSet([
    ind('path', 'inetpub/wwwroot/aspnet_client/shell.aspx'),
    ind('path', 'program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/exhunt*.aspx'),
    ind('filename', 'exhunt-test-shell.aspx'),
    ind('filename', 'x?.ashx'),
  ]);
  assert.deepEqual(vals(s.matchPath('C/inetpub/wwwroot/aspnet_client/Shell.ASPX')), ['inetpub/wwwroot/aspnet_client/shell.aspx']);
  assert.equal(s.matchPath('C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx').length, 1);
  assert.equal(s.matchPath('/cases/42/C/inetpub/wwwroot/aspnet_client/shell.aspx').length, 1);
  assert.equal(s.matchPath('inetpub/wwwroot/aspnet_client/system_web/shell.aspx').length, 0, 'other folder');
  assert.equal(s.matchPath('C/xinetpub/wwwroot/aspnet_client/shell.aspx').length, 0, 'not at a segment boundary');
  assert.equal(s.matchPath('C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/ExhuntABC.aspx').length, 1);
  assert.equal(s.matchPath('C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/sub/exhuntABC.aspx').length, 0, '* stays in one segment');
  assert.equal(s.matchPath('D/anything/EXHUNT-TEST-SHELL.aspx').length, 1, 'file name on base name');
  assert.equal(s.matchPath('D/anything/exhunt-test-shell.aspx.bak').length, 0);
  assert.equal(s.matchPath('D/x1.ashx').length, 1);
  assert.equal(s.matchPath('D/x12.ashx').length, 0);
  const w = new IocSet([ind('path', 'program files/*/owa/auth/x?.aspx'), ind('path', 'aspnet_client/*.aspx')]);
  assert.equal(w.matchPath('C/Program Files/Exchange/owa/auth/x1.aspx').length, 1, 'wildcard in a folder');
  assert.equal(w.matchPath('C/Program Files/Exchange/V15/owa/auth/x1.aspx').length, 0, '* is one folder');
  assert.equal(w.matchPath('C/inetpub/wwwroot/aspnet_client/anything.aspx').length, 1);
  assert.equal(w.matchPath('C/inetpub/wwwroot/aspnet_client/system_web/anything.aspx').length, 0);
});

test('IPs: exact, IPv6 canonical, IPv4-mapped as IPv4', () => {
  const s = new IocSet([ind('ip', '203.0.113.7'), ind('ip', '2001:db8::1')]);
  assert.equal(s.matchIp('203.0.113.7').length, 1);
  assert.equal(s.matchIp('::ffff:203.0.113.7').length, 1);
  assert.equal(s.matchIp('2001:0DB8:0000::0001').length, 1);
  assert.equal(s.matchIp('203.0.113.70').length, 0);
  assert.equal(s.matchIp('not an ip').length, 0);
});

test('text fields: URL exact plus its host against domains; user agents with IIS "+"', () => {
  const s = new IocSet([ind('domain', 'bad.exhunt-test.example'), ind('url', 'http://x.exhunt-test.example/owa/a.js'), ind('user-agent', 'ExhuntTestAgent/1.0 (x)')]);
  assert.equal(s.matchText('domain', 'BAD.exhunt-test.example.').length, 1);
  assert.equal(s.matchText('domain', 'notbad.exhunt-test.example').length, 0);
  assert.equal(s.matchText('url', 'HTTP://x.exhunt-test.example/owa/a.js').length, 1);
  assert.equal(s.matchText('url', 'https://bad.exhunt-test.example/anything').length, 1);
  assert.equal(s.matchText('url', 'http://x.exhunt-test.example/owa/a.jsx').length, 0);
  assert.equal(s.matchText('user-agent', 'ExhuntTestAgent/1.0+(x)').length, 1);
  assert.equal(s.matchText('user-agent', 'ExhuntTestAgent/1.0').length, 0);
});

test('loadIocSet: stored feeds + --ioc files, expired left out, bad files listed not thrown', async () => {
  const root = mkdtempSync(join(tmpdir(), 'exhunt-iocmatch-'));
  const home = join(root, 'home');
  await importFeed(home, join(FIX, 'mstic.csv'));
  const r = await loadIocSet({ files: [join(FIX, 'stix-bundle.json'), join(FIX, 'bad-hash.csv')], home, asOf: '2026-11-27' });
  assert.deepEqual(r.feeds, ['mstic', 'stix-bundle']);
  assert.equal(r.expired, 1);
  assert.equal(r.set.matchPath('C/x/exhunt-test-shell.aspx').length, 0, 'valid_until 2021-06-01 has passed');
  assert.equal(r.set.matchHashes({ sha256: H1 }).length, 2, 'same hash in two feeds: both kept');
  assert.deepEqual(r.errors.map((e) => [e.line, /bad-hash\.csv$/.test(e.path)]), [[3, true]]);
  assert.equal(r.unsupported.length, 3);
  const early = await loadIocSet({ files: [join(FIX, 'stix-bundle.json')], home, asOf: '2021-05-01' });
  assert.equal(early.set.matchPath('C/x/exhunt-test-shell.aspx').length, 1);
  rmSync(root, { recursive: true, force: true });
});

test('iocFinding: contract fields, severity by type, confidence from the feed, stable id per feed', () => {
  const a = iocFinding(ind('sha256', H1, { confidence: 85, sourceId: 'indicator--1' }), { kind: 'file', path: 'C/inetpub/x.aspx', sha256: H1 });
  assert.equal(a.category, 'ioc');
  assert.equal(a.severity, 'high');
  assert.equal(a.confidence, 'high');
  assert.equal(a.ruleId, `ioc:sha256:${H1}`);
  assert.deepEqual(a.rule, { source: 'ioc', author: 'f', license: 'TLP:GREEN', refs: [] });
  assert.deepEqual(a.details, { indicator: H1, type: 'sha256', feed: 'f', tlp: 'green', confidence: 85, sourceId: 'indicator--1' });
  const b = iocFinding(ind('sha256', H1, { confidence: 85 }), { kind: 'file', path: 'inetpub/x.aspx' });
  assert.equal(a.id, b.id, 'drive-relative id');
  const c = iocFinding(ind('sha256', H1, { feed: 'other' }), { kind: 'file', path: 'inetpub/x.aspx' });
  assert.notEqual(a.id, c.id);
  const ip = iocFinding(ind('ip', '203.0.113.7'), { kind: 'log', path: 'C/inetpub/logs/u_ex1.log', line: 4 }, { time: '2021-03-03T01:02:03Z' });
  assert.equal(ip.severity, 'medium');
  assert.equal(ip.confidence, 'medium');
  assert.equal(ip.firstSeen, '2021-03-03T01:02:03Z');
  assert.equal(iocFinding(ind('ip', '203.0.113.7', { severity: 'high' }), ip.evidence).severity, 'high', 'the feed says otherwise');
});
