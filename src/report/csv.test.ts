import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSV_COLUMNS, csvWriter } from './csv.js';
import { sampleReport } from '../../test/fixtures/report/sample-report.js';
import { FORMULA_NAME, SCRIPT_EXCERPT, hostileReport } from '../../test/fixtures/report/hostile-report.js';
import { collect } from '../../test/fixtures/report/sink.js';

/** A small RFC 4180 reader (csv-parse is not a dependency): quoted fields, "" escapes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const next = text[i + 1];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (next === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && next === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += ch;
    }
  }
  assert.equal(field, '', 'the file ends with CRLF');
  return rows;
}

async function csvOf(report = hostileReport()): Promise<{ rows: string[][]; text: string }> {
  const sink = collect();
  await csvWriter.write(report, sink.stream);
  return { rows: parseCsv(sink.text()), text: sink.text() };
}

void test('csv: header row and one row per finding, round-tripping through a CSV reader', async () => {
  const { rows } = await csvOf(sampleReport());
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(CSV_COLUMNS.length, 21);
  assert.equal(CSV_COLUMNS.at(-1), 'class');
  assert.equal(rows.length, 1 + sampleReport().findings.length);
  const get = (row: string[] | undefined, col: string): string | undefined => row?.[CSV_COLUMNS.indexOf(col)];
  const first = rows[1];
  const f = sampleReport().findings[0];
  assert.ok(f);
  assert.equal(get(first, 'id'), f.id);
  assert.equal(get(first, 'severity'), 'high');
  assert.equal(get(first, 'count'), '14');
  assert.equal(get(first, 'line'), '57');
  assert.equal(get(first, 'recordId'), '');
  assert.equal(get(first, 'cves'), 'CVE-2021-26855');
  assert.equal(get(first, 'ruleSource'), 'builtin');
  const posture = rows.find((r) => get(r, 'category') === 'posture');
  assert.equal(get(posture, 'cves'), 'CVE-2021-26855;CVE-2021-26857;CVE-2021-26858;CVE-2021-27065');
  assert.equal(get(posture, 'time'), '');
  assert.equal(get(posture, 'class'), 'exposure');
  assert.equal(get(first, 'class'), 'compromise');
  assert.equal(rows.slice(1).filter((r) => get(r, 'class') === 'compromise').length, 7, 'compromise and exposure rows counted apart');
});

void test('csv: a formula file name is neutralised, escapes stripped, HTML kept as text', async () => {
  const { rows, text } = await csvOf();
  assert.equal(/[\x00-\x09\x0b\x0c\x0e-\x1f]/.test(text), false);
  const row = rows.find((r) => r[CSV_COLUMNS.indexOf('path')] === `'${FORMULA_NAME}`);
  assert.ok(row, 'path cell is prefixed with a quote');
  assert.equal(row[CSV_COLUMNS.indexOf('excerpt')], `${SCRIPT_EXCERPT}\nsecond line`);
  assert.equal(row[CSV_COLUMNS.indexOf('author')], '<b>feed</b>');
  const ua = rows.find((r) => r[CSV_COLUMNS.indexOf('ruleId')] === 'iis-suspicious-user-agent');
  assert.equal(ua?.[CSV_COLUMNS.indexOf('excerpt')], 'GET /owa/ 200 Mozilla/5.0 red agent');
  assert.ok(text.includes(`"'=HYPERLINK(""http://x"",""y"")"`));
  for (const r of rows.slice(1)) {
    for (const cell of r) assert.equal(/^[=+\-@\t\r]/.test(cell), false, cell);
  }
});
