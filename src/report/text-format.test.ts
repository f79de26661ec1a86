import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytes, fit, fitLeft, location, sightings, squeeze, wrapList } from './text-format.js';
import { sampleFindings } from '../../test/fixtures/report/sample-report.js';

const byRule = (id: string) => {
  const f = sampleFindings().find((x) => x.ruleId === id);
  assert.ok(f);
  return f;
};

void test('fit and fitLeft cut by code points and mark the cut', () => {
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('abc', 4), 'abc');
  assert.equal(fit('名前名前名前', 3), '名前…');
  assert.equal(fitLeft('C/inetpub/x.aspx', 8), '…/x.aspx');
});

void test('squeeze keeps the suffix and the end of the path', () => {
  const line = squeeze('A rather long finding title here', 'C/Program Files/Microsoft/Exchange Server/V15/owa/auth/x.aspx', '(1×)', 60);
  assert.equal([...line].length, 60);
  assert.ok(line.endsWith('/owa/auth/x.aspx (1×)'), line);
  assert.equal(squeeze('Short', 'a/b', '(2×)', 60), 'Short — a/b (2×)');
});

void test('sightings: one time, a same-day range, a multi-day range, no time', () => {
  assert.equal(sightings(byRule('file-lsass-dump')), '(1×, 2021-03-03 02:14)');
  assert.equal(sightings(byRule('exchange-proxylogon-ssrf-serverinfo')), '(14×, 2021-03-03 01:02..01:09)');
  assert.equal(sightings(byRule('iis-proxyshell-autodiscover-failed')), '(120×, 2021-08-10 04:00..2021-08-11 22:00)');
  assert.equal(sightings(byRule('posture-missing-su')), '(1×)');
});

void test('location: line, event record, or path alone', () => {
  assert.equal(location(byRule('file-lsass-dump')), 'C/Windows/Temp/lsass.dmp');
  assert.ok(location(byRule('exchange-proxylogon-ssrf-serverinfo')).endsWith('HttpProxy_2021030301-1.LOG:57'));
  assert.ok(location(byRule('5f0c2f63-0b3d-4d2c-9a36-0c2f5f6c4e11')).endsWith('MSExchange Management.evtx #4211'));
});

void test('wrapList continues under the first item', () => {
  assert.deepEqual(wrapList(['aaaa', 'bbbb', 'cccc'], 'x: ', 14), ['x: aaaa, bbbb,', '   cccc']);
});

void test('bytes', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(1_532_000_000), '1.4 GiB');
});
