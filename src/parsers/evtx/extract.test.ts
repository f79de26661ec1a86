/**
 * The fast template path (extract.ts) must give exactly the records of the generic tree
 * path, on writer-built files and, when present, on every real sample.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseChunk } from './chunk.js';
import { buildEvtx, type WriterEvent } from './test-writer.js';

function sameBothWays(file: Buffer): number {
  let n = 0;
  for (let p = 4096; p + 65536 <= file.length; p += 65536) {
    const chunk = file.subarray(p, p + 65536);
    const fast = parseChunk(chunk, p, 'f.evtx');
    const generic = parseChunk(chunk, p, 'f.evtx', { generic: true });
    assert.deepEqual(fast, generic, `chunk at 0x${p.toString(16)}`);
    n += fast.records.length;
  }
  return n;
}

const base = { time: '2021-03-03T01:02:03.0000004Z', level: 4, channel: 'Application', provider: 'P', computer: 'H' };
const events: WriterEvent[] = [
  { ...base, recordId: 1, eventId: 4624, data: [{ name: 'A', value: 'x' }, { name: 'B', value: { hex64: 5n } }, { name: 'A', value: 'again' }] },
  { ...base, recordId: 2, eventId: 1033, qualifiers: 0, data: [{ value: ['a', '', 'c'] }, { name: 'N', value: ['p', 'q'] }, { value: '' }] },
  { ...base, recordId: 3, eventId: 1102, userData: { root: 'R', xmlns: 'urn:x', fields: [['K', 'v & <w>'], ['K', 'second'], ['E', '']] } },
  { ...base, recordId: 4, eventId: 7, data: [{ value: { sid: 'S-1-5-18' } }, { value: { uint32: 7 } }] },
];

void describe('evtx fast path', () => {
  void it('equals the generic path on writer-built records', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ ...(events[i % events.length] as WriterEvent), recordId: i + 1 }));
    assert.equal(sameBothWays(buildEvtx(many)), 400);
  });

  const samples = resolve(fileURLToPath(new URL('../../..', import.meta.url)), '../shared/samples/evtx');
  const files = existsSync(samples) ? readdirSync(samples).filter((f) => f.endsWith('.evtx')) : [];
  void it('equals the generic path on every real sample', { skip: files.length === 0 ? `no samples in ${samples}` : false }, () => {
    let n = 0;
    for (const f of files) n += sameBothWays(readFileSync(join(samples, f)));
    assert.ok(n > 10000);
  });
});
