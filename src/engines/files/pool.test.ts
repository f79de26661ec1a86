/** The scan pool: workers read, hash and YARA-scan files; failures come back as replies. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { POSITIVES, assemble } from '../../../test/fixtures/files/samples.js';
import { compileYara } from '../../rules/yara.js';
import { createScanPool } from './pool.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-pool-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

void describe('createScanPool', () => {
  void it('scans in worker threads with the same rules and reports unreadable files', async () => {
    const compiled = await compileYara([]);
    assert.ok(compiled.available);
    const pool = createScanPool(compiled.recipe, 2, 1000);
    assert.ok(pool);
    try {
      const text = assemble(POSITIVES.exh_chopper_vbscript_eval_request ?? '');
      const file = join(dir, 'a.asp');
      writeFileSync(file, text);
      const r = await pool.run(file, { filename: 'a.asp' });
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.hashes.sha256, createHash('sha256').update(text).digest('hex'));
      assert.ok(r.matches.map((m) => `${m.namespace}:${m.rule}`).includes('exhunt:exh_chopper_vbscript_eval_request'));
      assert.equal(Buffer.from(r.buf).toString(), text);
      const big = join(dir, 'big.asp');
      writeFileSync(big, 'x'.repeat(2000));
      const over = await pool.run(big, {});
      assert.equal(over.ok, false);
      const missing = await pool.run(join(dir, 'missing'), {});
      assert.equal(missing.ok, false);
    } finally {
      await pool.close();
    }
  });
});
