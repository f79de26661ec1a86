import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { EvidenceError } from './errors.js';
import { openEvidenceRoot } from './root.js';
import { fromVerbatim, needsVerbatimPath, parseWinPath, toVerbatim } from './win-path.js';

const base = mkdtempSync(path.join(tmpdir(), 'exhunt-root-'));
after(() => rmSync(base, { recursive: true, force: true }));

function tree(name: string, files: readonly string[]): string {
  const dir = path.join(base, name);
  for (const f of files) {
    const abs = path.join(dir, f);
    if (f.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, 'x');
    }
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const EX = 'Program Files/Microsoft/Exchange Server/V15';
const kape = tree('kape', [
  `c/Windows/System32/`,
  `c/${EX}/Logging/HttpProxy/Owa/HttpProxy_2021030101-1.LOG`,
  `c/inetpub/logs/LogFiles/W3SVC1/u_ex210301.log`,
  `D/Exchange/Logging/HttpProxy/`,
  `D/Program Files/`,
  'KapeConsole.log',
]);
const drive = tree('drive', ['inetpub/wwwroot/iisstart.htm', 'Program Files/x/']);

void describe('openEvidenceRoot', () => {
  void it('recognises a KAPE tree and picks the drive with Windows', async () => {
    const r = await openEvidenceRoot(kape);
    assert.equal(r.layout, 'kape');
    assert.equal(r.kind, 'tree');
    assert.equal(r.drivePrefix, 'c/');
    assert.equal(r.systemDrive, 'C');
    assert.equal(r.driveAbs, path.join(kape, 'c'));
    assert.deepEqual([...r.drives.keys()], ['C', 'D']);
  });

  void it('treats a root holding Program Files or inetpub as the drive itself', async () => {
    const r = await openEvidenceRoot(drive);
    assert.equal(r.layout, 'drive');
    assert.equal(r.drivePrefix, '');
    assert.equal(r.driveAbs, drive);
    assert.equal(r.toEvidencePath(path.join(drive, 'inetpub', 'wwwroot')), 'inetpub/wwwroot');
  });

  void it('prefers the drive layout when the root itself holds Windows, even beside a one-letter folder', async () => {
    const both = tree('both', ['Windows/', 'C/Users/']);
    const r = await openEvidenceRoot(both);
    assert.equal(r.layout, 'drive');
    assert.equal(r.toEvidencePath(path.join(both, 'C', 'Users')), 'C/Users');
  });

  void it('marks a live root', async () => {
    const r = await openEvidenceRoot(drive, { live: true });
    assert.equal(r.kind, 'live');
    assert.equal(r.layout, 'drive');
  });

  void it('names the path in one line for each unusable root', async () => {
    const missing = path.join(base, 'nope');
    await assert.rejects(openEvidenceRoot(missing), (e: unknown) => {
      assert.ok(e instanceof EvidenceError);
      assert.equal(e.message, `evidence root does not exist: ${missing}`);
      return true;
    });
    const file = path.join(drive, 'inetpub', 'wwwroot', 'iisstart.htm');
    await assert.rejects(openEvidenceRoot(file), {
      name: 'EvidenceError',
      message: `evidence root is a file, not a folder: ${file}`,
    });
    const empty = tree('empty', []);
    await assert.rejects(openEvidenceRoot(empty), { message: `evidence root is empty: ${empty}` });
  });
});

void describe('resolveWin', () => {
  void it('maps any case, either slash, env vars and \\\\?\\ onto the tree', async () => {
    const r = await openEvidenceRoot(kape);
    const logging = path.join(kape, 'c', ...EX.split('/'), 'Logging');
    assert.equal(await r.resolveWin('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging'), logging);
    assert.equal(await r.resolveWin('c:/PROGRAM FILES/microsoft/exchange server/v15/logging'), logging);
    assert.equal(await r.resolveWin('\\\\?\\C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging'), logging);
    assert.equal(await r.resolveWin('%ProgramFiles%\\Microsoft\\Exchange Server\\V15\\Logging'), logging);
    const vars = { ExchangeInstallPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\' };
    assert.equal(await r.resolveWin('%ExchangeInstallPath%Logging', vars), logging);
    assert.equal(await r.resolveWin('%exchangeinstallpath%Logging', { ExchangeInstallPath: vars.ExchangeInstallPath.slice(0, -1) }), logging);
    assert.equal(
      await r.resolveWin('%SystemDrive%\\inetpub\\logs\\LogFiles'),
      path.join(kape, 'c', 'inetpub', 'logs', 'LogFiles'),
    );
    assert.equal(await r.resolveWin('\\inetpub\\logs'), path.join(kape, 'c', 'inetpub', 'logs'));
  });

  void it('maps other drive letters to their KAPE folder', async () => {
    const r = await openEvidenceRoot(kape);
    assert.equal(await r.resolveWin('d:\\exchange\\logging'), path.join(kape, 'D', 'Exchange', 'Logging'));
    assert.equal(await r.resolveWin('E:\\Exchange'), null);
  });

  void it('gives null for what is not there, unknown vars and UNC paths', async () => {
    const r = await openEvidenceRoot(kape);
    assert.equal(await r.resolveWin('C:\\Program Files\\Nothing'), null);
    assert.equal(await r.resolveWin('%NoSuchVar%\\Logging'), null);
    assert.equal(await r.resolveWin('\\\\server\\share\\x'), null);
    assert.equal(await r.resolveWin('\\\\?\\UNC\\server\\share'), null);
  });

  void it('never climbs above the drive and never follows a link out of the root', async () => {
    const r = await openEvidenceRoot(kape);
    assert.equal(await r.resolveWin('C:\\..\\..\\..\\KapeConsole.log'), null);
    symlinkSync(base, path.join(kape, 'c', 'escape'));
    assert.equal(await r.resolveWin('C:\\escape'), null);
    assert.equal(await r.contains(path.join(kape, 'c', 'escape')), false);
    assert.equal(await r.contains(path.join(kape, 'c', 'inetpub')), true);
  });

  void it('turns paths back into evidence and Windows paths', async () => {
    const r = await openEvidenceRoot(kape);
    const abs = path.join(kape, 'c', 'inetpub', 'logs');
    assert.equal(r.toEvidencePath(abs), 'c/inetpub/logs');
    assert.equal(r.toWinPath(abs), 'C:\\inetpub\\logs');
    assert.equal(r.toWinPath(path.join(kape, 'D', 'Exchange')), 'D:\\Exchange');
  });
});

void describe('parseWinPath', () => {
  void it('splits drive and segments', () => {
    assert.deepEqual(parseWinPath('\\??\\c:\\a\\.\\b\\..\\c'), { drive: 'C', segments: ['a', 'c'] });
    assert.deepEqual(parseWinPath('"C:/x y/z"'), { drive: 'C', segments: ['x y', 'z'] });
    assert.deepEqual(parseWinPath('a\\b'), { drive: null, segments: ['a', 'b'] });
  });
});

void describe('Win32 names', () => {
  void it('knows which names need a \\\\?\\ path on Windows', () => {
    assert.ok(needsVerbatimPath('COM1'));
    assert.ok(needsVerbatimPath('aux.txt'));
    assert.ok(needsVerbatimPath('owa.'));
    assert.ok(!needsVerbatimPath('COM10'));
    assert.ok(!needsVerbatimPath('CONFIG'));
    assert.equal(toVerbatim('C:\\ProgramData\\COM1'), '\\\\?\\C:\\ProgramData\\COM1');
    assert.equal(fromVerbatim('\\\\?\\C:\\ProgramData\\COM1'), 'C:\\ProgramData\\COM1');
    assert.equal(toVerbatim('/tmp/x'), '/tmp/x');
  });
});
