import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archiveKind } from './staged.js';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]);
const SEVEN = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);

test('archives by name, and by magic number under another name', () => {
  assert.equal(archiveKind('C/ProgramData/a.7z', Buffer.alloc(0)), '7z');
  assert.equal(archiveKind('C/ProgramData/mail.PST', Buffer.alloc(0)), 'pst');
  assert.equal(archiveKind('C/Windows/Temp/d.dat', SEVEN), '7z (named .dat)');
  assert.equal(archiveKind('C/Windows/Temp/x', Buffer.from('!BDN....', 'latin1')), 'pst (named without extension)');
  assert.equal(archiveKind('C/Windows/Temp/x.log', Buffer.from([0x1f, 0x8b, 8, 0])), 'gzip (named .log)');
});

test('zip containers by design and ordinary files are not archives', () => {
  assert.equal(archiveKind('C/inetpub/wwwroot/app.xap', ZIP), null);
  assert.equal(archiveKind('C/Users/Public/report.docx', ZIP), null);
  assert.equal(archiveKind('C/ProgramData/notes.txt', Buffer.from('hello')), null);
  assert.equal(archiveKind('C/ProgramData/tool.exe', Buffer.from('MZ..')), null);
});
