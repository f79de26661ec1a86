import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, closeSync, ftruncateSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeed } from './feed.js';
import { FeedError, type Indicator } from './types.js';

const FIX = join(import.meta.dirname, '../../test/fixtures/iocs');
const H1 = '5dc48a95943339c0edd82482e54f3d7d7898df6629803a1d50ed05c2b5b9ec33';
const H2 = 'b147a9c4a49e0e7a6c8b1e7f1715379722ced62f9b8a356d43d324291998d400';
const M1 = '488cc56853a58f86dcbdc43ac62bd723';
const S1 = 'f6b123f4d8e7b285573b95ca4d7a8da9d9731bae';

const pairs = (l: readonly Indicator[]): string[] => l.map((i) => `${i.type} ${i.value}`).sort();

test('MSTIC CSV: sha256 and file paths, TLP White, duplicates once', async () => {
  const f = await readFeed(join(FIX, 'mstic.csv'));
  assert.equal(f.format, 'mstic-csv');
  assert.equal(f.name, 'mstic');
  assert.deepEqual(pairs(f.indicators), [
    'path program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/exhunt*.aspx',
    'path inetpub/wwwroot/aspnet_client/exhunt_test.aspx',
    `sha256 ${H1}`,
  ].sort());
  assert.ok(f.indicators.every((i) => i.tlp === 'clear' && i.feed === 'mstic'));
});

test('MSTIC JSON: AdditionalMetadata hashes become indicators too', async () => {
  const f = await readFeed(join(FIX, 'mstic.json'), { name: 'hafnium' });
  assert.equal(f.format, 'mstic-json');
  assert.deepEqual(pairs(f.indicators), [`md5 ${M1}`, 'path inetpub/wwwroot/aspnet_client/exhunt_test.aspx', `sha1 ${S1}`, `sha256 ${H1}`].sort());
  assert.ok(f.indicators.every((i) => i.feed === 'hafnium'));
});

test('MSTIC CSV, NOBELIUM column layout: quoted cells, extra SHA1 column, unknown types listed', async () => {
  const f = await readFeed(join(FIX, 'nobelium-style.csv'));
  assert.deepEqual(pairs(f.indicators), ['domain c2.exhunt-test.example', `sha1 ${S1}`, `sha256 ${H2}`,
    'url https://redirect.exhunt-test.example/tn.jsp?x'].sort());
  assert.deepEqual(f.unsupported, [{ sourceId: 'line 5', what: 'Mutex', reason: 'indicator type not applied by exhunt' }]);
});

test('STIX bundle: OR alternatives, TLP markings, confidence, expiry; unsupported patterns named', async () => {
  const f = await readFeed(join(FIX, 'stix-bundle.json'));
  assert.equal(f.format, 'stix');
  const by = new Map(f.indicators.map((i) => [`${i.type} ${i.value}`, i]));
  assert.equal(by.get(`sha256 ${H1}`)?.tlp, 'green');
  assert.equal(by.get(`sha256 ${H1}`)?.confidence, 85);
  assert.equal(by.get(`md5 ${M1}`)?.sourceId, 'indicator--00000000-0000-4000-8000-000000000001');
  assert.equal(by.get('ip 2001:db8::9')?.tlp, 'amber');
  assert.equal(by.get('ip 203.0.113.9')?.tlp, 'amber');
  assert.equal(by.get('domain evil.exhunt-test.example')?.tlp, 'amber', 'unmarked: the default');
  assert.equal(by.get('filename exhunt-test-shell.aspx')?.validUntil, '2021-06-01T00:00:00Z');
  assert.equal(by.get(`sha256 ${H2}`)?.tlp, 'red', 'marking defined in the bundle');
  assert.equal(f.indicators.length, 8);
  assert.deepEqual(f.unsupported.map((u) => u.sourceId.slice(-1)).sort(), ['5', '6', '7']);
});

test('MISP event: attributes, objects, composite types, tags; to_ids=false, decayed and unknown types skipped', async () => {
  const f = await readFeed(join(FIX, 'misp-event.json'));
  assert.equal(f.format, 'misp');
  assert.deepEqual(pairs(f.indicators), [`sha256 ${H2}`, 'ip 203.0.113.20', 'ip 203.0.113.21', 'domain misp.exhunt-test.example',
    'user-agent ExhuntTestAgent/1.0', 'url http://misp.exhunt-test.example/ecp/y.js', 'filename exhunt-obj.aspx', `md5 ${M1}`, `sha1 ${S1}`].sort());
  const url = f.indicators.find((i) => i.type === 'url');
  assert.equal(url?.tlp, 'amber');
  assert.equal(f.indicators.find((i) => i.type === 'sha256')?.tlp, 'green');
  assert.equal(f.indicators.find((i) => i.type === 'sha256')?.severity, 'high');
  assert.deepEqual(f.unsupported.map((u) => u.reason).sort(), ['attribute type not applied by exhunt', 'decayed', 'to_ids is false (context, not detection)']);
});

test('plain list: every kind told apart, IPv6 normalised, comments ignored', async () => {
  const f = await readFeed(join(FIX, 'plain.txt'), { tlp: 'green' });
  assert.equal(f.format, 'plain');
  assert.deepEqual(pairs(f.indicators), [`sha256 ${H2}`, `md5 ${M1}`, 'ip 203.0.113.7', 'ip 2001:db8::1', 'path inetpub/wwwroot/aspnet_client/*.aspx',
    'filename exhunt-test-shell.aspx', 'domain bad.exhunt-test.example', 'user-agent Mozilla/5.0 (exhunt-test)',
    'url http://bad.exhunt-test.example/owa/auth/x.js'].sort());
  assert.ok(f.indicators.every((i) => i.tlp === 'green'));
});

async function rejects(file: string, line: number | null, re: RegExp): Promise<void> {
  await assert.rejects(readFeed(join(FIX, file)), (e: unknown) => {
    assert.ok(e instanceof FeedError, String(e));
    assert.equal(e.line, line, e.message);
    assert.match(e.message, re);
    assert.ok(e.message.includes(file));
    return true;
  });
}

test('malformed feeds: clear errors naming file and line', async () => {
  await rejects('malformed-quote.csv', 3, /quoted field never closed/);
  await rejects('malformed-fields.csv', 3, /4 fields, header has 5/);
  await rejects('bad-hash.csv', 3, /not a valid sha256/);
  await rejects('malformed.json', 2, /malformed JSON/);
  await rejects('plain-bad.txt', 2, /cannot tell what/);
  await rejects('stix-bad-pattern.json', null, /indicator--0+-0000-4000-8000-000000000003: malformed STIX pattern/);
});

test('an oversized file is refused before it is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-ioc-'));
  const big = join(dir, 'huge.csv');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 2 * 1024 * 1024 * 1024);
  closeSync(fd);
  const t0 = Date.now();
  await assert.rejects(readFeed(big), /huge\.csv: feed is 2147483648 bytes, over the 209715200-byte limit/);
  assert.ok(Date.now() - t0 < 1000);
  rmSync(dir, { recursive: true, force: true });
});
