import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientResponse } from './http-client.js';
import { apiUrl, cleartextRemote, parseServerUrl, uploadOutcome } from './fleet-api.js';

function res(status: number, json: unknown, headers: Record<string, string> = {}): ClientResponse {
  return { status, headers, text: JSON.stringify(json), json };
}

test('answers to an upload: stored, duplicate, refused for good, unauthorised, worth retrying', () => {
  assert.deepEqual(uploadOutcome(res(201, { reportId: 'r', serverId: 's', duplicate: false, findings: 3 })), { kind: 'stored', reportId: 'r', serverId: 's', findings: 3 });
  assert.equal(uploadOutcome(res(200, { reportId: 'r', serverId: 's', duplicate: true, findings: 0 })).kind, 'duplicate');
  for (const s of [400, 409, 413, 415, 422]) assert.equal(uploadOutcome(res(s, { error: 'no' })).kind, 'refused', String(s));
  for (const s of [401, 403]) assert.equal(uploadOutcome(res(s, { error: 'no' })).kind, 'unauthorized', String(s));
  for (const s of [404, 405, 408, 429, 500, 502, 503]) assert.equal(uploadOutcome(res(s, { error: 'x' })).kind, 'retry', String(s));
  const r = uploadOutcome(res(429, { error: 'slow down' }, { 'retry-after': '30' }));
  assert.ok(r.kind === 'retry' && r.retryAfterMs === 30_000 && r.error === 'HTTP 429 slow down');
  const bad = uploadOutcome(res(400, { error: 'invalid report', details: [{ path: '/findings/0/severity', message: 'must be one of' }] }));
  assert.ok(bad.kind === 'refused' && bad.error === 'HTTP 400 invalid report: /findings/0/severity must be one of');
});

test('server URLs: https or http, no credentials or query; API paths below a path prefix', () => {
  assert.equal(apiUrl(parseServerUrl('https://fleet.example:8443'), 'reports', { server: 'EX 1', source: undefined }).href, 'https://fleet.example:8443/api/v1/reports?server=EX+1');
  assert.equal(apiUrl(parseServerUrl('https://proxy.example/exhunt'), 'tokens').href, 'https://proxy.example/exhunt/api/v1/tokens');
  assert.throws(() => parseServerUrl('https://u:p@fleet.example'), /credentials/);
  assert.throws(() => parseServerUrl('https://fleet.example/?a=1'), /query/);
  assert.throws(() => parseServerUrl('fleet.example'), /not a URL|expected an https/);
  assert.equal(cleartextRemote(parseServerUrl('http://127.0.0.1:8443')), false);
  assert.equal(cleartextRemote(parseServerUrl('http://fleet.example')), true);
  assert.equal(cleartextRemote(parseServerUrl('https://fleet.example')), false);
});
