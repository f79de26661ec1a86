/**
 * The regf reader against the reference readings of real hives in ../shared/samples/registry
 * (outside the repository; see its README): key by key and value by value — path, name,
 * last-written time, class name, counts, every value's name, type, size and data — equal to
 * NAME.keys.jsonl for clean hives and for dirty ones read without their logs, and equal to yarp's
 * recovered reading (NAME.recovered-yarp.keys.jsonl) once the logs are replayed. The corrupt
 * hive gives the same key paths as hivex's best-effort export. Skipped when the folder is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { keyRecord, openHive, type KeyRecord } from './index.js';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const samples = join(repo, '../shared/samples/registry');
const present = existsSync(join(samples, 'summary.jsonl'));
const skip = present ? false : `no samples: the reference hives of ${samples} enable this suite`;

interface Summary {
  readonly file: string;
  readonly dirty: boolean;
  readonly keys: number;
}

/** The reference record without the fields that only say where pyregf was corrected. */
function reference(line: string): Record<string, unknown> {
  const { libregf_name: _n, values, ...rest } = JSON.parse(line) as Record<string, unknown> & { values?: Record<string, unknown>[] };
  return { ...rest, values: (values ?? []).map(({ libregf: _l, libregf_name: _m, ...v }) => v) };
}

async function compare(hiveFile: string, oracle: string, replay: boolean): Promise<{ recovered: boolean }> {
  const { hive, recovery } = await openHive(join(samples, hiveFile), { replay });
  const ref = readFileSync(join(samples, oracle), 'utf8').trim().split('\n');
  let i = 0;
  for (const k of hive.keys()) {
    const { errors, ...mine } = keyRecord(k) as KeyRecord & { errors?: unknown };
    assert.equal(errors, undefined, `${k.path}: ${JSON.stringify(errors)}`);
    const want = ref[i];
    assert.ok(want !== undefined, `more keys than the reference: ${k.path}`);
    // Compared as JSON text: exact for every field, including non-ASCII names and hex data.
    if (JSON.stringify(mine) !== JSON.stringify(reference(want))) {
      assert.deepEqual(mine, reference(want), `key ${i} of ${hiveFile}`);
    }
    i += 1;
  }
  assert.equal(i, ref.length, `${hiveFile}: ${i} keys, reference ${ref.length}`);
  return { recovered: recovery.applied.length > 0 };
}

const summaries: Summary[] = present
  ? readFileSync(join(samples, 'summary.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Summary)
  : [];

void describe('regf reader against reference readings of real hives', { skip }, () => {
  for (const s of summaries.filter((x) => !x.file.endsWith('.recovered-yarp') && x.keys > 0)) {
    void it(`${s.file}: as on disk`, async () => {
      const r = await compare(s.file, `${s.file}.keys.jsonl`, false);
      assert.equal(r.recovered, false);
    });
    if (s.dirty) {
      void it(`${s.file}: logs replayed = yarp's recovery`, async () => {
        const r = await compare(s.file, `${s.file}.recovered-yarp.keys.jsonl`, true);
        assert.equal(r.recovered, true);
      });
    } else if (existsSync(join(samples, `${s.file}.LOG1`))) {
      void it(`${s.file}: clean, so its stale logs are not replayed`, async () => {
        const r = await compare(s.file, `${s.file}.keys.jsonl`, true);
        assert.equal(r.recovered, false);
      });
    }
  }

  void it('corrupt-SYSTEM: every key path hivex exports, errors where cells are damaged, no hang', async () => {
    const { hive } = await openHive(join(samples, 'corrupt-SYSTEM'));
    const paths = new Set<string>();
    let damaged = 0;
    for (const k of hive.keys()) {
      paths.add(k.path);
      if (k.errors.length > 0) damaged += 1;
    }
    const hivex = readFileSync(join(samples, 'corrupt-SYSTEM.hivex.reg'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('[') && l.trimEnd().endsWith(']'))
      .map((l) => l.trimEnd().slice(1, -1));
    assert.equal(paths.size, hivex.length);
    for (const p of hivex) assert.ok(paths.has(p), p);
    assert.ok(damaged > 0);
  });
});
