/** What rules see of an event record: System names, EventData, unnamed Data, UserData, mapping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRecord } from '../../parsers/types.js';
import { EventFields, EventView } from './event-view.js';
import { excerptOf } from './finding.js';

const REC: EventRecord = {
  kind: 'event',
  source: 'evtx',
  time: '2021-03-03T01:02:03.0000000Z',
  recordId: 7,
  eventId: 4688,
  level: 0,
  channel: 'Security',
  provider: 'Microsoft-Windows-Security-Auditing',
  computer: 'EX01',
  data: { NewProcessName: 'C:\\w\\cmd.exe', Channel: 'from EventData', Empty: null },
  dataUnnamed: ['first', null, 'third'],
  userData: { LogFileCleared: { SubjectUserName: 'admin' } },
  location: { path: 'Security.evtx', recordId: 7 },
};

void test('fields: System names win, EventData by name, unnamed by position, UserData leaves', () => {
  const f = new EventFields(REC);
  assert.equal(f.get('EventID'), '4688');
  assert.equal(f.get('Channel'), 'Security');
  assert.equal(f.get('Provider_Name'), 'Microsoft-Windows-Security-Auditing');
  assert.equal(f.get('Level'), '0');
  assert.equal(f.get('NewProcessName'), 'C:\\w\\cmd.exe');
  assert.equal(f.get('Empty'), undefined);
  assert.equal(f.get('Data1'), 'first');
  assert.equal(f.get('Data[2]'), '');
  assert.equal(f.get('Data3'), 'third');
  assert.equal(f.get('Data4'), undefined);
  assert.equal(f.get('Data'), 'first\n\nthird');
  assert.equal(f.get('SubjectUserName'), 'admin');
  assert.equal(f.get('newprocessname'), undefined, 'names match exactly');
  assert.match(f.text(), /cmd\.exe/);
});

void test('a view translates Sigma names through the selector mapping', () => {
  const v = new EventView(new Map([['image', 'NewProcessName']])).reset(new EventFields(REC));
  assert.equal(v.get('Image'), 'C:\\w\\cmd.exe');
  assert.equal(v.lower('Image'), 'c:\\w\\cmd.exe');
  assert.equal(v.get('Computer'), 'EX01');
});

void test('excerpt: named pairs, unnamed values, UserData; bounded', () => {
  assert.equal(excerptOf(REC), 'NewProcessName=C:\\w\\cmd.exe | Channel=from EventData | first | third | {"LogFileCleared":{"SubjectUserName":"admin"}}');
  assert.ok(excerptOf({ ...REC, dataUnnamed: ['x'.repeat(1000)] }).length <= 300);
});
