// Aggregation by rule + client IP + day, and --raw findings with exact path and line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../../parsers/types.js';
import { loadRuleText } from '../../rules/load.js';
import type { LogRule } from '../../rules/types.js';
import { createAggregator } from './aggregate.js';
import { excerptOf } from './finding.js';
import { createLogMatcher } from './matcher.js';

const RULE = `id: t-webshell
title: test web shell
author: tester
license: Apache-2.0
references: [https://example.invalid/a]
cves: [CVE-2021-26855]
attack: [T1505.003]
category: webshell
severity: high
severityByStatus: {2xx: critical, 4xx: low}
logsource: [iis]
detection:
  s:
    cs-uri-stem|startswith: /aspnet_client/
  condition: s
`;

function rules(): LogRule[] {
  return loadRuleText('t.yml', RULE, { mappings: [] }).rules as LogRule[];
}

function rec(ip: string, time: string, status: string, line: number, path = 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log'): LogRecord {
  return {
    kind: 'log',
    source: 'iis',
    time,
    fields: { 'cs-method': 'POST', 'cs-uri-stem': '/aspnet_client/a.aspx', 'sc-status': status, 'c-ip': ip, 'client-ip': ip },
    location: { path, line },
  };
}

const RECORDS = [
  rec('198.51.100.1', '2021-03-03T01:00:00Z', '404', 10),
  rec('198.51.100.1', '2021-03-03T05:00:00Z', '200', 20),
  rec('198.51.100.1', '2021-03-03T03:00:00Z', '404', 30, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303_x.log'),
  rec('198.51.100.2', '2021-03-03T02:00:00Z', '404', 40),
  rec('198.51.100.1', '2021-03-04T00:00:01Z', '404', 50),
];

function run(raw: boolean) {
  const m = createLogMatcher(rules());
  const agg = createAggregator({ raw });
  for (const r of RECORDS) for (const h of m.match(r)) agg.add(r, h);
  return agg.findings();
}

void test('default: one finding per rule, client IP and day, with counts and first/last time', () => {
  const f = run(false);
  assert.equal(f.length, 3);
  const first = f[0];
  assert.ok(first);
  assert.equal(first.count, 3);
  assert.equal(first.firstSeen, '2021-03-03T01:00:00Z');
  assert.equal(first.lastSeen, '2021-03-03T05:00:00Z');
  assert.equal(first.severity, 'critical', 'highest severity of the bucket');
  assert.deepEqual(first.details.statusCounts, { '404': 2, '200': 1 });
  assert.equal(first.evidence.path, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log');
  assert.equal(first.evidence.line, 10);
  assert.equal(first.evidence.clientIp, '198.51.100.1');
  assert.deepEqual(first.rule, { source: 'builtin', author: 'tester', license: 'Apache-2.0', refs: ['https://example.invalid/a'] });
  assert.equal(f[1]?.severity, 'low');
  assert.equal(f[2]?.count, 1);
  assert.equal(new Set(f.map((x) => x.id)).size, 3);
});

void test('aggregated ids are stable across runs', () => {
  assert.deepEqual(run(false).map((x) => x.id), run(false).map((x) => x.id));
});

void test('--raw: one finding per line with exact path and line', () => {
  const f = run(true);
  assert.equal(f.length, 5);
  assert.deepEqual(f.map((x) => x.evidence.line), [10, 20, 30, 40, 50]);
  assert.equal(f[2]?.evidence.path, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303_x.log');
  assert.equal(f[1]?.severity, 'critical');
  assert.equal(f[0]?.count, 1);
  assert.equal(new Set(f.map((x) => x.id)).size, 5);
});

void test('behind a balancer the evidence keeps the client and the connection address', () => {
  const r = rec('203.0.113.9', '2021-03-03T00:00:00Z', '200', 1);
  const behind: LogRecord = { ...r, fields: { ...r.fields, 'c-ip': '10.0.0.1', 'X-Forwarded-For': '203.0.113.9' } };
  const m = createLogMatcher(rules());
  const agg = createAggregator({ raw: true });
  for (const h of m.match(behind)) agg.add(behind, h);
  const e = agg.findings()[0]?.evidence;
  assert.equal(e?.clientIp, '203.0.113.9');
  assert.equal(e?.peerIp, '10.0.0.1');
  assert.equal(e?.forwardedFor, '203.0.113.9');
});

void test('excerpts are truncated to about 300 characters', () => {
  const long = rec('1.2.3.4', '2021-03-03T00:00:00Z', '200', 1);
  const big: LogRecord = { ...long, fields: { ...long.fields, 'cs-uri-query': 'a'.repeat(1000) } };
  assert.ok(excerptOf(big).length <= 300);
});

void test('aggregated findings do not depend on the order hits arrive in (worker threads finish in any order)', () => {
  const records = [
    ...RECORDS,
    // The same instant written without and with milliseconds, in a third file.
    rec('198.51.100.1', '2021-03-03T05:00:00.000Z', '500', 5, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303_a.log'),
    // The earliest hit of the bucket, in a file that sorts last.
    rec('198.51.100.1', '2021-03-03T00:30:00Z', '401', 7, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303_z.log'),
  ];
  const m = createLogMatcher(rules());
  const once = (order: readonly LogRecord[]) => {
    const agg = createAggregator({ raw: false });
    for (const r of order) for (const h of m.match(r)) agg.add(r, h);
    return JSON.stringify(agg.findings().sort((a, b) => (a.id < b.id ? -1 : 1)));
  };
  const forward = once(records);
  assert.equal(once([...records].reverse()), forward);
  assert.equal(once([records[3]!, records[6]!, records[0]!, records[5]!, records[2]!, records[1]!, records[4]!]), forward);
  const f = (JSON.parse(forward) as { evidence: { line: number }; lastSeen: string; details: { files: string[]; statusCounts: Record<string, number> } }[]).find((x) => x.evidence.line === 7);
  assert.ok(f, 'the bucket shows its earliest hit');
  assert.equal(f.lastSeen, '2021-03-03T05:00:00.000Z', 'one spelling of the instant, whichever came first');
  assert.deepEqual(Object.keys(f.details.statusCounts), ['200', '401', '404', '500']);
  assert.deepEqual(f.details.files, [...f.details.files].sort());
});
