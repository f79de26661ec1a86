/** The fleet client's transport: TLS trust (--ca, --insecure, the hint), the CONNECT proxy, the deadline. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeCert } from '../../test/fixtures/fingerprint/fake-exchange.js';
import { startProxy, type FakeProxy } from '../../test/fixtures/fingerprint/connect-proxy.js';
import { ClientError, request, type ClientOptions } from './http-client.js';
import { startFakeFleet, type FakeFleet } from './testing/fake-fleet.js';

const BASE: ClientOptions = { insecure: false, timeoutMs: 3000, proxy: null, userAgent: 'exhunt-test' };
const pair = makeCert(20);
let tls: FakeFleet;
let proxy: FakeProxy;
let hang: Server;
let hangUrl = '';

before(async () => {
  tls = await startFakeFleet({ tls: pair });
  proxy = await startProxy();
  hang = createServer(() => undefined);
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
});
after(async () => {
  await Promise.all([tls.close(), proxy.close()]);
  hang.closeAllConnections();
  await new Promise<void>((r) => hang.close(() => r()));
});

const enrolUrl = (base: string): URL => new URL('/api/v1/agents/enroll', base);
const body = Buffer.from(JSON.stringify({ token: 'exe_good', hostname: 'EX01' }));

test('a self-signed server certificate is refused, and the error says how to trust it', async () => {
  await assert.rejects(request('POST', enrolUrl(tls.url), body, {}, BASE), (e: unknown) => {
    assert.ok(e instanceof ClientError);
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /--ca FILE/);
    assert.match(e.message, /--insecure/);
    return true;
  });
});

test('--ca trusts the server; --insecure accepts it unchecked', async () => {
  const a = await request('POST', enrolUrl(tls.url), body, {}, { ...BASE, ca: pair.cert });
  assert.equal(a.status, 201);
  assert.match((a.json as { credential: string }).credential, /^exa_/);
  const b = await request('POST', enrolUrl(tls.url), body, {}, { ...BASE, insecure: true });
  assert.equal(b.status, 201);
});

test('through an HTTP proxy: a CONNECT tunnel to the server; NO_PROXY hosts go direct', async () => {
  const r = await request('POST', enrolUrl(tls.url), body, {}, { ...BASE, ca: pair.cert, proxy: proxy.url });
  assert.equal(r.status, 201);
  const port = new URL(tls.url).port;
  assert.deepEqual(proxy.seen, [`CONNECT 127.0.0.1:${port}`]);
  await request('POST', enrolUrl(tls.url), body, {}, { ...BASE, ca: pair.cert, proxy: proxy.url, noProxy: ['127.0.0.1'] });
  assert.equal(proxy.seen.length, 1);
});

test('refused connection and a server that never answers are clear errors', async () => {
  await assert.rejects(request('GET', new URL('http://127.0.0.1:9/'), null, {}, BASE), /connection refused by 127\.0\.0\.1:9/);
  await assert.rejects(request('GET', new URL(hangUrl), null, {}, { ...BASE, timeoutMs: 200 }), (e: unknown) => e instanceof ClientError && e.kind === 'timeout' && /did not answer GET \/ within 0\.2s/.test(e.message));
});
