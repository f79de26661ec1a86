import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogRecord, ParseIssue } from '../types.js';
import { ExchangeCsvParser, exchangeTime, splitCsv } from './exchange-csv.js';
import { createParseStats } from './types.js';
import { prng } from './testing/prng.js';

/** The character-at-a-time splitter this file had before (the reference for the sliced one). */
function splitCsvReference(text: string): { values: string[]; open: boolean } {
  const values: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
          continue;
        }
        quoted = false;
      } else cur += c;
    } else if (c === ',') {
      values.push(cur);
      cur = '';
    } else if (c === '"' && cur === '') quoted = true;
    else cur += c;
  }
  values.push(cur);
  return { values, open: quoted };
}

function parse(lines: string[]): { records: LogRecord[]; issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  const p = new ExchangeCsvParser({ path: 'p.LOG', onIssue: (i) => issues.push(i), stats: createParseStats() }, 'httpproxy');
  const records: LogRecord[] = [];
  lines.forEach((l, i) => {
    const r = p.line(l, i + 1);
    if (r) records.push(r);
    const q = p.takeQueued();
    if (q) records.push(q);
  });
  const last = p.end();
  if (last) records.push(last);
  return { records, issues };
}

void describe('CSV splitting', () => {
  void it('splits plain and quoted fields with commas and doubled quotes', () => {
    assert.deepEqual(splitCsv('a,,b').values, ['a', '', 'b']);
    assert.deepEqual(splitCsv('a,"b,c","say ""hi""",d').values, ['a', 'b,c', 'say "hi"', 'd']);
    assert.deepEqual(splitCsv('x,"open,').open, true);
    assert.deepEqual(splitCsv('x,a"b,c').values, ['x', 'a"b', 'c']);
  });

  void it('agrees with the character-at-a-time reference on random input', () => {
    const r = prng(21);
    const alphabet = ['"', '"', ',', ',', 'a', 'b', ' ', '""'];
    for (let n = 0; n < 20_000; n++) {
      let s = '';
      const len = Math.floor(r() * 14);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      assert.deepEqual(splitCsv(s), splitCsvReference(s), JSON.stringify(s));
    }
  });

  void it('normalises times', () => {
    assert.equal(exchangeTime('2021-03-03T01:02:03.456Z'), '2021-03-03T01:02:03.456Z');
    assert.equal(exchangeTime('2021-03-03 01:02:03Z'), '2021-03-03T01:02:03.000Z');
    assert.equal(exchangeTime('nope'), null);
    assert.equal(exchangeTime(''), null);
  });
});

void describe('Exchange CSV parser', () => {
  const header = '#Fields: DateTime,ClientIpAddress,UrlStem,AnchorMailbox,UserAgent,HttpStatus';

  void it('keys fields by the header and adds client-ip', () => {
    const { records, issues } = parse([
      '#Software: Microsoft Exchange Server',
      header,
      '2021-03-03T01:02:03.456Z,[2001:db8::7]:50123,/ecp/y.js,ServerInfo~a]@ex01:444/x,"Mozilla/5.0, x",200',
    ]);
    assert.equal(issues.length, 0);
    const r = records[0]!;
    assert.equal(r.source, 'httpproxy');
    assert.equal(r.time, '2021-03-03T01:02:03.456Z');
    assert.equal(r.fields['AnchorMailbox'], 'ServerInfo~a]@ex01:444/x');
    assert.equal(r.fields['UserAgent'], 'Mozilla/5.0, x');
    assert.equal(r.fields['ClientIpAddress'], '[2001:db8::7]:50123');
    assert.equal(r.fields['client-ip'], '2001:db8::7');
    assert.equal(r.location.line, 3);
  });

  void it('prefers an X-Forwarded-For column when the header has one', () => {
    const { records } = parse(['#Fields: DateTime,ClientIpAddress,X-Forwarded-For', '2021-03-03T00:00:00Z,10.0.0.250,"198.51.100.9, 10.0.0.1"']);
    assert.equal(records[0]!.fields['client-ip'], '198.51.100.9');
  });

  void it('joins a quoted field that spans lines and keeps the first line number', () => {
    const { records } = parse([header, '2021-03-03T00:00:00Z,1.2.3.4,/a,"multi', 'line",UA,200', '2021-03-03T00:00:01Z,1.2.3.4,/b,,UA,404']);
    assert.equal(records.length, 2);
    assert.equal(records[0]!.fields['AnchorMailbox'], 'multi\nline');
    assert.equal(records[0]!.location.line, 2);
    assert.equal(records[1]!.location.line, 4);
  });

  void it('reports a quoted field left open at end of file, and data before #Fields once', () => {
    const { records, issues } = parse(['x,y', 'x,z', header, '2021-03-03T00:00:00Z,1.2.3.4,/a,"open']);
    assert.equal(records.length, 1);
    assert.deepEqual(
      issues.map((i) => i.line),
      [1, null, 4, 4],
    );
  });

  void it('re-maps on a second #Fields line', () => {
    const { records } = parse([header, '2021-03-03T00:00:00Z,1.2.3.4,/a,,UA,200', '#Fields: TimeStamp,ServerName,EventId,EventData', '2021-03-03T00:00:01Z,EX01,ECP.Request,S:CMD=Get-X']);
    assert.equal(records[1]!.fields['EventData'], 'S:CMD=Get-X');
    assert.equal(records[1]!.fields['client-ip'], undefined);
    assert.equal(records[1]!.time, '2021-03-03T00:00:01Z');
  });

  void it('cuts a quoted field that never closes after 64 lines and goes on', () => {
    const lines = [header, '2021-03-03T00:00:00Z,1.2.3.4,/a,"never closed', ...Array.from({ length: 100 }, (_, i) => `junk ${i}`)];
    const { records, issues } = parse(lines);
    assert.equal(records[0]!.location.line, 2);
    assert.equal((records[0]!.fields['AnchorMailbox'] ?? '').split('\n').length, 64);
    assert.match(issues[0]!.message, /still open after 64 lines/);
    assert.equal(records.length, 1 + (100 - 63));
  });
});


void describe('broken quoting and cut lines (issue 21 item 4)', () => {
  const H = '#Fields: DateTime,RequestId,UrlStem,UserAgent,HttpStatus';
  void it('a quote that never closes ends at the next record instead of swallowing it', () => {
    const { records, issues } = parse([
      H,
      '2021-03-03T01:00:00.000Z,a,/owa/,"Mozilla/5.0 (broken,200',
      '2021-03-03T01:00:01.000Z,b,/ecp/y.js,python-requests/2.25.1,200',
      '2021-03-03T01:00:02.000Z,c,/ews/,"x, y",200',
    ]);
    assert.deepEqual(records.map((r) => [r.location.line, r.fields.RequestId]), [[2, 'a'], [3, 'b'], [4, 'c']]);
    assert.equal(records[0]!.fields.UserAgent, '"Mozilla/5.0 (broken');
    assert.equal(records[0]!.fields.HttpStatus, '200');
    assert.equal(records[1]!.fields.UrlStem, '/ecp/y.js');
    assert.equal(records[2]!.fields.UserAgent, 'x, y');
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.line, 2);
    assert.match(issues[0]!.message, /quoted field not closed before the next record/);
  });

  void it('a genuine multi-line quoted field is still joined', () => {
    const { records, issues } = parse([H, '2021-03-03T01:00:00.000Z,a,/x,"two', 'lines",200', '2021-03-03T01:00:01.000Z,b,/y,ua,200']);
    assert.deepEqual(records.map((r) => [r.location.line, r.fields.UserAgent]), [[2, 'two\nlines'], [4, 'ua']]);
    assert.equal(issues.length, 0);
  });

  void it('the head of an over-long line is never joined with the next', () => {
    const issues: ParseIssue[] = [];
    const p = new ExchangeCsvParser({ path: 'p.LOG', onIssue: (i) => issues.push(i), stats: createParseStats() }, 'httpproxy');
    p.line(H, 1);
    const cut = p.line('2021-03-03T01:00:00.000Z,a,/x,"Mozilla AAAA,BB', 2, true);
    assert.equal(cut?.fields.UserAgent, '"Mozilla AAAA');
    assert.equal(p.line('2021-03-03T01:00:01.000Z,b,/y,ua,200', 3)?.fields.RequestId, 'b');
  });
});
