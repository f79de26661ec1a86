import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IocSet } from '../../iocs/index-set.js';
import { parseFeedText } from '../../iocs/feed.js';
import type { EventRecord } from '../../parsers/types.js';
import { createEventIocMatcher } from './ioc-match.js';

const set = new IocSet(parseFeedText('203.0.113.17\n2001:db8::5\n', 'feed.txt', 'test-feed').indicators);

function logon(recordId: number, ip: string, time: string): EventRecord {
  return {
    kind: 'event', source: 'evtx', time, recordId, eventId: 4624, level: 0, channel: 'Security',
    provider: 'Microsoft-Windows-Security-Auditing', computer: 'EX01.corp.example',
    data: { TargetUserName: 'administrator', LogonType: '3', IpAddress: ip }, dataUnnamed: [], userData: null,
    location: { path: 'C/Windows/System32/winevt/Logs/Security.evtx', recordId },
  };
}

test('event data addresses from a feed: one finding per indicator, computer and day', () => {
  const m = createEventIocMatcher(set, { raw: false });
  m.add(logon(1, '203.0.113.17', '2021-03-03T02:14:00Z'));
  m.add(logon(2, '::ffff:203.0.113.17', '2021-03-03T05:00:00Z'));
  m.add(logon(3, '2001:DB8:0:0:0:0:0:5', '2021-03-03T06:00:00Z'));
  const f = m.findings();
  assert.equal(f.length, 2);
  const v4 = f.find((x) => x.details.matched === '203.0.113.17');
  assert.equal(v4?.count, 2);
  assert.equal(v4?.firstSeen, '2021-03-03T02:14:00Z');
  assert.equal(v4?.lastSeen, '2021-03-03T05:00:00Z');
  assert.equal(v4?.evidence.kind, 'event');
  assert.equal(v4?.category, 'ioc');
});

test('other addresses and address-like text do not fire; --raw gives one per record', () => {
  const m = createEventIocMatcher(set, { raw: true });
  m.add(logon(4, '10.0.0.1', '2021-03-03T02:14:00Z'));
  m.add(logon(5, '203.0.113.17:443', '2021-03-03T02:14:00Z'));
  m.add(logon(6, '-', '2021-03-03T02:14:00Z'));
  assert.deepEqual(m.findings(), []);
  m.add(logon(7, '203.0.113.17', '2021-03-03T02:15:00Z'));
  m.add(logon(8, '203.0.113.17', '2021-03-03T02:16:00Z'));
  assert.equal(m.findings().length, 2);
});
