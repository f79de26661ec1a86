import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importKb, KbRejectedError } from './kb-import.js';
import { importedKbPath, loadKb } from './kb-load.js';
import type { KbBundle } from './types.js';

function setup(): { env: NodeJS.ProcessEnv; dir: string; bundle: KbBundle } {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-kb-'));
  const env = { EXHUNT_HOME: join(dir, 'home') };
  return { env, dir, bundle: loadKb({ env }).bundle };
}

function write(dir: string, name: string, data: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
}

void test('a newer valid bundle is installed owner-only and then used', () => {
  const { env, dir, bundle } = setup();
  const newer = { ...bundle, meta: { ...bundle.meta, kbVersion: '2099.01.01-1', kbDate: '2099-01-01' } };
  const r = importKb(write(dir, 'new.json', newer), env);
  assert.equal(r.path, importedKbPath(env));
  assert.equal(statSync(join(env.EXHUNT_HOME ?? '', 'kb')).mode & 0o777, 0o700);
  assert.equal(statSync(r.path).mode & 0o777, 0o600);
  const now = loadKb({ env });
  assert.equal(now.origin, 'imported');
  assert.equal(now.bundle.meta.kbDate, '2099-01-01');
});

void test('an older or same-date bundle is refused and the installed one is left untouched', () => {
  const { env, dir, bundle } = setup();
  const newer = { ...bundle, meta: { ...bundle.meta, kbVersion: '2099.01.01-1', kbDate: '2099-01-01' } };
  importKb(write(dir, 'new.json', newer), env);
  const before = readFileSync(importedKbPath(env), 'utf8');
  assert.throws(() => importKb(write(dir, 'old.json', bundle), env), KbRejectedError);
  assert.throws(() => importKb(write(dir, 'same.json', newer), env), /not newer/);
  assert.equal(readFileSync(importedKbPath(env), 'utf8'), before);
});

void test('malformed bundles are refused with a clear error and nothing is installed', () => {
  const { env, dir, bundle } = setup();
  assert.throws(() => importKb(write(dir, 'bad.json', '{not json'), env), /not valid JSON/);
  assert.throws(() => importKb(write(dir, 'schema.json', { meta: bundle.meta }), env), /schema/);
  const dangling = {
    ...bundle,
    meta: { ...bundle.meta, kbDate: '2099-01-01' },
    updates: [...bundle.updates, { id: 'Jan99SU', kind: 'su', date: '2099-01-01', products: ['exse'], cves: ['CVE-2099-0001'], source: 'ms-builds' }],
  };
  assert.throws(() => importKb(write(dir, 'dangling.json', dangling), env), /inconsistent.*CVE-2099-0001/);
  assert.equal(existsSync(importedKbPath(env)), false);
});
