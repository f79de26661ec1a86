/** Path normalization, staging-place verdicts and encoded PowerShell detection. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodedPowerShell, normalizeWinPath, riskyPlace, type PathContext } from './locations.js';

const ctx: PathContext = {
  drive: 'C',
  exchange: 'D:\\Exchange\\',
  webDirs: ['D:\\Sites\\portal'],
};

void test('normalizeWinPath expands known variables and folds case and separators', () => {
  assert.equal(normalizeWinPath('%windir%\\System32\\inetsrv\\static.dll', ctx), 'c:\\windows\\system32\\inetsrv\\static.dll');
  assert.equal(normalizeWinPath('%SystemRoot%/system32//rewrite.dll', ctx), 'c:\\windows\\system32\\rewrite.dll');
  assert.equal(normalizeWinPath('%ExchangeInstallPath%Bin\\kerbauth.dll', ctx), 'd:\\exchange\\bin\\kerbauth.dll');
  assert.equal(normalizeWinPath('"%ProgramData%\\x.dll"', ctx), 'c:\\programdata\\x.dll');
  assert.equal(normalizeWinPath('%UNKNOWN%\\x.dll', ctx), '%unknown%\\x.dll');
});

void test('riskyPlace names staging places and leaves system folders alone', () => {
  const r = (p: string): string | null => riskyPlace(normalizeWinPath(p, ctx), ctx);
  assert.equal(r('C:\\ProgramData\\x\\a.dll'), 'ProgramData');
  assert.equal(r('%TEMP%\\a.exe'), 'a temporary folder');
  assert.equal(r('C:\\Windows\\Temp\\a.exe'), 'a temporary folder');
  assert.equal(r('C:\\Users\\Public\\a.exe'), 'a user folder');
  assert.equal(r('C:\\inetpub\\wwwroot\\bin\\a.dll'), 'a web folder (inetpub)');
  assert.equal(r('D:\\Sites\\portal\\bin\\a.dll'), 'a web folder');
  assert.equal(r('D:\\Exchange\\FrontEnd\\HttpProxy\\owa\\auth\\a.dll'), 'an Exchange web folder (FrontEnd\\HttpProxy)');
  assert.equal(r('C:\\Windows\\System32\\inetsrv\\a.dll'), null);
  assert.equal(r('D:\\Exchange\\Bin\\a.dll'), null);
  assert.equal(r('D:\\Sites\\portalx\\a.dll'), null, 'a sibling of a web folder is not inside it');
});

void test('encodedPowerShell: -enc and its abbreviations, FromBase64String; not -Encoding', () => {
  assert.ok(encodedPowerShell('powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4A'));
  assert.ok(encodedPowerShell('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -EncodedCommand SQBFAFgAIAAoAE4A'));
  assert.ok(encodedPowerShell('pwsh -e SQBFAFgAIAAoAE4A'));
  assert.ok(encodedPowerShell('powershell /ec SQBFAFgAIAAoAE4A'));
  assert.ok(encodedPowerShell('cmd /c powershell "[Convert]::FromBase64String($x)"'));
  assert.ok(!encodedPowerShell('powershell.exe -File C:\\s\\a.ps1 -Encoding UTF8'));
  assert.ok(!encodedPowerShell('powershell.exe -ExecutionPolicy Bypass -File C:\\s\\a.ps1'));
  assert.ok(!encodedPowerShell('certutil.exe -encode a.txt b.txt'));
});
