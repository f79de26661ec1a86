import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectBuild } from './detect-build.js';
import { tinyPe } from '../../../test/fixtures/posture/tiny-pe.js';

function install(): string {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-detect-'));
  const ex = join(dir, 'Exchange Server', 'V15');
  mkdirSync(join(ex, 'Bin'), { recursive: true });
  return ex;
}

void test('ExSetup.exe FileVersion decides first', async () => {
  const ex = install();
  const exsetup = join(ex, 'Bin', 'ExSetup.exe');
  writeFileSync(exsetup, tinyPe((15 << 16) | 2, (1748 << 16) | 46));
  mkdirSync(join(ex, 'FrontEnd', 'HttpProxy', 'owa', 'auth', '15.2.792'), { recursive: true });
  const r = await detectBuild({ exchangeAbs: ex, exsetupAbs: exsetup, regFiles: [], buildOption: '15.0.1497.2' });
  assert.deepEqual({ build: r?.build, source: r?.source, partial: r?.partial }, { build: '15.2.1748.46', source: 'ExSetup.exe', partial: false });
});

void test('without a readable ExSetup.exe, the highest versioned OWA/ECP folder (case-insensitive) decides', async () => {
  const ex = install();
  const exsetup = join(ex, 'Bin', 'ExSetup.exe');
  writeFileSync(exsetup, 'not a PE file');
  mkdirSync(join(ex, 'frontend', 'httpproxy', 'OWA', 'Auth', '15.2.792'), { recursive: true });
  mkdirSync(join(ex, 'frontend', 'httpproxy', 'OWA', 'Auth', 'Current'), { recursive: true });
  mkdirSync(join(ex, 'ClientAccess', 'ecp', '15.2.721'), { recursive: true });
  const r = await detectBuild({ exchangeAbs: ex, exsetupAbs: exsetup, regFiles: [] });
  assert.deepEqual({ build: r?.build, source: r?.source, partial: r?.partial }, { build: '15.2.792', source: 'folder', partial: true });
  assert.ok(r?.notes?.some((n) => n.startsWith('ExSetup.exe:')));
  mkdirSync(join(ex, 'ClientAccess', 'Owa', 'prem', '15.2.792.10'), { recursive: true });
  const r2 = await detectBuild({ exchangeAbs: ex, exsetupAbs: null, regFiles: [] });
  assert.deepEqual({ build: r2?.build, partial: r2?.partial }, { build: '15.2.792.10', partial: false });
});

void test('then a .reg export (CU only), then --build; look-alike folder names do not count', async () => {
  const ex = install();
  mkdirSync(join(ex, 'FrontEnd', 'HttpProxy', 'owa', 'auth', '15.2.792.10.evil'), { recursive: true });
  mkdirSync(join(ex, 'FrontEnd', 'HttpProxy', 'owa', 'auth', 'v15.2.792'), { recursive: true });
  const reg = join(ex, 'setup.reg');
  writeFileSync(reg, '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup]\n"MsiProductMajor"=dword:0000000f\n"MsiProductMinor"=dword:00000001\n"MsiBuildMajor"=dword:000009cb\n"MsiBuildMinor"=dword:00000006\n');
  const r = await detectBuild({ exchangeAbs: ex, exsetupAbs: null, regFiles: [reg], buildOption: '15.2.792.10' });
  assert.deepEqual({ build: r?.build, source: r?.source, partial: r?.partial }, { build: '15.1.2507', source: 'registry', partial: true });
  const o = await detectBuild({ exchangeAbs: null, exsetupAbs: null, regFiles: [], buildOption: '15.02.0792.010' });
  assert.deepEqual({ build: o?.build, source: o?.source }, { build: '15.02.0792.010', source: 'option' });
  assert.equal(await detectBuild({ exchangeAbs: null, exsetupAbs: null, regFiles: [] }), null);
});
