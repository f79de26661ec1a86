import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_FORMATS, writeReport, writerFor } from './index.js';
import { hostileReport } from '../../test/fixtures/report/hostile-report.js';
import { sampleReport } from '../../test/fixtures/report/sample-report.js';
import { collect } from '../../test/fixtures/report/sink.js';

void test('writerFor has a writer for every format', () => {
  for (const format of REPORT_FORMATS) assert.equal(writerFor(format).format, format);
});

// The contract every writer keeps (run against each): no raw terminal escape reaches the
// output, the whole output arrives through a slow sink, and the same report gives the same bytes.
for (const format of REPORT_FORMATS) {
  void test(`${format}: hostile report, slow sink, deterministic`, async () => {
    const slow = collect(true);
    await writeReport(hostileReport(), format, slow.stream, { failOn: 'medium', width: 100 });
    const fast = collect();
    await writeReport(hostileReport(), format, fast.stream, { failOn: 'medium', width: 100 });
    assert.equal(slow.text(), fast.text());
    assert.ok(slow.text().length > 0);
    assert.equal(/[\x1b\x07\x9b\x9d\u202e]/.test(slow.text()), false);
  });
}

void test('writeReport surfaces a failing sink', async () => {
  const sink = collect();
  sink.stream.destroy(new Error('disk full'));
  sink.stream.on('error', () => undefined);
  await assert.rejects(writeReport(sampleReport(), 'json', sink.stream));
});
