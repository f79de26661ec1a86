// Hits packed on a worker thread give the same findings, byte for byte, as the records did.
import assert from 'node:assert/strict';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { test } from 'node:test';
import type { LogRecord } from '../../parsers/types.js';
import { loadRuleText } from '../../rules/load.js';
import type { LogRule } from '../../rules/types.js';
import { ruleHitFinding } from '../rule-finding.js';
import { evidenceOf, hitFinding, statusDetails } from './finding.js';
import { HitPacker, hitDataOf, unpackHits, type HitPack } from './hit-data.js';
import { createLogMatcher } from './matcher.js';

const RULE = `id: t-probe
title: test probe
author: tester
license: Apache-2.0
references: [https://example.invalid/a]
cves: [CVE-2021-34473]
attack: [T1190]
category: exploitation
severity: medium
severityByStatus: {2xx: high}
logsource: [iis, httpproxy]
detection:
  s:
    - cs-uri-stem|contains: autodiscover.json
    - UrlStem|contains: autodiscover.json
  condition: s
`;

const rule = (loadRuleText('t.yml', RULE, { mappings: [] }).rules as LogRule[])[0] as LogRule;

function iis(fields: Record<string, string>, line: number | undefined, time: string | null = '2021-03-03T01:00:00Z'): LogRecord {
  const base = { 'cs-method': 'GET', 'cs-uri-stem': '/autodiscover/autodiscover.json', 'sc-status': '200' };
  return { kind: 'log', source: 'iis', time, fields: { ...base, ...fields }, location: { path: 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', ...(line === undefined ? {} : { line }) } };
}

const RECORDS: LogRecord[] = [
  iis({ 'c-ip': '198.51.100.1', 'client-ip': '198.51.100.1' }, 10),
  // Behind a balancer: client, connection address and X-Forwarded-For all kept.
  iis({ 'c-ip': '10.0.0.1', 'client-ip': '203.0.113.9', 'cs(X-Forwarded-For)': '203.0.113.9' }, 11),
  // No client address, no line, no time, an empty X-Forwarded-For, a long value (excerpt cut).
  iis({ 'cs(X-Forwarded-For)': '', 'cs-uri-query': `x=${'é'.repeat(400)}`, 'sc-status': '404' }, undefined, null),
  {
    kind: 'log',
    source: 'httpproxy',
    time: '2021-03-03T02:00:00.123Z',
    fields: { DateTime: '2021-03-03T02:00:00.123Z', UrlStem: '/autodiscover/autodiscover.json', HttpStatus: '', ClientIpAddress: '192.0.2.7', 'client-ip': '192.0.2.7', UserAgent: 'a "quoted", agent' },
    location: { path: 'C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Autodiscover/HttpProxy_2021030302-1.LOG', line: 7 },
  },
];

/** What the log engine built before hits crossed threads as packs: the shared rule-hit finding. */
function expected(rec: LogRecord, severity: LogRule['meta']['severity'], status: string | null): string {
  return JSON.stringify(
    ruleHitFinding({ rule, severity, evidence: evidenceOf(rec), time: rec.time, at: { path: rec.location.path, line: rec.location.line ?? null }, details: status ? statusDetails(status) : {} }),
  );
}

/** Through a real structured clone, as between a worker and the main thread. */
function cloned(p: HitPack): HitPack {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(p);
  const m = receiveMessageOnPort(port2);
  port1.close();
  return m?.message as HitPack;
}

void test('a packed hit gives the finding the record gave, with or without its id computed on the worker', () => {
  const m = createLogMatcher([rule]);
  for (const withId of [true, false]) {
    const packer = new HitPacker();
    const want: string[] = [];
    for (const rec of RECORDS) {
      for (const h of m.match(rec)) {
        packer.add(hitDataOf(rec, { ruleId: h.rule.meta.id, severity: h.severity, status: h.status }, withId));
        want.push(expected(rec, h.severity, h.status));
      }
    }
    assert.equal(packer.size, RECORDS.length);
    const got = [...unpackHits(cloned(packer.pack()))].map((d) => JSON.stringify(hitFinding(d, rule)));
    assert.deepEqual(got, want);
  }
});

void test('repeated strings travel once; values taken from evidence stay exact', () => {
  const packer = new HitPacker();
  const rec = RECORDS[1] as LogRecord;
  for (let i = 0; i < 3; i++) packer.add(hitDataOf(rec, { ruleId: 't-probe', severity: 'high', status: '200' }, false));
  const pack = packer.pack();
  assert.deepEqual([...pack.table].sort(), ['200', 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', 'high', 'iis', 't-probe']);
  const [d] = unpackHits(pack);
  assert.equal(d?.peerIp, '10.0.0.1');
  assert.equal(d?.forwardedFor, '203.0.113.9');
  assert.equal(d?.id, null);
});

void test('look-alike: a client that is also the connection address is not repeated as peerIp', () => {
  const packer = new HitPacker();
  const [first] = RECORDS;
  assert.ok(first);
  packer.add(hitDataOf(first, { ruleId: 't-probe', severity: 'high', status: null }, true));
  const [d] = unpackHits(packer.pack());
  assert.ok(d);
  assert.equal(d.peerIp, null);
  assert.equal(Object.hasOwn(hitFinding(d, rule).evidence, 'peerIp'), false);
});
