/**
 * Self-contained tests of the EVTX parser: files built by our own writer (test-writer.ts)
 * must round-trip; corrupt chunks/records and truncated files are reported and skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import type { EventRecord, ParseIssue } from '../types.js';
import { flattenEvent, readEvtx, readEvtxBatches, readEvtxJsonl, readEvtxSync, toParseJson } from './index.js';
import { buildEvtx, type WriterEvent } from './test-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-evtx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function logon(id: number): WriterEvent {
  return {
    recordId: id,
    time: `2021-03-03T01:02:${String(id % 60).padStart(2, '0')}.1234567Z`,
    eventId: 4624,
    level: 0,
    channel: 'Security',
    provider: 'Microsoft-Windows-Security-Auditing',
    computer: 'EXCH01.corp.local',
    data: [
      { name: 'SubjectUserSid', value: { sid: 'S-1-5-18' } },
      { name: 'TargetUserName', value: `user${id}` },
      { name: 'TargetLogonId', value: { hex64: 0x3e7n } },
      { name: 'LogonType', value: { uint32: 3 } },
      { name: 'ProcessName', value: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe' },
    ],
  };
}

const cleared: WriterEvent = {
  recordId: 9001,
  time: '2021-03-04T05:06:07.0000001Z',
  eventId: 1102,
  level: 4,
  channel: 'Security',
  provider: 'Microsoft-Windows-Eventlog',
  computer: 'EXCH01.corp.local',
  userData: {
    root: 'LogFileCleared',
    xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog',
    fields: [['SubjectUserSid', 'S-1-5-21-1-2-3-500'], ['SubjectUserName', 'admin & <ops>'], ['SubjectDomainName', 'CORP'], ['SubjectLogonId', '']],
  },
};

const classic: WriterEvent = {
  recordId: 9002,
  time: '2021-03-04T05:06:08Z',
  eventId: 1033,
  qualifiers: 0,
  level: 4,
  channel: 'Application',
  provider: 'MsiInstaller',
  computer: 'EXCH01',
  data: [{ name: 'Mixed', value: 'named' }, { value: 'first' }, { value: ['a', '', 'c'] }, { name: '__proto__', value: 'kept' }],
};

function write(name: string, buf: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, buf);
  return p;
}

function collect(path: string): { records: EventRecord[]; issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  const records = [...readEvtxSync(path, 'C/logs/test.evtx', { onIssue: (i) => issues.push(i) })];
  return { records, issues };
}

/** Rewrites both CRCs of the chunk at `chunkOff` after a deliberate edit. */
function fixCrcs(file: Buffer, chunkOff: number): void {
  const free = file.readUInt32LE(chunkOff + 48);
  file.writeUInt32LE(crc32(file.subarray(chunkOff + 512, chunkOff + free)), chunkOff + 52);
  const head = crc32(file.subarray(chunkOff + 128, chunkOff + 512), crc32(file.subarray(chunkOff, chunkOff + 120)));
  file.writeUInt32LE(head, chunkOff + 124);
}

void describe('evtx parser on writer-built files', () => {
  const many = Array.from({ length: 2500 }, (_, i) => logon(i + 1));
  const events = [...many, cleared, classic];
  const path = write('round.evtx', buildEvtx(events));

  void it('round-trips System fields, named/unnamed Data and typed values', () => {
    const { records, issues } = collect(path);
    assert.deepEqual(issues, []);
    assert.equal(records.length, events.length);
    const r = records[41] as EventRecord;
    assert.equal(r.recordId, 42);
    assert.equal(r.eventId, 4624);
    assert.equal(r.level, 0);
    assert.equal(r.time, '2021-03-03T01:02:42.1234567Z');
    assert.equal(r.channel, 'Security');
    assert.equal(r.provider, 'Microsoft-Windows-Security-Auditing');
    assert.equal(r.computer, 'EXCH01.corp.local');
    assert.deepEqual(r.data, {
      SubjectUserSid: 'S-1-5-18',
      TargetUserName: 'user42',
      TargetLogonId: '0x3e7',
      LogonType: '3',
      ProcessName: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
    });
    assert.deepEqual(r.dataUnnamed, []);
    assert.equal(r.userData, null);
    assert.deepEqual(r.location, { path: 'C/logs/test.evtx', recordId: 42, offset: r.location.offset });
    assert.deepEqual(records.map((x) => x.recordId), events.map((e) => e.recordId));
  });

  void it('reads a 1102-style UserData event (nested BinXml, entity and char refs)', () => {
    const r = collect(path).records.find((x) => x.eventId === 1102) as EventRecord;
    assert.equal(r.time, '2021-03-04T05:06:07.0000001Z');
    assert.deepEqual(r.data, {});
    assert.deepEqual(r.userData, {
      LogFileCleared: { SubjectUserSid: 'S-1-5-21-1-2-3-500', SubjectUserName: 'admin & <ops>', SubjectDomainName: 'CORP', SubjectLogonId: '' },
    });
    assert.equal(flattenEvent(r)['SubjectUserName'], 'admin & <ops>');
  });

  void it('keeps unnamed Data in order and repeats Data per string-array item', () => {
    const r = collect(path).records.find((x) => x.eventId === 1033) as EventRecord;
    assert.equal(Object.getPrototypeOf(r.data), Object.prototype);
    assert.deepEqual(Object.entries(r.data), [['Mixed', 'named'], ['__proto__', 'kept']]);
    assert.match(JSON.stringify(r.data), /"__proto__":"kept"/);
    assert.deepEqual(r.dataUnnamed, ['first', 'a', '', 'c']);
    assert.equal(r.time, '2021-03-04T05:06:08.0000000Z');
  });

  void it('gives the same records through the worker pool, in file order', async () => {
    const pooled: EventRecord[] = [];
    for await (const r of readEvtx(path, 'C/logs/test.evtx', { workers: 2, poolAboveChunks: 0 })) pooled.push(r);
    assert.deepEqual(pooled, collect(path).records);
  });

  void it('gives the same records in batches', async () => {
    const flat: EventRecord[] = [];
    for await (const batch of readEvtxBatches(path, 'C/logs/test.evtx', { poolAboveChunks: 0 })) flat.push(...batch);
    assert.deepEqual(flat, collect(path).records);
  });

  void it('stops the worker pool when the reader stops early', async () => {
    const seen: number[] = [];
    for await (const r of readEvtx(path, 'x.evtx', { workers: 2, poolAboveChunks: 0 })) {
      seen.push(r.recordId);
      if (seen.length === 10) break;
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  void it('streams the parse JSONL view', async () => {
    let text = '';
    for await (const block of readEvtxJsonl(path, 'x.evtx', { poolAboveChunks: 0 })) text += block;
    const lines = text.trim().split('\n');
    assert.equal(lines.length, events.length);
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), ['recordId', 'time', 'eventId', 'level', 'channel', 'provider', 'computer', 'data', 'dataUnnamed', 'userData']);
    assert.deepEqual(first, toParseJson(collect(path).records[0] as EventRecord));
  });

  void it('flattens System fields and data for rule matching', () => {
    const f = flattenEvent(collect(path).records[0] as EventRecord);
    assert.equal(f['EventID'], '4624');
    assert.equal(f['Channel'], 'Security');
    assert.equal(f['Provider_Name'], 'Microsoft-Windows-Security-Auditing');
    assert.equal(f['TargetUserName'], 'user1');
  });
});

void describe('evtx parser on damaged files', () => {
  const events = Array.from({ length: 900 }, (_, i) => logon(i + 1));
  const good = buildEvtx(events);
  const chunkCount = (good.length - 4096) / 65536;

  void it('reports a chunk whose CRC does not match and parses the other chunks', () => {
    assert.ok(chunkCount >= 3);
    const bad = Buffer.from(good);
    const chunkOff = 4096 + 65536;
    bad[chunkOff + 2000] = (bad[chunkOff + 2000] as number) ^ 0xff;
    const { records, issues } = collect(write('crc.evtx', bad));
    assert.equal(issues.length, 1);
    assert.match(issues[0]?.message ?? '', /chunk at file offset 0x11000: chunk records CRC32 mismatch; chunk skipped/);
    assert.equal(issues[0]?.path, 'C/logs/test.evtx');
    const all = collect(write('ok.evtx', good)).records;
    const lost = all.filter((r) => r.location.offset !== undefined && r.location.offset >= chunkOff && r.location.offset < chunkOff + 65536);
    assert.equal(records.length, all.length - lost.length);
    assert.ok(records.some((r) => r.recordId === 900));
  });

  void it('reports a chunk with a bad magic', () => {
    const bad = Buffer.from(good);
    bad.write('XXXX', 4096, 'latin1');
    const { records, issues } = collect(write('magic.evtx', bad));
    assert.match(issues[0]?.message ?? '', /0x1000: bad chunk magic/);
    assert.ok(records.length > 0 && records.length < events.length);
  });

  void it('skips one record with bad BinXml and keeps the rest of its chunk', () => {
    const bad = Buffer.from(good);
    const chunkOff = 4096;
    const second = chunkOff + 512 + bad.readUInt32LE(chunkOff + 512 + 4);
    bad[second + 24 + 4] = 0x0b; // template instance token → PI data with a bogus length
    bad.writeUInt16LE(0xffff, second + 24 + 5);
    fixCrcs(bad, chunkOff);
    const { records, issues } = collect(write('binxml.evtx', bad));
    assert.equal(issues.length, 1);
    assert.match(issues[0]?.message ?? '', /record at 0x[0-9a-f]+ \(record id 2\): bad BinXml/);
    assert.equal(records.length, events.length - 1);
    assert.deepEqual(records.slice(0, 2).map((r) => r.recordId), [1, 3]);
  });

  void it('parses a truncated file up to the cut and reports the partial chunk', () => {
    const cut = good.subarray(0, 4096 + 65536 + 30000);
    const { records, issues } = collect(write('cut.evtx', cut));
    assert.match(issues[0]?.message ?? '', /truncated chunk \(30000 of 65536 bytes\)/);
    assert.equal(records[records.length - 1]?.recordId, records.length);
  });

  void it('reports a file that is not EVTX without throwing', async () => {
    const issues: ParseIssue[] = [];
    const out: EventRecord[] = [];
    for await (const r of readEvtx(write('junk.evtx', Buffer.from('hello, not a log')), 'junk.evtx', { onIssue: (i) => issues.push(i) })) out.push(r);
    assert.equal(out.length, 0);
    assert.match(issues[0]?.message ?? '', /ElfFile/);
  });
});
