/** The file scanner: hashes, YARA findings, the size limit, structure anomalies and artifacts. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileRecord } from '../../evidence/walk.js';
import type { Finding } from '../../findings/types.js';
import type { FileRecord, ParseIssue } from '../../parsers/types.js';
import { POSITIVES, assemble } from '../../../test/fixtures/files/samples.js';
import { compileYara, type CompileResult } from '../../rules/yara.js';
import { createFileScanner, type FileScanner } from './scanner.js';

const root = mkdtempSync(join(tmpdir(), 'exhunt-files-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let compiled: CompileResult;
before(async () => {
  compiled = await compileYara([]);
});

function put(rel: string, data: Buffer | string): FileRecord {
  const abs = join(root, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, data);
  return fileRecord(abs, rel, statSync(abs));
}

const WEB = { webExposed: true, artifactDir: false };
const PLAIN = { webExposed: false, artifactDir: false };
const chopper = assemble(POSITIVES.exh_chopper_jscript_eval_request ?? '');
const ids = (fs: Finding[]): string[] => fs.map((f) => f.ruleId).sort();

void describe('createFileScanner', () => {
  let scanner: FileScanner;
  const errors: ParseIssue[] = [];
  before(async () => {
    scanner = await createFileScanner({ rules: [], compiled, workers: 0, onError: (e) => errors.push(e) });
  });

  void it('loads YARA and the bundled rules', () => {
    assert.equal(scanner.yaraAvailable, true);
    assert.equal(scanner.yaraUnavailableReason, null);
    assert.deepEqual(scanner.diagnostics, []);
    assert.ok(scanner.ruleCount > 20);
  });

  void it('reports a web shell with hashes, times, matched strings and the rule that found it', async () => {
    const f = put('C/inetpub/wwwroot/aspnet_client/x.aspx', chopper);
    const [finding, ...rest] = await scanner.scanFile(f, WEB);
    assert.equal(rest.length, 0);
    assert.ok(finding);
    assert.equal(finding.ruleId, 'exhunt:exh_chopper_jscript_eval_request');
    assert.equal(finding.severity, 'critical');
    assert.equal(finding.category, 'webshell');
    assert.equal(finding.rule.source, 'yara');
    assert.equal(finding.rule.author, 'exhunt');
    assert.ok(finding.rule.refs.length > 0);
    const ev = finding.evidence;
    assert.equal(ev.kind, 'file');
    assert.equal(ev.path, 'C/inetpub/wwwroot/aspnet_client/x.aspx');
    assert.equal(ev.sha256, createHash('sha256').update(chopper).digest('hex'));
    assert.equal(ev.md5, createHash('md5').update(chopper).digest('hex'));
    assert.equal(ev.sha1, createHash('sha1').update(chopper).digest('hex'));
    assert.equal(ev.size, chopper.length);
    assert.equal(ev.mtime, f.mtime);
    assert.match(String(ev.excerpt), /Request\.Item/);
    const matches = finding.details.matches as { rule: string; strings: { id: string; offset: number; data: string }[] }[];
    assert.ok(matches.length >= 2, 'every matching rule is listed');
    const lead = matches[0];
    assert.equal(lead?.rule, finding.ruleId);
    assert.ok(lead?.strings.some((s) => s.id === '$eval_req' && s.offset === chopper.indexOf('eval(')));
    assert.match(String(finding.details.reason), /exh_chopper_jscript_eval_request/);
  });

  void it('scans content whatever the name (a shell renamed .txt)', async () => {
    const f = put('cases/x.aspx.txt', chopper);
    assert.ok((await scanner.scanFile(f, PLAIN)).some((x) => x.rule.source === 'yara'));
  });

  void it('gives stable ids that do not depend on the drive folder', async () => {
    const a = await scanner.scanFile(put('C/inetpub/wwwroot/y.aspx', chopper), WEB);
    const b = await scanner.scanFile(put('inetpub/wwwroot/y.aspx', chopper), WEB);
    assert.equal(a[0]?.id, b[0]?.id);
  });

  void it('raises nothing for an ordinary page', async () => {
    const f = put('C/inetpub/wwwroot/ok.aspx', '<%@ Page Language="C#" %><html><body><%= DateTime.Now %></body></html>');
    assert.deepEqual(await scanner.scanFile(f, WEB), []);
  });

  void it('hashes files over the size limit and scans only their head and tail, and says so', async () => {
    const small = await createFileScanner({ rules: [], compiled, workers: 0, maxScanBytes: 64, onError: () => undefined });
    const big = 'x'.repeat(100) + ' '.repeat(200);
    const f = put('C/inetpub/wwwroot/big.aspx', big);
    const res = await small.inspectFile(f, WEB);
    assert.equal(res.contentScanned, false);
    assert.equal(res.hashes?.sha256, createHash('sha256').update(big).digest('hex'));
    assert.deepEqual(ids(res.findings), ['exhunt:file-over-scan-limit']);
    assert.equal(res.findings[0]?.severity, 'info');
    assert.match(String(res.findings[0]?.details.reason), /first and last 64 bytes were scanned/);
    const within = await small.inspectFile(put('C/inetpub/wwwroot/s.aspx', 'hello'), WEB);
    assert.equal(within.contentScanned, true);
  });

  void it('finds a shell padded past the limit at its head or its tail; the note is medium for a web script', async () => {
    const small = await createFileScanner({ rules: [], compiled, workers: 0, maxScanBytes: 4096, onError: () => undefined });
    const pad = ' '.repeat(20_000);
    const atHead = await small.inspectFile(put('C/inetpub/wwwroot/aspnet_client/h.aspx', chopper + pad), WEB);
    assert.deepEqual(ids(atHead.findings), ['exhunt:exh_chopper_jscript_eval_request', 'exhunt:file-over-scan-limit']);
    const note = atHead.findings.find((x) => x.ruleId === 'exhunt:file-over-scan-limit');
    assert.equal(note?.severity, 'medium');
    assert.match(String(note?.details.reason), /server-side code is in its head/);

    const atTail = await small.inspectFile(put('C/inetpub/wwwroot/aspnet_client/t.aspx', pad + chopper), WEB);
    const y = atTail.findings.find((x) => x.ruleId === 'exhunt:exh_chopper_jscript_eval_request');
    assert.ok(y, 'the shell at the tail is found');
    assert.equal(y.severity, 'critical');
    const strings = (y.details.matches as { strings: { offset: number }[] }[])[0]?.strings ?? [];
    assert.ok(strings.length > 0 && strings.every((s) => s.offset >= pad.length), 'offsets are file offsets');
    assert.equal(atTail.findings.find((x) => x.ruleId === 'exhunt:file-over-scan-limit')?.severity, 'medium');
  });

  void it('keeps the oversize note at info for a web script without code and for a file outside web folders', async () => {
    const small = await createFileScanner({ rules: [], compiled, workers: 0, maxScanBytes: 4096, onError: () => undefined });
    const plainPage = await small.inspectFile(put('C/inetpub/wwwroot/plain.aspx', `<html>${'<p>text</p>'.repeat(2000)}</html>`), WEB);
    assert.deepEqual(plainPage.findings.map((x) => [x.ruleId, x.severity]), [['exhunt:file-over-scan-limit', 'info']]);
    const elsewhere = await small.inspectFile(put('C/Users/a/notes.aspx', `<% x %>${' '.repeat(20_000)}`), PLAIN);
    assert.deepEqual(elsewhere.findings.map((x) => [x.ruleId, x.severity]), [['exhunt:file-over-scan-limit', 'info']]);
  });

  void it('reports an unreadable file through onError and goes on', async () => {
    const f = put('C/inetpub/wwwroot/gone.aspx', 'x');
    rmSync(f.absPath);
    const res = await scanner.inspectFile(f, WEB);
    assert.deepEqual(res.findings, []);
    assert.equal(errors.at(-1)?.path, 'C/inetpub/wwwroot/gone.aspx');
  });
});

void describe('structure anomalies', () => {
  let scanner: FileScanner;
  before(async () => {
    scanner = await createFileScanner({ rules: [], compiled, workers: 0, onError: () => undefined });
  });
  const pst = Buffer.concat([Buffer.from('!BDN', 'latin1'), Buffer.alloc(600, 0x11)]);

  void it('flags a script file in a web folder that starts with a PST header', async () => {
    const fs = await scanner.scanFile(put('C/inetpub/wwwroot/aspnet_client/p.aspx', pst), WEB);
    assert.deepEqual(ids(fs), ['exhunt:script-file-pst-header']);
    assert.equal(fs[0]?.severity, 'high');
  });

  void it('leaves the same bytes alone outside web folders and under a data name', async () => {
    assert.deepEqual(await scanner.scanFile(put('C/Users/a/p.aspx', pst), PLAIN), []);
    assert.deepEqual(await scanner.scanFile(put('C/inetpub/wwwroot/p.pst', pst), WEB), []);
  });

  void it('flags DER content in a script file, critical when script is inside', async () => {
    const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x05, 0x10]), Buffer.from('<script runat="server">x</script>')]);
    const fs = await scanner.scanFile(put('C/inetpub/wwwroot/c.aspx', der), WEB);
    assert.ok(fs.some((f) => f.ruleId === 'exhunt:script-file-der-header' && f.severity === 'critical'));
  });

  void it('notes a mostly binary script file (low), but not a SQLite database named .config', async () => {
    const bin = Buffer.alloc(2000, 0x01);
    assert.deepEqual(ids(await scanner.scanFile(put('C/inetpub/wwwroot/b.ashx', bin), WEB)), ['exhunt:script-file-binary']);
    const sqlite = Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(2000, 0x01)]);
    assert.deepEqual(await scanner.scanFile(put('C/inetpub/wwwroot/db.config', sqlite), WEB), []);
  });

  void it('flags script inside an OAB ExternalUrl, not an ordinary URL', async () => {
    const bad = 'ExternalUrl : http://f/<script language="JScript" runat="server">function Page_Load(){}</script>';
    const fs = await scanner.scanFile(put('C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/oab.aspx', bad), WEB);
    assert.ok(fs.some((f) => f.ruleId === 'exhunt:oab-url-script' && f.severity === 'critical'));
    const good = '<OAB><ExternalUrl>https://mail.example.com/OAB</ExternalUrl><InternalUrl>https://ex01/OAB</InternalUrl></OAB>';
    assert.deepEqual(await scanner.scanFile(put('C/ExchangeOAB/oab.xml', good), PLAIN), []);
  });

  void it('flags App_Web_*.dll outside Temporary ASP.NET Files only', async () => {
    const dll = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]);
    assert.deepEqual(ids(await scanner.scanFile(put('C/inetpub/wwwroot/bin/App_Web_ab12cd.dll', dll), WEB)), ['exhunt:stray-app-web-dll']);
    const tmp = 'C/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/owa/1/2/App_Web_ab12cd.dll';
    assert.deepEqual(await scanner.scanFile(put(tmp, dll), PLAIN), []);
  });
});

void describe('artifacts', () => {
  let scanner: FileScanner;
  before(async () => {
    scanner = await createFileScanner({ rules: [], compiled, workers: 0, maxScanBytes: 4096, onError: () => undefined });
  });
  const mdmp = (body: string): Buffer => Buffer.concat([Buffer.from('MDMP', 'latin1'), Buffer.alloc(60), Buffer.from(body, 'utf16le')]);

  void it('flags an lsass dump by name or by content, even over the size limit', async () => {
    const byName = await scanner.scanFile(put('C/Windows/Temp/lsass.dmp', mdmp('x')), PLAIN);
    assert.ok(byName.some((f) => f.ruleId === 'exhunt:lsass-dump' && f.severity === 'critical' && f.category === 'artifact'));
    const big = Buffer.concat([mdmp('C:\\Windows\\System32\\lsass.exe'), Buffer.alloc(10000)]);
    const byContent = await scanner.scanFile(put('C/root/out.bin', big), PLAIN);
    assert.deepEqual(ids(byContent), ['exhunt:file-over-scan-limit', 'exhunt:lsass-dump']);
  });

  void it('flags other dumps only in staging folders', async () => {
    assert.deepEqual(ids(await scanner.scanFile(put('C/ProgramData/w3wp.dmp', mdmp('w3wp.exe')), PLAIN)), ['exhunt:minidump-staged']);
    assert.deepEqual(await scanner.scanFile(put('C/Users/a/w3wp.dmp', mdmp('w3wp.exe')), PLAIN), []);
  });

  void it('flags archives staged in ProgramData or an artifact folder, not elsewhere', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    const sevenZ = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]);
    assert.deepEqual(ids(await scanner.scanFile(put('C/ProgramData/COM/data.zip', zip), PLAIN)), ['exhunt:archive-staged']);
    assert.deepEqual(ids(await scanner.scanFile(put('C/PerfLogs/a.7z', sevenZ), { webExposed: false, artifactDir: true })), ['exhunt:archive-staged']);
    assert.deepEqual(await scanner.scanFile(put('C/inetpub/wwwroot/download/manual.zip', zip), WEB), []);
  });

  void it('flags batch and PowerShell files in Windows/Temp, not in System32', async () => {
    assert.deepEqual(ids(await scanner.scanFile(put('C/Windows/Temp/run.bat', 'whoami'), PLAIN)), ['exhunt:script-in-windows-temp']);
    assert.deepEqual(ids(await scanner.scanFile(put('C/Windows/Temp/x/a.ps1', 'Get-Date'), PLAIN)), ['exhunt:script-in-windows-temp']);
    assert.deepEqual(await scanner.scanFile(put('C/Windows/System32/run.bat', 'whoami'), PLAIN), []);
  });
});

void describe('worker pool', () => {
  void it('gives the same findings as scanning in this thread, and falls back for unreadable paths', async () => {
    const pooled = await createFileScanner({ rules: [], compiled, workers: 2, onError: () => undefined });
    const local = await createFileScanner({ rules: [], compiled, workers: 0, onError: () => undefined });
    try {
      const files = [
        put('pool/a.aspx', chopper),
        put('pool/b.asp', assemble(POSITIVES.exh_chopper_vbscript_eval_request ?? '')),
        put('pool/c.aspx', '<%@ Page Language="C#" %><html></html>'),
        put('C/ProgramData/pool/d.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2])),
      ];
      for (const f of files) {
        const a = await pooled.inspectFile(f, WEB);
        const b = await local.inspectFile(f, WEB);
        assert.deepEqual(a, b, f.path);
      }
      const first = files[0]!;
      const virtual: FileRecord = { ...first, absPath: join(root, 'no-such-file'), read: (limit?: number) => first.read(limit) };
      assert.ok((await pooled.scanFile(virtual, WEB)).some((x) => x.rule.source === 'yara'));
    } finally {
      await pooled.close();
      await local.close();
    }
  });
});
