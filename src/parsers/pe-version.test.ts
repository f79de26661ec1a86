import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peFileVersion, readPeFileVersion } from './pe-version.js';
import { tinyPe } from '../../test/fixtures/posture/tiny-pe.js';

void test('reads the FileVersion from VS_FIXEDFILEINFO', () => {
  const r = peFileVersion(tinyPe((15 << 16) | 2, (1748 << 16) | 46));
  assert.ok(r.ok);
  assert.equal(r.version.text, '15.2.1748.46');
});

void test('reads from a file on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-pe-'));
  const p = join(dir, 'ExSetup.exe');
  writeFileSync(p, tinyPe((15 << 16) | 1, (2507 << 16) | 6));
  const r = await readPeFileVersion(p);
  assert.ok(r.ok);
  assert.equal(r.version.text, '15.1.2507.6');
});

void test('look-alikes: no MZ, no version resource, another resource type', () => {
  assert.equal(peFileVersion(Buffer.from('MZ is not enough')).ok, false);
  assert.equal(peFileVersion(Buffer.from('hello world, 15.2.792.10')).ok, false);
  assert.equal(peFileVersion(tinyPe(1, 1, { withVersion: false })).ok, false);
  assert.equal(peFileVersion(tinyPe(1, 1, { resourceType: 3 })).ok, false);
});

void test('hostile input: truncations and wild offsets yield errors, never throws', () => {
  const good = tinyPe((15 << 16) | 2, (792 << 16) | 10);
  for (let n = 0; n < good.length; n += 7) {
    const r = peFileVersion(good.subarray(0, n));
    if (r.ok) assert.equal(r.version.text, '15.2.792.10');
  }
  const wild = Buffer.from(good);
  wild.writeUInt32LE(0xfffffff0, 0x3c);
  assert.equal(peFileVersion(wild).ok, false);
  const loop = Buffer.from(good);
  loop.writeUInt32LE(0x80000000, 0x200 + 20); // root entry points at itself
  assert.equal(peFileVersion(loop).ok, false);
  const many = Buffer.from(good);
  many.writeUInt16LE(0xffff, 0x200 + 14);
  assert.equal(peFileVersion(many).ok, false);
  for (let seed = 1; seed < 200; seed++) {
    const fuzz = Buffer.from(good);
    const at = (seed * 7919) % fuzz.length;
    fuzz[at] = (seed * 31) & 0xff;
    assert.doesNotThrow(() => peFileVersion(fuzz));
  }
});
