import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline, timelineInfo, withTimeline, windowText } from './build.js';
import { findingEvents } from './finding-events.js';
import { compareEvents } from './order.js';
import { attackWindow } from './window.js';
import type { TimelineEvent } from './types.js';
import type { FileTimes } from './file-times.js';
import { contextFindings, crossZoneFindings } from '../../../test/fixtures/timeline/findings.js';
import { sampleReport } from '../../../test/fixtures/report/sample-report.js';
import { validateReport } from '../../findings/schema.js';

const DAY = 86_400_000;

function fileEvent(datetime: string, path: string, desc = 'File Modified'): TimelineEvent {
  const ms = Date.parse(datetime);
  return {
    datetime, timestamp: ms * 1000, timestamp_desc: desc, message: `${desc}: ${path}`, source: 'filesystem',
    path, line: null, record_id: null, severity: null, rule_id: null, finding_id: null, host: 'EX01',
  };
}

test('ordering across sources and time zones: IIS (no zone), HttpProxy (Z), event (+05:30), file (-05:00)', () => {
  const findings = crossZoneFindings();
  const t = buildTimeline(findings, attackWindow(findings, { padMs: DAY }), 'EX01');
  assert.deepEqual(t.events.map((e) => [e.datetime, e.source, e.rule_id]), [
    ['2021-03-03T02:14:07.000Z', 'log', 'iis-ssrf'],
    ['2021-03-03T02:14:08.000Z', 'log', 'httpproxy-ssrf'],
    ['2021-03-03T02:14:09.000Z', 'event', 'evtx-service'],
    ['2021-03-03T02:14:10.000Z', 'file', 'file-webshell'],
  ]);
  assert.deepEqual(t.events.map((e) => e.timestamp_desc), ['Log Request', 'Log Request', 'Event Logged', 'File Modified']);
  for (const e of t.events) assert.equal(e.timestamp, Date.parse(e.datetime) * 1000);
});

test('the order does not depend on the input order; equal times break on source, path, line', () => {
  const findings = crossZoneFindings();
  const w = attackWindow(findings, { padMs: DAY });
  const same = '2021-03-03T02:14:08.000Z';
  const files: FileTimes = {
    events: [fileEvent(same, 'C/inetpub/wwwroot/b.aspx'), fileEvent(same, 'C/inetpub/wwwroot/a.aspx', 'File Accessed'), fileEvent(same, 'C/inetpub/wwwroot/a.aspx')],
    files: 2, dropped: 0, createdUnknown: 2, truncated: null,
  };
  const a = buildTimeline(findings, w, 'EX01', files).events;
  const b = buildTimeline([...findings].reverse(), w, 'EX01', { ...files, events: [...files.events].reverse() }).events;
  assert.deepEqual(a, b);
  const at = a.filter((e) => e.datetime === same).map((e) => `${e.source} ${e.path} ${e.timestamp_desc}`);
  assert.deepEqual(at, [
    'filesystem C/inetpub/wwwroot/a.aspx File Accessed',
    'filesystem C/inetpub/wwwroot/a.aspx File Modified',
    'filesystem C/inetpub/wwwroot/b.aspx File Modified',
    'log C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG Log Request',
  ]);
  for (let i = 1; i < a.length; i++) assert.ok(compareEvents(a[i - 1] as TimelineEvent, a[i] as TimelineEvent) <= 0);
});

test('aggregated findings give first and last; untimed findings none, and are counted', () => {
  const [agg, untimed] = contextFindings();
  assert.ok(agg && untimed);
  const ev = findingEvents(agg, 'EX01');
  assert.deepEqual(ev.map((e) => [e.datetime, e.timestamp_desc]), [
    ['2021-03-03T02:20:00.000Z', 'Log Request (first)'],
    ['2021-03-03T03:40:00.000Z', 'Log Request (last)'],
  ]);
  assert.match(ev[0]?.message ?? '', /5 sightings, first/);
  assert.deepEqual(findingEvents(untimed, 'EX01'), []);
  const t = buildTimeline(contextFindings(), attackWindow(contextFindings(), { padMs: 0 }), 'EX01');
  assert.equal(t.stats.untimedFindings, 1);
  assert.equal(t.stats.findingEvents, 3);
});

test('a report with the timeline stays a valid report; the window reads as a sentence', () => {
  const findings = [...crossZoneFindings(), ...contextFindings()];
  const t = buildTimeline(findings, attackWindow(findings, { padMs: 2 * DAY }), 'EX01');
  // The IIS-style time without a zone is an input the timeline accepts, not a valid report time: left out here.
  const r = withTimeline(sampleReport(findings.filter((f) => f.ruleId !== 'iis-ssrf')), t);
  assert.deepEqual(validateReport(JSON.parse(JSON.stringify(r))), []);
  assert.equal((r.timeline as unknown[]).length, t.events.length);
  const info = timelineInfo(t);
  assert.equal(info.from, '2021-03-01T02:14:07.000Z');
  assert.match(windowText(info), /^2021-03-01T02:14:07.000Z \.\. 2021-03-05T03:40:00.000Z \(first to last finding at medium or above, widened by 2d each side\)$/);
});
