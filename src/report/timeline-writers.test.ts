import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline } from '../engines/timeline/build.js';
import { attackWindow } from '../engines/timeline/window.js';
import type { TimelineEvent } from '../engines/timeline/types.js';
import { validateReport } from '../findings/schema.js';
import type { Report } from '../findings/types.js';
import { collect } from '../../test/fixtures/report/sink.js';
import { readCsv } from '../../test/fixtures/timeline/csv-read.js';
import { sampleReport } from '../../test/fixtures/report/sample-report.js';
import {
  ANSI_TITLE, FORMULA_PATH, MARKUP_TITLE, contextFindings, crossZoneFindings, hostileTimelineFindings,
} from '../../test/fixtures/timeline/findings.js';
import { TIMELINE_CSV_COLUMNS } from './timeline-csv.js';
import { writeTimeline } from './timeline-writers.js';
import type { TimelineDoc, TimelineFormat } from './timeline-types.js';

const DAY = 86_400_000;

function doc(): TimelineDoc {
  const findings = [...crossZoneFindings().filter((f) => f.ruleId !== 'iis-ssrf'), ...contextFindings(), ...hostileTimelineFindings()];
  const report = { ...sampleReport(findings), target: { kind: 'tree' as const, root: '/cases/EX01\x1b[2J', hostname: null } };
  return { report, timeline: buildTimeline(findings, attackWindow(findings, { padMs: DAY }), 'EX01<b>') };
}

async function render(format: TimelineFormat, d = doc(), slow = false): Promise<string> {
  const sink = collect(slow);
  await writeTimeline(d, format, sink.stream);
  return sink.text();
}

test('csv: Timesketch columns first, then ours; times ISO and microseconds; RFC 4180', async () => {
  const text = await render('csv');
  assert.equal(text.split('\r\n')[0], 'message,datetime,timestamp_desc,timestamp,source,path,line,record_id,severity,rule_id,finding_id,host');
  assert.deepEqual(TIMELINE_CSV_COLUMNS.slice(0, 4), ['message', 'datetime', 'timestamp_desc', 'timestamp']);
  const rows = readCsv(text);
  const d = doc();
  assert.equal(rows.length, d.timeline.events.length);
  for (const r of rows) {
    assert.match(r.datetime ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(Number(r.timestamp), Date.parse(r.datetime ?? '') * 1000);
    assert.ok((r.timestamp_desc ?? '') !== '');
  }
  const times = rows.map((r) => Number(r.timestamp));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in time order');
});

test('csv: hostile names and log strings cannot become formulas or escapes', async () => {
  const text = await render('csv');
  const rows = readCsv(text);
  const shell = rows.find((r) => r.path?.includes('HYPERLINK'));
  assert.equal(shell?.path, FORMULA_PATH, 'a formula inside a path is not at the cell start: kept as is');
  const rule = rows.find((r) => r.rule_id?.includes('cmd|calc'));
  assert.equal(rule?.rule_id, "'=cmd|calc", 'a leading = is neutralised');
  assert.doesNotMatch(text, /\x1b/);
  for (const r of rows) for (const v of Object.values(r)) assert.doesNotMatch(v, /^[=+\-@]/);
});

test('jsonl: one event per line with the Timesketch fields; control characters escaped', async () => {
  const text = await render('jsonl');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, doc().timeline.events.length);
  for (const l of lines) {
    const e = JSON.parse(l) as TimelineEvent;
    for (const k of ['message', 'datetime', 'timestamp_desc', 'timestamp']) assert.ok(k in e, k);
  }
  assert.ok(lines.some((l) => (JSON.parse(l) as TimelineEvent).message.includes('\x1b[31m')), 'strings kept exactly');
  assert.doesNotMatch(text, /\x1b/, 'but written as JSON escapes');
});

test('json: the scan report plus an additive timeline, still a valid report', async () => {
  const r = JSON.parse(await render('json')) as Report;
  assert.deepEqual(validateReport(r), []);
  assert.equal((r.timeline as unknown[]).length, doc().timeline.events.length);
  assert.equal((r.timelineInfo as { basis: string }).basis, 'findings-medium');
});

test('text: a readable list, no terminal escapes, window and counts first', async () => {
  const text = await render('text');
  assert.doesNotMatch(text, /[\x1b\x9b\x07]/);
  assert.match(text, /^Timeline of \/cases\/EX01 \(all times UTC\)\nWindow: 2021-03-02T02:14:08\.000Z \.\. /);
  assert.match(text, /finding without a time/);
  assert.match(text, /User agent red {2}seen/, 'the ANSI title is shown without its escapes');
  assert.match(text, /2021-03-03T02:20:00\.000Z {2}Log Request \(first\) {3}high/);
  assert.ok(text.includes(FORMULA_PATH));
  assert.ok(!text.includes(ANSI_TITLE));
});

test('html: self-contained, strict CSP, drawn timeline and table, no markup from evidence', async () => {
  const page = await render('html', doc(), true);
  assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
  assert.doesNotMatch(page, /<script/i);
  assert.doesNotMatch(page, /<img/i);
  assert.doesNotMatch(page, /<b>/);
  assert.doesNotMatch(page, /\x1b/);
  assert.ok(page.includes('&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), 'the markup title is text');
  assert.ok(!page.includes(MARKUP_TITLE));
  assert.match(page, /<svg class="timeline"/);
  assert.equal((page.match(/<tr><td><code>2021-/g) ?? []).length, doc().timeline.events.length);
});
