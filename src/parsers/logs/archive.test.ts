/**
 * Hostile archives (built in the test, nothing committed): unsafe member names are skipped
 * and the rest is read; overlapping members are refused; a zip of 200,000 empty members and a
 * `.gz` that inflates a thousandfold stop at the archive's budget, each with one issue.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeZip } from '../../../test/fixtures/logs/make-zip.js';
import { emptyMembersZip, inflatingGzip, overlappingZip } from '../../../test/fixtures/logs/hostile-archives.js';
import type { LogRecord, ParseIssue } from '../types.js';
import { ArchiveBudget, DEFAULT_ARCHIVE_LIMITS } from './archive-budget.js';
import { openLog } from './index.js';
import { openByteSources } from './sources.js';
import { overlapping, unsafeMemberName } from './zip-members.js';

const FIX = join(import.meta.dirname, '../../../test/fixtures/logs');
const IIS = readFileSync(join(FIX, 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log'));
const tmp = mkdtempSync(join(tmpdir(), 'exhunt-archive-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
/** Bounds every test here: a bomb that got through would run for minutes. */
const BOUND = { timeout: 120_000 };

function tmpFile(name: string, data: Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, data);
  return p;
}

async function all(abs: string, display: string): Promise<{ records: LogRecord[]; issues: ParseIssue[] }> {
  const issues: ParseIssue[] = [];
  const records: LogRecord[] = [];
  for await (const r of openLog(abs, display, { onIssue: (i) => issues.push(i), family: 'iis' })) records.push(r);
  return { records, issues };
}

void describe('zip members', () => {
  void it('skips members with absolute, drive-letter or climbing names, reports each, and reads the rest', BOUND, async () => {
    const zip = makeZip([
      { name: '../evil.log', data: IIS },
      { name: '/etc/abs.log', data: IIS },
      { name: 'C:/Windows/x.log', data: IIS },
      { name: 'logs\\..\\..\\y.log', data: IIS },
      { name: 'W3SVC1/u_ex210303.log', data: IIS },
    ]);
    const { records, issues } = await all(tmpFile('names.zip', zip), 'names.zip');
    assert.deepEqual([...new Set(records.map((r) => r.location.path))], ['names.zip!W3SVC1/u_ex210303.log']);
    assert.equal(records.length, 4);
    assert.deepEqual(issues.map((i) => i.path), ['names.zip!../evil.log', 'names.zip!/etc/abs.log', 'names.zip!C:/Windows/x.log', 'names.zip!logs/../../y.log']);
    for (const i of issues) assert.match(i.message, /skipped \(the other members are read\)/);
  });

  void it('refuses members that share one deflate stream, with one issue', BOUND, async () => {
    const payload = Buffer.concat([IIS, Buffer.alloc(4 * 1024 * 1024, 'x')]);
    const zip = overlappingZip(payload, 2000);
    assert.ok(zip.length < 300 * 1024, `a small file (${zip.length} bytes) naming 8 GB`);
    const { records, issues } = await all(tmpFile('overlap.zip', zip), 'overlap.zip');
    assert.equal(records.length, 0);
    assert.equal(issues.length, 1, JSON.stringify(issues.slice(0, 3)));
    assert.equal(issues[0]?.path, 'overlap.zip');
    assert.match(issues[0]?.message ?? '', /^2000 zip members overlap other members' bytes \(a zip bomb\?\): refused: u_ex21000000\.log/);
  });

  void it('stops a zip of 200,000 empty members at the member budget, with one issue', BOUND, async () => {
    const { records, issues } = await all(tmpFile('empties.zip', emptyMembersZip(200_000)), 'empties.zip');
    assert.equal(records.length, 0);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, 'empties.zip');
    assert.match(issues[0]?.message ?? '', new RegExp(`member budget hit: more than ${DEFAULT_ARCHIVE_LIMITS.maxMembers} entries.*\\(200000 entries\\)`));
  });

  void it('tells overlapping spans from adjacent ones', () => {
    assert.deepEqual([...overlapping([{ offset: 0, end: 10 }, { offset: 10, end: 20 }, { offset: 20, end: 25 }])], []);
    assert.deepEqual([...overlapping([{ offset: 20, end: 40 }, { offset: 0, end: 10 }, { offset: 30, end: 35 }])].sort(), [0, 2]);
    assert.deepEqual([...overlapping([{ offset: 0, end: 100 }, { offset: 0, end: 100 }])].sort(), [0, 1]);
  });

  void it('names what makes a member name unsafe', () => {
    assert.equal(unsafeMemberName('W3SVC1/u_ex210303.log'), null);
    assert.equal(unsafeMemberName('a..b/c.log'), null);
    assert.match(unsafeMemberName('../x') ?? '', /climbs/);
    assert.match(unsafeMemberName('a\\..\\x') ?? '', /climbs/);
    assert.match(unsafeMemberName('/x') ?? '', /absolute/);
    assert.match(unsafeMemberName('\\x') ?? '', /absolute/);
    assert.match(unsafeMemberName('d:x') ?? '', /drive letter/);
  });
});

void describe('decompression budget', () => {
  void it('stops a .gz at 100 bytes out per byte on disk, with one issue', BOUND, async () => {
    const gz = inflatingGzip('\n', 2 * 1024 ** 3);
    const abs = tmpFile('newlines.log.gz', gz);
    const issues: ParseIssue[] = [];
    let out = 0;
    for await (const src of openByteSources(abs, 'newlines.log.gz', (i) => issues.push(i))) {
      for await (const chunk of src.chunks) out += chunk.length;
    }
    assert.equal(out, gz.length * DEFAULT_ARCHIVE_LIMITS.maxRatio);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, 'newlines.log.gz!newlines.log');
    assert.match(issues[0]?.message ?? '', /decompression budget hit: .*over 100:1/);
  });

  void it('allows small archives up to the floor and caps large ones at the total', () => {
    const small = new ArchiveBudget(1000);
    assert.equal(small.take(DEFAULT_ARCHIVE_LIMITS.ratioFloorBytes), DEFAULT_ARCHIVE_LIMITS.ratioFloorBytes);
    assert.equal(small.take(10), 0);
    assert.match(small.exhausted ?? '', /decompression budget hit/);
    const big = new ArchiveBudget(1e12, { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 5000 });
    assert.equal(big.take(4000), 4000);
    assert.equal(big.take(4000), 1000);
    assert.match(big.exhausted ?? '', /more than 5000 bytes out of one archive/);
    const members = new ArchiveBudget(10, { ...DEFAULT_ARCHIVE_LIMITS, maxMembers: 2 });
    assert.ok(members.member() && members.member());
    assert.equal(members.member(), false);
  });
});
