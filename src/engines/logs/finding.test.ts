// Hits cross threads as cut records: the cut must never change what a finding shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogFamily, LogRecord } from '../../parsers/types.js';
import { clientIpOf, evidenceOf, excerptOf, findingRecord } from './finding.js';

function rec(source: LogFamily, fields: Record<string, string>): LogRecord {
  return { kind: 'log', source, time: '2021-03-03T00:00:00Z', fields, location: { path: 'p.log', line: 7 } };
}

function wideProxy(cell: (i: number) => string): Record<string, string> {
  const f: Record<string, string> = { DateTime: '2021-03-03T00:00:00.000Z' };
  for (let i = 0; i < 80; i++) f[`Col${i}`] = cell(i);
  return { ...f, ClientIpAddress: '10.0.0.1', 'X-Forwarded-For': '203.0.113.9', 'client-ip': '203.0.113.9' };
}

void test('a cut record gives the same evidence, excerpt and client address as the whole one', () => {
  const cases: LogRecord[] = [
    rec('httpproxy', wideProxy((i) => `v${i}`)),
    rec('httpproxy', wideProxy((i) => (i % 3 ? '' : `"q,${i}"`))),
    rec('httpproxy', wideProxy(() => 'x'.repeat(37))),
    rec('iis', { date: '2021-03-03', time: '00:00:00', 'cs-uri-stem': '/ecp/', 'cs(User-Agent)': 'a b', 'c-ip': '10.0.0.2', 'client-ip': '10.0.0.2' }),
    rec('iis', { 'cs-uri-query': 'q'.repeat(298), 'sc-status': '', 'c-ip': '10.0.0.3' }),
    rec('oab', { message: 'Download failed and temporary file ...' }),
  ];
  // Lengths around the cut (EXCERPT_MAX = 300): the excerpt must stop at the same place.
  for (let n = 290; n <= 305; n++) cases.push(rec('httpproxy', { A: 'a'.repeat(n), B: 'b', C: 'c', ClientIpAddress: '10.0.0.4' }));
  for (const r of cases) {
    const cut = findingRecord(r);
    assert.equal(excerptOf(cut), excerptOf(r));
    assert.deepEqual(evidenceOf(cut), evidenceOf(r));
    assert.equal(clientIpOf(cut), clientIpOf(r));
    assert.equal(cut.time, r.time);
    assert.deepEqual(cut.location, r.location);
  }
  assert.ok(Object.keys(findingRecord(cases[2] as LogRecord).fields).length < 15, 'wide records are cut');
});

void test('a field named __proto__ stays an ordinary field', () => {
  const fields = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
  const cut = findingRecord(rec('httpproxy', fields));
  assert.equal(Object.getPrototypeOf(cut.fields), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(cut.fields, '__proto__')?.value, 'x');
  assert.equal(excerptOf(cut), 'x,b');
});
