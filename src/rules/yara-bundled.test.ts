/** The bundled YARA rules: each has metadata, a positive sample and look-alikes that stay quiet. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { LOOKALIKES, LOOKALIKES_BELOW_MEDIUM, POSITIVES, VARIANTS, assemble } from '../../test/fixtures/files/samples.js';
import { yaraSeverity } from '../engines/files/findings.js';
import { atLeast } from '../findings/types.js';
import { compileYara, type YaraScanner } from './yara.js';
import { BUNDLED_YARA_DIR, declaredRules } from './yara-source.js';

const ruleFiles = readdirSync(BUNDLED_YARA_DIR).filter((f) => f.endsWith('.yar'));
const publicRules = ruleFiles.flatMap((f) => {
  const text = readFileSync(join(BUNDLED_YARA_DIR, f), 'utf8');
  const privates = new Set([...text.matchAll(/^private rule (\w+)/gm)].map((m) => m[1]));
  return declaredRules(text).filter((r) => !privates.has(r));
});

void describe('bundled YARA rules', () => {
  let scanner: YaraScanner;
  before(async () => {
    const r = await compileYara([]);
    assert.ok(r.available, 'YARA-X loads on this platform');
    assert.deepEqual(r.diagnostics, []);
    scanner = r.scanner;
  });

  void it('every public rule has a positive sample', () => {
    assert.deepEqual(publicRules.filter((r) => !(r in POSITIVES)), []);
  });

  void it('every public rule carries author, description, reference, license, score, severity, date', () => {
    for (const f of ruleFiles) {
      const text = readFileSync(join(BUNDLED_YARA_DIR, f), 'utf8');
      for (const block of text.split(/^rule /m).slice(1)) {
        for (const key of ['author = "exhunt"', 'description =', 'reference =', 'license =', 'score =', 'severity =', 'date =']) {
          assert.ok(block.includes(key), `${f}: rule ${block.split(/\s/)[0]} lacks ${key}`);
        }
      }
    }
  });

  for (const [rule, stored] of Object.entries(POSITIVES)) {
    void it(`${rule} fires on its sample`, () => {
      const hits = scanner.scan(Buffer.from(assemble(stored), 'latin1')).map((m) => m.rule);
      assert.ok(hits.includes(rule), `${rule} not in [${hits.join(', ')}]`);
    });
  }

  for (const [i, [rule, stored]] of VARIANTS.entries()) {
    void it(`${rule} fires on variant ${i}`, () => {
      const hits = scanner.scan(Buffer.from(assemble(stored), 'latin1')).map((m) => m.rule);
      assert.ok(hits.includes(rule), `${rule} not in [${hits.join(', ')}]`);
    });
  }

  for (const [name, text] of Object.entries(LOOKALIKES)) {
    void it(`look-alike ${name} raises nothing`, () => {
      assert.deepEqual(scanner.scan(Buffer.from(text)).map((m) => m.rule), []);
    });
  }

  for (const [name, text] of Object.entries(LOOKALIKES_BELOW_MEDIUM)) {
    void it(`look-alike ${name} raises nothing at medium or above`, () => {
      const serious = scanner.scan(Buffer.from(text)).filter((m) => atLeast(yaraSeverity(m.meta), 'medium'));
      assert.deepEqual(serious.map((m) => m.rule), []);
    });
  }

  void it('the same samples give the same rules with the yara 4.2 CLI (when installed)', (t) => {
    if (spawnSync('yara', ['--version']).status !== 0) return t.skip('yara CLI not installed');
    const dir = mkdtempSync(join(tmpdir(), 'exhunt-yara-'));
    try {
      const names = Object.keys(POSITIVES);
      names.forEach((r, i) => writeFileSync(join(dir, `p${i}`), assemble(POSITIVES[r] ?? ''), 'latin1'));
      const rules = ruleFiles.map((f) => join(BUNDLED_YARA_DIR, f));
      const out = execFileSync('yara', ['-w', '-r', ...rules, dir], { encoding: 'utf8' });
      const got = new Set(out.split('\n').filter(Boolean).map((l) => `${l.split(' ')[0]}@${l.slice(l.lastIndexOf('/') + 2)}`));
      for (const [i, r] of names.entries()) assert.ok(got.has(`${r}@${i}`), `yara 4.2: ${r} did not fire`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
