import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReg, exchangeSetupBuild, parseReg } from './reg.js';

const EXPORT = [
  'Windows Registry Editor Version 5.00',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup]',
  '"MsiInstallPath"="C:\\\\Program Files\\\\Microsoft\\\\Exchange Server\\\\V15\\\\"',
  '"MsiProductMajor"=dword:0000000f',
  '"MsiProductMinor"=dword:00000002',
  '"MsiBuildMajor"=dword:00000318',
  '"MsiBuildMinor"=dword:00000003',
  '"Bin"=hex:01,02,\\',
  '  03,04',
  '',
].join('\r\n');

void test('reads the Exchange Setup key from a UTF-16LE export with BOM', () => {
  const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXPORT, 'utf16le')]);
  const r = exchangeSetupBuild(parseReg(decodeReg(buf)));
  assert.deepEqual(r?.build, '15.2.792.3');
});

void test('reads a UTF-8 export and unescapes string values', () => {
  const keys = parseReg(decodeReg(Buffer.from(EXPORT, 'utf8')));
  const k = keys[0];
  const v = k?.values.get('msiinstallpath');
  assert.equal(v?.type === 'string' ? v.value : null, 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\');
  assert.equal(exchangeSetupBuild(keys)?.build, '15.2.792.3');
});

void test('look-alikes: another key, missing values, non-dword values do not give a build', () => {
  assert.equal(exchangeSetupBuild(parseReg(EXPORT.replace('v15\\Setup]', 'v15\\SetupX]'))), null);
  assert.equal(exchangeSetupBuild(parseReg(EXPORT.replace('"MsiBuildMinor"=dword:00000003', ''))), null);
  assert.equal(exchangeSetupBuild(parseReg(EXPORT.replace('dword:00000003', '"3"'))), null);
  assert.equal(exchangeSetupBuild(parseReg('garbage\n[unterminated\n"x"=dword:zz')), null);
});
