// Registry hives of a collection: found where KAPE puts them, and the Exchange Setup key of the
// SOFTWARE hive gives the install path (discovery) and the CU build (when nothing better shows it).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { buildHive, dword, sz, type KeySpec } from '../../test/fixtures/regf/build-hive.js';
import { detectBuild } from '../engines/posture/detect-build.js';
import { discoverSources } from './discover.js';
import { discoveryItems } from './discovery-items.js';
import { findHives, readHiveSetup } from './hives.js';
import { openEvidenceRoot } from './root.js';

const base = mkdtempSync(path.join(tmpdir(), 'exhunt-hives-'));
after(() => rmSync(base, { recursive: true, force: true }));

function software(installPath: string, build: readonly [number, number, number, number] | null): Buffer {
  const values = [
    { name: 'MsiInstallPath', type: 1, data: sz(installPath) },
    ...(build === null ? [] : ['MsiProductMajor', 'MsiProductMinor', 'MsiBuildMajor', 'MsiBuildMinor'].map((n, i) => ({ name: n, type: 4, data: dword(build[i] ?? 0) }))),
  ];
  const root: KeySpec = {
    name: 'ROOT',
    children: [{ name: 'Microsoft', children: [{ name: 'ExchangeServer', children: [{ name: 'v15', children: [{ name: 'Setup', values }] }] }, { name: 'Windows' }] }],
  };
  return buildHive(root).buf;
}

function put(dir: string, rel: string, data: Buffer | string): void {
  const abs = path.join(dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
}

void test('hives: found in the KAPE layout, names in any case, folders of the same name ignored', async () => {
  const dir = path.join(base, 'kape');
  put(dir, 'C/Windows/System32/config/SOFTWARE', software('D:\\Exchange\\V15\\', null));
  put(dir, 'C/Windows/System32/config/system', buildHive({ name: 'ROOT' }).buf);
  mkdirSync(path.join(dir, 'C/Windows/System32/config/SAM'), { recursive: true });
  put(dir, 'C/Users/admin/NTUSER.DAT', buildHive({ name: 'ROOT' }).buf);
  put(dir, 'C/Users/admin/AppData/Local/Microsoft/Windows/UsrClass.dat', buildHive({ name: 'ROOT' }).buf);
  mkdirSync(path.join(dir, 'C/Users/Public'), { recursive: true });
  const root = await openEvidenceRoot(dir);
  const hives = await findHives(root);
  assert.deepEqual(hives.map((h) => [h.kind, h.evidencePath, h.user ?? null]), [
    ['SYSTEM', 'C/Windows/System32/config/system', null],
    ['SOFTWARE', 'C/Windows/System32/config/SOFTWARE', null],
    ['NTUSER', 'C/Users/admin/NTUSER.DAT', 'admin'],
    ['USRCLASS', 'C/Users/admin/AppData/Local/Microsoft/Windows/UsrClass.dat', 'admin'],
  ]);
});

void test('hives: the SOFTWARE hive names an Exchange install on another drive; discovery finds it there', async () => {
  const dir = path.join(base, 'd-drive');
  put(dir, 'C/Windows/System32/config/SOFTWARE', software('D:\\Exchange\\V15\\', [15, 2, 1544, 4]));
  mkdirSync(path.join(dir, 'C/Windows/System32/winevt/Logs'), { recursive: true });
  put(dir, 'D/Exchange/V15/Logging/HttpProxy/Owa/HttpProxy_2021030101-1.LOG', 'x');
  const root = await openEvidenceRoot(dir);
  const errors: string[] = [];
  const s = await discoverSources(root, { onError: (e) => errors.push(e.message) });
  assert.equal(s.exchange?.evidencePath, 'D/Exchange/V15');
  assert.equal(s.exchange?.foundBy, 'registry');
  assert.deepEqual(errors, []);
  const item = discoveryItems(s).find((i) => i.kind === 'registry-hives');
  assert.equal(item?.found, true);
  // No ExSetup.exe, no versioned folders: the Setup key's build (CU level only).
  const b = await detectBuild({ exchangeAbs: s.exchange?.abs ?? null, exsetupAbs: null, regFiles: [], softwareHives: s.hives.filter((h) => h.kind === 'SOFTWARE').map((h) => h.abs) });
  assert.deepEqual([b?.build, b?.source, b?.partial], ['15.2.1544', 'registry', true]);
});

void test('hives: a SOFTWARE hive without Exchange, or a damaged one, gives no install and says why', async () => {
  const dir = path.join(base, 'no-exchange');
  put(dir, 'C/Windows/System32/config/SOFTWARE', buildHive({ name: 'ROOT', children: [{ name: 'Microsoft' }] }).buf);
  assert.equal(await readHiveSetup(path.join(dir, 'C/Windows/System32/config/SOFTWARE')), null);
  const bad = path.join(base, 'bad');
  put(bad, 'C/Windows/System32/config/SOFTWARE', 'regf but not really a hive');
  mkdirSync(path.join(bad, 'C/Windows/System32/winevt/Logs'), { recursive: true });
  const errors: string[] = [];
  const s = await discoverSources(await openEvidenceRoot(bad), { onError: (e) => errors.push(`${e.path}: ${e.message}`) });
  assert.equal(s.exchange, null);
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /^C\/Windows\/System32\/config\/SOFTWARE: registry hive not readable: /);
});
