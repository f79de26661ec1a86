import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogRecord, ParseIssue } from '../types.js';
import { createParseStats } from './types.js';
import { W3cParser, w3cTime } from './w3c.js';

function parse(lines: string[]): { records: LogRecord[]; issues: ParseIssue[]; skipped: number } {
  const issues: ParseIssue[] = [];
  const stats = createParseStats();
  const p = new W3cParser({ path: 'u_ex.log', onIssue: (i) => issues.push(i), stats });
  const records: LogRecord[] = [];
  lines.forEach((l, i) => {
    const r = p.line(l, i + 1);
    if (r) records.push(r);
  });
  p.end();
  return { records, issues, skipped: stats.skipped };
}

const FIELDS = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

void describe('IIS W3C parser', () => {
  void it('maps fields by #Fields, decodes + only in user agent and referer, - to empty', () => {
    const { records, issues } = parse([
      '#Software: Microsoft Internet Information Services 10.0',
      FIELDS,
      '2021-03-03 00:00:01 10.0.0.1 GET /owa/auth/logon.aspx a=b+c 443 - 203.0.113.7 Mozilla/5.0+(Windows+NT) https://x/a+b 200 0 0 15',
    ]);
    assert.equal(issues.length, 0);
    const r = records[0]!;
    assert.equal(r.source, 'iis');
    assert.equal(r.time, '2021-03-03T00:00:01Z');
    assert.deepEqual(r.location, { path: 'u_ex.log', line: 3 });
    assert.equal(r.fields['cs-uri-query'], 'a=b+c');
    assert.equal(r.fields['cs(User-Agent)'], 'Mozilla/5.0 (Windows NT)');
    assert.equal(r.fields['cs(Referer)'], 'https://x/a b');
    assert.equal(r.fields['cs-username'], '');
    assert.equal(r.fields['sc-status'], '200');
    assert.equal(r.fields['client-ip'], '203.0.113.7');
  });

  void it('re-maps when #Fields changes mid-file and takes the client from X-Forwarded-For', () => {
    const { records } = parse([
      FIELDS,
      '2021-03-03 00:00:01 10.0.0.1 GET /a - 443 - 10.0.0.250 UA - 200 0 0 1',
      '#Fields: date time c-ip cs-uri-stem sc-status X-Forwarded-For',
      '2021-03-03 06:00:01 10.0.0.250 /b 302 198.51.100.23,+10.1.1.1',
      '2021-03-03 06:00:02 10.0.0.250 /c 200 -',
    ]);
    assert.equal(records.length, 3);
    assert.equal(records[0]!.fields['cs-uri-stem'], '/a');
    assert.equal(records[1]!.fields['cs-uri-stem'], '/b');
    assert.equal(records[1]!.fields['sc-status'], '302');
    assert.equal(records[1]!.fields['X-Forwarded-For'], '198.51.100.23,+10.1.1.1');
    assert.equal(records[1]!.fields['c-ip'], '10.0.0.250');
    assert.equal(records[1]!.fields['client-ip'], '198.51.100.23');
    assert.equal(records[2]!.fields['client-ip'], '10.0.0.250');
    assert.equal(records[1]!.fields['cs-method'], undefined);
  });

  void it('reports data before any #Fields once per file and skips those lines', () => {
    const { records, issues, skipped } = parse(['2021-03-03 00:00:01 a b', '2021-03-03 00:00:02 a b', FIELDS]);
    assert.equal(records.length, 0);
    assert.equal(skipped, 2);
    assert.equal(issues.length, 2);
    assert.equal(issues[0]!.line, 1);
    assert.match(issues[1]!.message, /^2 data lines before any #Fields/);
  });

  void it('keeps a truncated line with what it has and reports it', () => {
    const { records, issues } = parse([FIELDS, '2021-03-03 00:00:01 10.0.0.1 GET /ecp/']);
    assert.equal(records[0]!.fields['cs-uri-stem'], '/ecp/');
    assert.equal(records[0]!.fields['sc-status'], '');
    assert.equal(issues[0]!.line, 2);
    assert.match(issues[0]!.message, /5 of 15 fields/);
  });

  void it('uses the #Date day when there is no date column', () => {
    const { records } = parse(['#Date: 2021-03-04 00:00:00', '#Fields: time cs-uri-stem', '01:02:03 /x']);
    assert.equal(records[0]!.time, '2021-03-04T01:02:03Z');
  });

  void it('rejects malformed times', () => {
    assert.equal(w3cTime('2021-3-3', '00:00:00'), null);
    assert.equal(w3cTime('2021-03-03', 'junk'), null);
  });
});

void describe('IIS W3C lines with more values than #Fields (issue 21 item 4)', () => {
  void it('reads the unencoded-space ProxyShell probe with the surplus in cs-uri-stem, later columns from the right', () => {
    const { records, issues } = parse([
      FIELDS,
      '2021-08-10 01:02:03 10.0.0.1 GET /autodiscover/autodiscover.json @foo.com/owa/ &Email=autodiscover/autodiscover.json%3F@foo.com 443 - 198.51.100.9 python-requests/2.25.1 - 400 0 0 12',
    ]);
    assert.equal(records.length, 1);
    const f = records[0]!.fields;
    assert.equal(f['cs-uri-stem'], '/autodiscover/autodiscover.json @foo.com/owa/');
    assert.equal(f['cs-uri-query'], '&Email=autodiscover/autodiscover.json%3F@foo.com');
    assert.equal(f['s-port'], '443');
    assert.equal(f['c-ip'], '198.51.100.9');
    assert.equal(f['cs(User-Agent)'], 'python-requests/2.25.1');
    assert.equal(f['sc-status'], '400');
    assert.equal(f['time-taken'], '12');
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /16 fields, #Fields names 15 .*cs-uri-stem/);
    assert.equal(issues[0]!.line, 2);
  });

  void it('without cs-uri-stem the surplus joins the last column', () => {
    const { records } = parse(['#Fields: date time c-ip cs-uri-query', '2021-08-10 01:02:03 1.2.3.4 a b c']);
    assert.equal(records[0]!.fields['cs-uri-query'], 'a b c');
    assert.equal(records[0]!.fields['c-ip'], '1.2.3.4');
  });
});
