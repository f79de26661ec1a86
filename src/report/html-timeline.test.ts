import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline, withTimeline } from '../engines/timeline/build.js';
import { attackWindow } from '../engines/timeline/window.js';
import type { TimelineEvent } from '../engines/timeline/types.js';
import { sampleReport } from '../../test/fixtures/report/sample-report.js';
import { contextFindings, crossZoneFindings, hostileTimelineFindings } from '../../test/fixtures/timeline/findings.js';
import { MAX_MARKS, carriedTimeline, mergedTimelineSvg, timelineSection } from './html-timeline.js';

function fileEvent(i: number): TimelineEvent {
  const ms = Date.UTC(2021, 2, 3) + i * 1000;
  return {
    datetime: new Date(ms).toISOString(), timestamp: ms * 1000, timestamp_desc: 'File Modified', message: `f${i}`,
    source: 'filesystem', path: `C/inetpub/wwwroot/f${i}`, line: null, record_id: null, severity: null, rule_id: null, finding_id: null, host: 'h',
  };
}

test('a report carrying the merged timeline gets it drawn: severity lanes and file-time lanes', () => {
  const findings = [...crossZoneFindings(), ...contextFindings(), ...hostileTimelineFindings()];
  const t = buildTimeline(findings, attackWindow(findings, { padMs: 0 }), 'EX01');
  const withFiles = { ...t, events: [...t.events, fileEvent(1)] };
  const svg = timelineSection(withTimeline(sampleReport(findings), withFiles)).value;
  for (const lane of ['critical', 'info', 'created', 'modified', 'changed', 'accessed']) assert.ok(svg.includes(`>${lane}</text>`), lane);
  assert.equal((svg.match(/<circle /g) ?? []).length, t.events.length, 'one dot per finding event');
  assert.equal((svg.match(/<rect fill="/g) ?? []).length, 1, 'one tick per file time');
  assert.doesNotMatch(svg, /<script|<img/i, 'hostile titles are escaped in the tooltips');
  assert.ok(svg.includes('&lt;script&gt;'));
});

test('without a carried timeline the findings timeline is drawn as before', () => {
  const r = sampleReport();
  const svg = timelineSection(r).value;
  assert.ok(svg.includes('class="covered"'), 'coverage lanes of the findings timeline');
  assert.equal(carriedTimeline(r), null);
});

test('a loaded report with a malformed timeline: bad entries are skipped, not drawn', () => {
  const r = { ...sampleReport(), timeline: [{ timestamp: 'x' }, null, 7, fileEvent(2)] };
  assert.equal(carriedTimeline(r)?.length, 1);
  assert.match(timelineSection({ ...sampleReport(), timeline: [] }).value, /holds no event/);
});

test('at most MAX_MARKS marks, findings first, and a caption says so', () => {
  const many = Array.from({ length: MAX_MARKS + 10 }, (_, i) => fileEvent(i));
  const svg = mergedTimelineSvg(many).value;
  assert.equal((svg.match(/<rect fill="/g) ?? []).length, MAX_MARKS);
  assert.match(svg, new RegExp(`${MAX_MARKS} of ${MAX_MARKS + 10} events are drawn`));
});
