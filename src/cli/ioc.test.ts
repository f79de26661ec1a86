import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerIoc, runIocImport, runIocList, runIocRemove } from './ioc.js';
import { UsageError } from './errors.js';

const FIX = join(import.meta.dirname, '../../test/fixtures/iocs');

test('import, list (text and json), remove', async () => {
  const root = mkdtempSync(join(tmpdir(), 'exhunt-ioccli-'));
  const home = join(root, 'home');
  let out = '';
  const w = (s: string): void => { out += s; };
  assert.equal(await runIocImport(home, join(FIX, 'stix-bundle.json'), { name: 'cisa', tlp: 'white' }, w), 0);
  assert.match(out, /Imported "cisa" \([0-9a-f]{12}, stix\): 8 indicator\(s\)/);
  assert.match(out, /3 not applied/);
  assert.match(out, /indicator--0+-0000-4000-8000-000000000005: object path email-addr:value/);
  out = '';
  await runIocList(home, { format: 'text' }, w, w);
  assert.match(out, /cisa {2}\(stix, TLP amber\/clear\/green\/red/);
  assert.match(out, /1 feed\(s\), 8 indicator\(s\)/);
  out = '';
  await runIocList(home, { format: 'json' }, w, w);
  const list = JSON.parse(out) as { name: string; counts: Record<string, number>; sha256: string }[];
  assert.equal(list[0]?.name, 'cisa');
  assert.equal(list[0]?.counts.ip, 2);
  out = '';
  await runIocRemove(home, 'cisa', w);
  assert.match(out, /Removed "cisa"/);
  rmSync(root, { recursive: true, force: true });
});

test('bad feeds and bad options are usage errors (exit 2)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'exhunt-ioccli-'));
  const home = join(root, 'home');
  await assert.rejects(runIocImport(home, join(FIX, 'malformed-quote.csv'), {}, () => undefined), (e) => e instanceof UsageError && /malformed-quote\.csv:3/.test(e.message));
  await assert.rejects(runIocImport(home, join(FIX, 'mstic.csv'), { tlp: 'purple' }, () => undefined), UsageError);
  await assert.rejects(runIocRemove(home, 'nothing', () => undefined), UsageError);
  rmSync(root, { recursive: true, force: true });
});

test('registerIoc adds the ioc command', () => {
  const p = new Command();
  assert.deepEqual(registerIoc(p), ['ioc']);
  assert.deepEqual(p.commands.find((c) => c.name() === 'ioc')?.commands.map((c) => c.name()), ['import', 'list', 'remove']);
});
