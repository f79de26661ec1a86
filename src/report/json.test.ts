import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonWriter, jsonlWriter } from './json.js';
import { validateFinding, validateReport } from '../findings/schema.js';
import { makeFinding, sampleFindings, sampleReport } from '../../test/fixtures/report/sample-report.js';
import { ANSI_UA, hostileReport } from '../../test/fixtures/report/hostile-report.js';
import { collect } from '../../test/fixtures/report/sink.js';
import { terminalSafeJson } from './escape.js';

void test('json: the whole report, 2-space indented, valid against the schema', async () => {
  const sink = collect();
  await jsonWriter.write(hostileReport(), sink.stream);
  const text = sink.text();
  assert.ok(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "exhunt",'));
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(hostileReport())));
  assert.deepEqual(validateReport(JSON.parse(text)), []);
});

void test('json: byte for byte JSON.stringify(report, null, 2), written in batches of findings', async () => {
  const base = sampleFindings()[0];
  assert.ok(base);
  const nested = { ...base.evidence, excerpt: 'a\nb "q" \u202e', nested: { findings: 'exhunt:findings', list: [1, { x: [] }] } };
  const many = Array.from({ length: 300 }, (_, i) => makeFinding({ ...base, evidence: { ...nested, line: i + 1 } }));
  for (const report of [hostileReport(), sampleReport(many), sampleReport([]), sampleReport(many.slice(0, 1))]) {
    const sink = collect(true);
    await jsonWriter.write(report, sink.stream);
    assert.equal(sink.text(), `${terminalSafeJson(JSON.stringify(report, null, 2))}\n`);
  }
});

void test('json and jsonl keep hostile strings exact but never as raw control bytes', async () => {
  for (const writer of [jsonWriter, jsonlWriter]) {
    const sink = collect();
    await writer.write(hostileReport(), sink.stream);
    const text = sink.text();
    assert.equal(/[\x00-\x09\x0b-\x1f]/.test(text), false, writer.format);
    assert.ok(text.includes('Mozilla/5.0 \\u001b[31mred\\u001b[0m \\u001b]0;pwn\\u0007agent'), writer.format);
  }
});

void test('jsonl: one finding per line, each valid on its own', async () => {
  const sink = collect();
  const report = hostileReport();
  await jsonlWriter.write(report, sink.stream);
  const lines = sink.text().split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, report.findings.length);
  for (const [i, line] of lines.entries()) {
    const doc = JSON.parse(line) as { id: string; evidence: Record<string, unknown> };
    assert.deepEqual(validateFinding(doc), [], line);
    assert.equal(doc.id, report.findings[i]?.id);
  }
  const ua = lines.map((l) => JSON.parse(l) as { evidence: { userAgent?: string } }).find((d) => d.evidence.userAgent);
  assert.equal(ua?.evidence.userAgent, ANSI_UA);
});

void test('jsonl honours backpressure on a slow sink and loses nothing', async () => {
  const base = sampleFindings()[0];
  assert.ok(base);
  const many = Array.from({ length: 500 }, (_, i) => makeFinding({ ...base, evidence: { ...base.evidence, line: i + 1 } }));
  const sink = collect(true);
  await jsonlWriter.write(sampleReport(many), sink.stream);
  const lines = sink.text().trimEnd().split('\n');
  assert.equal(lines.length, 500);
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { evidence: { line: number } }).evidence.line), many.map((_, i) => i + 1));
  assert.ok(sink.drains() > 0, 'the writer waited for drain');
});

void test('jsonl of a report without findings writes nothing', async () => {
  const sink = collect();
  await jsonlWriter.write(sampleReport([]), sink.stream);
  assert.equal(sink.text(), '');
});
