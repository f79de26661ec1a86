/**
 * Requests that may not send a body are answered before it is read: over a real loopback socket
 * the client declares a 31 MB body, sends only the first 64 KB and waits. The server answers at
 * once (anonymous: 401, or a redirect to the login for pages; wrong role: 403; declared size over
 * the limit: 413; too many upload bytes in flight: 503) and closes the connection — had it tried
 * to read the body, no answer would come. Sign-in and enrolment still take anonymous bodies.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { syntheticReport } from '../store/seed.js';
import { createHarness, type Harness } from './testing/harness.js';

const DECLARED = 31 * 1024 * 1024;

interface RawAnswer { readonly status: number; readonly head: string; readonly closed: boolean }

/**
 * Sends `head` (request line and headers, without the blank line) with `Content-Length: declared`
 * and `sent` bytes of body, then waits for the answer's head and for the server to close. A
 * safety limit (30 s) fails the test instead of hanging it when no answer comes.
 */
function rawRequest(port: number, head: string, declared: number, sent: number, keepOpen?: (finish: () => void) => void): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let data = '';
    let status = 0;
    const fail = setTimeout(() => { sock.destroy(); reject(new Error(`no answer within 30 s; got ${JSON.stringify(data.slice(0, 200))}`)); }, 30_000);
    sock.on('error', () => {}); // a reset after the answer is fine; the answer is what is tested
    sock.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m !== null) status = Number(m[1]);
    });
    sock.on('close', () => {
      clearTimeout(fail);
      resolve({ status, head: data.split('\r\n\r\n')[0] ?? '', closed: true });
    });
    sock.write(`${head}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
    sock.write(Buffer.alloc(sent, 0x20));
    keepOpen?.(() => { sock.write(Buffer.alloc(declared - sent, 0x20)); });
  });
}

describe('bodies are refused before they are read', () => {
  let h: Harness;
  let port = 0;
  before(async () => {
    const made = await createHarness('sqlite', { maxUploadBytes: 256 * 1024, uploadBudgetBytes: 300 * 1024 });
    if (made === null) throw new Error('no harness');
    h = made;
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const a = h.app.server.address();
    port = typeof a === 'object' && a !== null ? a.port : 0;
  });
  after(async () => { await h.close(); });

  it('anonymous upload: 401 and the connection closed, the body unread', async () => {
    const r = await rawRequest(port, 'POST /api/v1/reports HTTP/1.1', DECLARED, 64 * 1024);
    assert.equal(r.status, 401);
    assert.match(r.head, /\r\nconnection: close/i);
  });
  it('an unknown or revoked agent credential is anonymous', async () => {
    const r = await rawRequest(port, `POST /api/v1/reports HTTP/1.1\r\nAuthorization: Bearer exa_${'0'.repeat(40)}`, DECLARED, 64 * 1024);
    assert.equal(r.status, 401);
  });
  it('any other API route and any page: refused the same way', async () => {
    assert.equal((await rawRequest(port, 'POST /api/v1/users HTTP/1.1', DECLARED, 64 * 1024)).status, 401);
    assert.equal((await rawRequest(port, 'PATCH /api/v1/findings HTTP/1.1', DECLARED, 64 * 1024)).status, 401);
    assert.equal((await rawRequest(port, 'POST /api/v1/no-such-route HTTP/1.1', DECLARED, 64 * 1024)).status, 401);
    const page = await rawRequest(port, 'POST /admin HTTP/1.1', DECLARED, 64 * 1024);
    assert.equal(page.status, 302);
    assert.match(page.head, /\r\nlocation: \/login/i);
  });
  it('a viewer may not upload: 403 before the body', async () => {
    const s = h.sessions.viewer;
    const r = await rawRequest(port, `POST /api/v1/reports HTTP/1.1\r\nCookie: exhunt_session=${s.cookie}\r\nX-CSRF-Token: ${s.csrf}`, DECLARED, 64 * 1024);
    assert.equal(r.status, 403);
  });
  it('an agent declaring more than the limit: 413 before the body', async () => {
    const r = await rawRequest(port, `POST /api/v1/reports HTTP/1.1\r\nAuthorization: Bearer ${h.agent.credential}`, DECLARED, 64 * 1024);
    assert.equal(r.status, 413);
  });
  it('upload bytes in flight are bounded: 503 with Retry-After while another upload is being received', async () => {
    const auth = `Authorization: Bearer ${h.agent.credential}`;
    let finishFirst = (): void => {};
    const first = rawRequest(port, `POST /api/v1/reports HTTP/1.1\r\n${auth}\r\nConnection: close`, 200 * 1024, 1024, (f) => { finishFirst = f; });
    // The first upload is admitted once its head is in; poll with a second until it is refused.
    let second: RawAnswer | null = null;
    for (let i = 0; i < 200 && second?.status !== 503; i++) {
      // Sent in full with Connection: close, so that an admitted one is answered (400) and closed.
      second = await rawRequest(port, `POST /api/v1/reports HTTP/1.1\r\n${auth}\r\nConnection: close`, 200 * 1024, 200 * 1024);
    }
    assert.equal(second?.status, 503);
    assert.match(second?.head ?? '', /\r\nretry-after: 30/i);
    finishFirst();
    assert.equal((await first).status, 400, 'the first upload was received in full and checked (spaces are not JSON)');
    const body = JSON.stringify(syntheticReport(9, { findings: 1 }));
    const third = await h.as('agent', { method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: body });
    assert.equal(third.statusCode, 201, 'room again once the first is answered');
  });
  it('sign-in and enrolment take anonymous bodies', async () => {
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { name: 'viewer', password: 'wrong password here' }, remoteAddress: '192.0.2.77' });
    assert.equal(login.statusCode, 401);
    const enroll = await h.app.inject({ method: 'POST', url: '/api/v1/agents/enroll', payload: { token: 'exe_unknown_token_value', hostname: 'x.example' }, remoteAddress: '192.0.2.77' });
    assert.equal(enroll.statusCode, 403);
    const form = await h.app.inject({ method: 'POST', url: '/login', payload: 'name=viewer&password=wrong', headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: '192.0.2.78' });
    assert.equal(form.statusCode, 401);
  });
});
