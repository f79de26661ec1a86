/** probeTarget against the recording fake Exchange: each method, each fallback, each error. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { makeCert, startFake, type FakeServer, type KeyPair, type Profile } from '../../test/fixtures/fingerprint/fake-exchange.js';
import { probeTarget } from './probe.js';
import { parseTarget } from './targets.js';
import type { FetchOptions, TargetSpec } from './types.js';

let pair: KeyPair;
const servers: FakeServer[] = [];

before(() => { pair = makeCert(20); });
after(async () => { await Promise.all(servers.map((s) => s.close())); });

function opts(extra: Partial<FetchOptions> = {}): FetchOptions {
  return { timeoutMs: 2000, retries: 0, backoffMs: 5, insecure: false, proxy: null, ca: pair.cert, userAgent: 'exhunt-test', ...extra };
}

function spec(url: string): TargetSpec {
  const s = parseTarget(url);
  assert.ok(typeof s !== 'string', s as string);
  return s;
}

async function fake(p: Profile, tls = true): Promise<FakeServer> {
  const s = await startFake(p, tls ? pair : null);
  servers.push(s);
  return s;
}

/** Every request any test made was on the allowed list, GET, without cookies or exploit shapes. */
function assertClean(s: FakeServer): void {
  assert.deepEqual(s.violations, []);
  for (const r of s.requests) {
    assert.equal(r.method, 'GET');
    assert.ok(!/autodiscover|@|\?/i.test(r.url), r.url);
    assert.ok(!r.headerNames.some((h) => /cookie|authorization|x-beresource|x-anonresource/i.test(h)), r.headerNames.join());
  }
}

const PRODUCTS: readonly [string, string, string][] = [
  ['2013', 'logon-2013.html', '15.0.1497.48'],
  ['2016', 'logon-2016.html', '15.1.2507.6'],
  ['2019', 'logon-2016.html', '15.2.1748.46'],
  ['SE', 'logon-2016.html', '15.2.2562.43'],
];

for (const [name, file, build] of PRODUCTS) {
  void test(`Exchange ${name}: the Current manifest gives the full build`, async () => {
    const s = await fake({ logon: { file, build }, current: build });
    const r = await probeTarget(spec(s.url), opts());
    assert.equal(r.reachable, true);
    assert.equal(r.build, build);
    assert.equal(r.buildMethod, 'ecp-manifest');
    assert.equal(r.partial, false);
    assert.equal(r.seen['logon-page'], build.split('.').slice(0, 3).join('.'));
    assert.equal(r.tls?.authorized, true);
    assert.match(r.tls?.subject ?? '', /CN=localhost/);
    const days = r.tls?.daysLeft ?? -1;
    assert.ok(days >= 18 && days <= 20, String(days));
    assert.deepEqual(s.requests.map((q) => q.url), ['/owa/auth/logon.aspx', '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application']);
    assertClean(s);
  });
}

void test('no Current folder: falls back to the versioned manifest path', async () => {
  const s = await fake({ logon: { file: 'logon-2016.html', build: '15.2.1748.46' }, current: null, versioned: '15.2.1748.46' });
  const r = await probeTarget(spec(s.url), opts());
  assert.equal(r.build, '15.2.1748.46');
  assert.equal(r.buildMethod, 'ecp-manifest-versioned');
  assert.equal(s.requests[2]?.url, '/ecp/15.2.1748/exporttool/microsoft.exchange.ediscovery.exporttool.application');
  assertClean(s);
});

void test('no manifest at all: the logon page paths give a 3-part build (CU only)', async () => {
  const s = await fake({ logon: { file: 'logon-2016.html', build: '15.1.2507.6' } });
  const r = await probeTarget(spec(s.url), opts());
  assert.equal(r.build, '15.1.2507');
  assert.equal(r.buildMethod, 'logon-page');
  assert.equal(r.partial, true);
  assert.equal(s.requests.length, 3);
  assertClean(s);
});

void test('header only: X-OWA-Version gives the build in one request', async () => {
  const s = await fake({ header: '14.3.513.0', logon: null });
  const r = await probeTarget(spec(s.url), opts());
  assert.equal(r.build, '14.3.513.0');
  assert.equal(r.buildMethod, 'x-owa-version');
  assert.equal(s.requests.length, 1);
  assertClean(s);
});

void test('Exchange 2010 logon page shows the full build in its paths', async () => {
  const s = await fake({ logon: { file: 'logon-2010.html', build: '14.3.389.1' } });
  const r = await probeTarget(spec(s.url), opts());
  assert.equal(r.build, '14.3.389.1');
  assert.equal(r.buildMethod, 'logon-page');
  assert.equal(r.partial, false);
});

void test('a plain web page is not Exchange; an OWA page without a build is no-build', async () => {
  const plain = await fake({});
  const r = await probeTarget(spec(plain.url), opts());
  assert.equal(r.reachable, true);
  assert.equal(r.error?.kind, 'not-exchange');
  assert.equal(r.build, null);
  assertClean(plain);
  const owa = await fake({ logon: { file: 'logon-2016.html', build: 'x.y.z' } });
  const r2 = await probeTarget(spec(owa.url), opts());
  assert.equal(r2.error?.kind, 'no-build');
});

void test('self-signed certificate: TLS error naming --insecure; accepted with insecure', async () => {
  const s = await fake({ logon: { file: 'logon-2016.html', build: '15.2.1748.46' }, current: '15.2.1748.46' });
  const r = await probeTarget(spec(s.url), opts({ ca: undefined }));
  assert.equal(r.reachable, false);
  assert.equal(r.error?.kind, 'tls');
  assert.match(r.error?.message ?? '', /--insecure/);
  assert.equal(s.requests.length, 0);
  const ok = await probeTarget(spec(s.url), opts({ ca: undefined, insecure: true }));
  assert.equal(ok.build, '15.2.1748.46');
  assert.equal(ok.tls?.authorized, false);
  assert.ok(ok.tls?.authorizationError);
});

void test('redirects: same host followed, another host refused', async () => {
  const same = await fake({ redirectLogon: '/owa/?bO=1', logon: { file: 'logon-2016.html', build: '15.2.1748.46' }, current: '15.2.1748.46' });
  const r = await probeTarget(spec(same.url), opts());
  assert.equal(r.build, '15.2.1748.46');
  assert.equal(same.requests[1]?.url, '/owa/');
  assertClean(same);
  const away = await fake({ redirectLogon: 'https://elsewhere.invalid/owa/auth/logon.aspx' });
  const r2 = await probeTarget(spec(away.url), opts());
  assert.equal(r2.reachable, true);
  assert.equal(r2.error?.kind, 'redirect');
  assert.match(r2.error?.message ?? '', /elsewhere\.invalid/);
  assert.ok(away.requests.every((q) => !q.url.includes('elsewhere')));
});

void test('timeout, refused port, DNS failure', async () => {
  const hang = await fake({ hang: true });
  const t = await probeTarget(spec(hang.url), opts({ timeoutMs: 200 }));
  assert.equal(t.error?.kind, 'timeout');
  assert.equal(t.reachable, false);

  const probe = createServer();
  await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((res) => probe.close(() => res()));
  const refused = await probeTarget(spec(`https://127.0.0.1:${port}`), opts({ retries: 1 }));
  assert.equal(refused.error?.kind, 'refused');

  const dns = await probeTarget(spec('https://exhunt-fingerprint-test.invalid'), opts());
  assert.equal(dns.error?.kind, 'dns');
});

void test('retries: 5xx answers are retried with backoff, then the build is read', async () => {
  const s = await fake({ failFirst: 2, logon: { file: 'logon-2016.html', build: '15.2.1748.46' }, current: '15.2.1748.46' });
  const r = await probeTarget(spec(s.url), opts({ retries: 2 }));
  assert.equal(r.build, '15.2.1748.46');
  assert.deepEqual(s.requests.slice(0, 3).map((q) => q.url), ['/owa/auth/logon.aspx', '/owa/auth/logon.aspx', '/owa/auth/logon.aspx']);
  const none = await fake({ failFirst: 100, logon: { file: 'logon-2016.html', build: '15.2.1748.46' } });
  const r2 = await probeTarget(spec(none.url), opts({ retries: 1 }));
  assert.equal(r2.error?.kind, 'not-exchange');
  assert.equal(none.requests.length, 4); // two paths, two attempts each: bounded
});

void test('a manifest request that times out leaves the logon-page build and a note', async () => {
  const s = await fake({ logon: { file: 'logon-2016.html', build: '15.2.1748.46' }, current: '15.2.1748.46', hangPrefix: '/ecp/' });
  const r = await probeTarget(spec(s.url), opts({ timeoutMs: 300 }));
  assert.equal(r.build, '15.2.1748');
  assert.equal(r.buildMethod, 'logon-page');
  assert.equal(r.notes?.length, 2);
  assert.match(r.notes?.[0] ?? '', /Current.*did not answer/);
});

void test('a trusted certificate for another name is a TLS error', async () => {
  const other = makeCert(20, 'DNS:localhost');
  const s = await startFake({ logon: { file: 'logon-2016.html', build: '15.2.1748.46' } }, other);
  servers.push(s);
  const r = await probeTarget(spec(s.url), opts({ ca: other.cert }));
  assert.equal(r.error?.kind, 'tls');
  assert.match(r.error?.message ?? '', /127\.0\.0\.1/);
  const ok = await probeTarget(spec(s.url.replace('127.0.0.1', 'localhost')), opts({ ca: other.cert }));
  assert.equal(ok.tls?.authorized, true);
});
