/**
 * Oracle check: every real sample in ../shared/samples/evtx (outside the repository) must
 * read exactly as python-evtx read it (NAME.oracle.jsonl), up to the documented rendering
 * differences in oracle-compare.ts. Skipped when the folder is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { EventRecord } from '../types.js';
import { readEvtxSync } from './index.js';
import { compareWithOracle, readOracle } from './oracle-compare.js';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const samples = join(repo, '../shared/samples/evtx');
const present = existsSync(samples);
const files = present ? readdirSync(samples).filter((f) => f.endsWith('.evtx') && existsSync(join(samples, f.replace(/\.evtx$/, '.oracle.jsonl')))) : [];
const skip = present && files.length > 0 ? false : `no samples: put NAME.evtx + NAME.oracle.jsonl (python3-evtx) in ${samples} to enable`;

void describe('evtx parser against python-evtx readings of real samples', { skip }, () => {
  for (const f of files.sort()) {
    void it(f, () => {
      const ours: EventRecord[] = [...readEvtxSync(join(samples, f), f, { onIssue: (i) => assert.fail(i.message) })];
      const res = compareWithOracle(readOracle(join(samples, f.replace(/\.evtx$/, '.oracle.jsonl'))), ours);
      assert.deepEqual(res.mismatches.slice(0, 5), []);
    });
  }
});
