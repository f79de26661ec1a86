import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CoverageTracker } from './coverage.js';

void describe('CoverageTracker', () => {
  void it('spans the records of all files of a source and finds gaps over 24 h', () => {
    const c = new CoverageTracker();
    c.add('iis', 'u_ex210301.log', '2021-03-01T00:10:00.000Z');
    c.add('iis', 'u_ex210301.log', '2021-03-01T23:50:00.000Z');
    c.add('iis', 'u_ex210302.log', '2021-03-02T12:00:00.000Z');
    // 2021-03-03 .. 03-05 missing: a gap of more than 24 h
    c.add('iis', 'u_ex210306.log', '2021-03-06T08:00:00.000Z');
    c.add('iis', 'u_ex210306.log', null);
    const [iis] = c.result();
    assert.deepEqual(iis, {
      source: 'iis',
      files: 3,
      from: '2021-03-01T00:10:00.000Z',
      to: '2021-03-06T08:00:00.000Z',
      gaps: [{ from: '2021-03-02T12:00:00.000Z', to: '2021-03-06T08:00:00.000Z' }],
      records: 5,
      untimed: 1,
    });
  });

  void it('does not report a silence of exactly 24 h, nor overlap between files', () => {
    const c = new CoverageTracker();
    c.add('httpproxy', 'a.LOG', '2021-03-01T10:00:00.000Z');
    c.add('httpproxy', 'b.LOG', '2021-03-02T10:00:00.000Z');
    c.add('httpproxy', 'a.LOG', '2021-03-02T09:00:00.000Z');
    assert.deepEqual(c.result()[0]?.gaps, []);
  });

  void it('keeps sources apart and sorted; files without times have no window', () => {
    const c = new CoverageTracker();
    c.add('oab', 'x.log', '2022-01-01T00:00:00Z');
    c.add('oab', 'x.log', '2022-01-05T00:00:00Z');
    c.addFile('evtx', 'Security.evtx');
    c.add('ecp-server', 'e.LOG', 'not a time');
    const r = c.result();
    assert.deepEqual(r.map((x) => x.source), ['ecp-server', 'evtx', 'oab']);
    assert.equal(r[0]?.from, null);
    assert.deepEqual(r[1], { source: 'evtx', files: 1, from: null, to: null, gaps: [], records: 0, untimed: 0 });
    assert.equal(r[2]?.gaps.length, 1);
  });
});

void it('merge: a tracker rebuilt from states equals one fed directly', () => {
  const direct = new CoverageTracker();
  const a = new CoverageTracker();
  const b = new CoverageTracker();
  const rows: [string, string, string | null][] = [
    ['iis', 'u_ex1.log', '2021-03-01T00:00:00Z'],
    ['iis', 'u_ex1.log', '2021-03-01T05:00:00Z'],
    ['iis', 'u_ex2.log', '2021-03-04T00:00:00Z'],
    ['httpproxy', 'h.log', null],
  ];
  rows.forEach(([s, f, t], i) => {
    direct.add(s, f, t);
    (i % 2 === 0 ? a : b).add(s, f, t);
  });
  direct.addFile('oab', 'empty.log');
  a.addFile('oab', 'empty.log');
  const merged = new CoverageTracker();
  merged.merge(structuredClone(a.state()));
  merged.merge(structuredClone(b.state()));
  assert.deepEqual(merged.result(), direct.result());
});
