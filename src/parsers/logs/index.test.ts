import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { makeZip } from '../../../test/fixtures/logs/make-zip.js';
import type { LogRecord, ParseIssue } from '../types.js';
import { createParseStats, createReadBuffers, openLog, type ParseStats } from './index.js';

const FIX = join(import.meta.dirname, '../../../test/fixtures/logs');
const IIS = 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log';
const PROXY = 'Logging/HttpProxy/Owa/HttpProxy_2021030301-1.LOG';
const tmp = mkdtempSync(join(tmpdir(), 'exhunt-logs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function all(abs: string, display: string, family?: 'iis'): Promise<{ records: LogRecord[]; issues: ParseIssue[]; stats: ParseStats }> {
  const issues: ParseIssue[] = [];
  const stats = createParseStats();
  const records: LogRecord[] = [];
  const opts = { onIssue: (i: ParseIssue) => issues.push(i), stats, ...(family ? { family } : {}) };
  for await (const r of openLog(abs, display, opts)) records.push(r);
  return { records, issues, stats };
}

function tmpFile(name: string, data: Buffer | string): string {
  const p = join(tmp, name);
  writeFileSync(p, data);
  return p;
}

void describe('openLog', () => {
  void it('parses every fixture family with file and line on every record', async () => {
    const want: Record<string, [string, number]> = {
      [IIS]: ['iis', 4],
      [PROXY]: ['httpproxy', 3],
      'Logging/ECP/Server/ECPServer2021030301-1.LOG': ['ecp-server', 2],
      'Logging/ECP/Activity/ECPActivity_12345_20210303-1.LOG': ['ecp-activity', 1],
      'Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021030301-1.LOG': ['rps-cmdlet', 2],
      'Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2021030301-1.LOG': ['rps-http', 1],
      'Logging/OABGeneratorLog/OABGenerator_20210303-1.LOG': ['oab', 3],
    };
    for (const [rel, [family, n]] of Object.entries(want)) {
      const { records, issues } = await all(join(FIX, rel), rel);
      assert.equal(issues.length, 0, `${rel}: ${JSON.stringify(issues)}`);
      assert.equal(records.length, n, rel);
      for (const r of records) {
        assert.equal(r.source, family);
        assert.equal(r.location.path, rel);
        assert.ok((r.location.line ?? 0) > 0);
      }
    }
  });

  void it('reads quoted CSV with commas, doubled quotes and an embedded newline', async () => {
    const rel = 'Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021030301-1.LOG';
    const { records } = await all(join(FIX, rel), rel);
    assert.equal(records[0]!.fields['Parameters'], '-ResultSize "1", -Identity "alice"');
    assert.equal(records[1]!.fields['Cmdlet'], 'New-MailboxExportRequest');
    assert.equal(records[1]!.fields['Parameters'], '-Mailbox "alice"\n-FilePath "\\\\ex01\\c$\\x.pst"');
    assert.equal(records[1]!.location.line, 7);
    const proxy = await all(join(FIX, PROXY), PROXY);
    assert.equal(proxy.records[1]!.fields['UserAgent'], 'Mozilla/5.0, with "quoted" part');
    assert.equal(proxy.records[1]!.fields['GenericInfo'], 'a=1,b=2;c=3');
    assert.equal(proxy.records[2]!.fields['client-ip'], '2001:db8::7');
  });

  void it('reads a .gz copy under its member display path', async () => {
    const p = tmpFile('u_ex210303.log.gz', gzipSync(readFileSync(join(FIX, IIS))));
    const { records, issues } = await all(p, 'logs/u_ex210303.log.gz');
    assert.equal(issues.length, 0);
    assert.equal(records.length, 4);
    assert.equal(records[0]!.location.path, 'logs/u_ex210303.log.gz!u_ex210303.log');
    assert.equal(records[0]!.location.line, 5);
  });

  void it('reads each .zip member (and a .gz inside), skipping what is not a log', async () => {
    const zip = makeZip([
      { name: 'W3SVC1/u_ex210303.log', data: readFileSync(join(FIX, IIS)) },
      { name: 'HttpProxy/Owa/HttpProxy_2021030301-1.LOG', data: readFileSync(join(FIX, PROXY)) },
      { name: 'notes.txt', data: Buffer.from('nothing to see\n') },
      { name: 'W3SVC1/u_ex210304.log.gz', data: gzipSync(readFileSync(join(FIX, IIS))) },
    ]);
    const p = tmpFile('collected.zip', zip);
    const { records, issues, stats } = await all(p, 'collected.zip');
    const paths = [...new Set(records.map((r) => r.location.path))];
    assert.deepEqual(paths, [
      'collected.zip!W3SVC1/u_ex210303.log',
      'collected.zip!HttpProxy/Owa/HttpProxy_2021030301-1.LOG',
      'collected.zip!W3SVC1/u_ex210304.log.gz!u_ex210304.log',
    ]);
    assert.equal(records.length, 4 + 3 + 4);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, 'collected.zip!notes.txt');
    assert.equal(stats.files, 4);
  });

  void it('reports a missing file, a directory, a corrupt .gz and a corrupt .zip without throwing', async () => {
    for (const [abs, display] of [
      [join(tmp, 'nope.log'), 'nope.log'],
      [tmp, 'dir'],
      [tmpFile('bad.log.gz', Buffer.from('not gzip at all')), 'bad.log.gz'],
      [tmpFile('bad.zip', Buffer.from('PK not a zip')), 'bad.zip'],
    ] as const) {
      const { records, issues } = await all(abs, display);
      assert.equal(records.length, 0, display);
      assert.equal(issues.length, 1, `${display}: ${JSON.stringify(issues)}`);
      assert.ok(issues[0]!.path.startsWith(display));
    }
  });

  void it('scans the rest of a file full of bad input, counting skipped lines', async () => {
    const header = readFileSync(join(FIX, IIS), 'utf8').split('\r\n').slice(0, 4).join('\r\n');
    const good = '2021-03-03 00:00:01 10.0.0.1 GET /owa/ - 443 - 203.0.113.7 UA - 200 0 0 1';
    const buf = Buffer.concat([
      Buffer.from(`${header}\r\n${good}\r\n`),
      Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0x0d, 0x0a]),
      Buffer.alloc(10 * 1024 * 1024, 0x61),
      Buffer.from('\r\n'),
      Buffer.from(`2021-03-03 00:00:02 10.0.0.1 GET /caf\u00e9 - 443 - 203.0.113.7 UA - 200 0 0 1\r\n`, 'latin1'),
      Buffer.from(`${good}\r\n2021-03-03 00:00:03 10.0.0.1 GET /trunc`),
    ]);
    const { records, issues, stats } = await all(tmpFile('u_ex210305.log', buf), 'u_ex210305.log');
    // Line 7 (10 MB): its first 1 MiB is read as a record (issue 21 item 4), the rest skipped.
    assert.deepEqual(records.map((r) => r.location.line), [5, 7, 8, 9, 10]);
    assert.equal(records[1]!.fields.date!.length, 1024 * 1024);
    assert.equal(records[2]!.fields['cs-uri-stem'], '/café');
    assert.equal(records[4]!.fields['cs-uri-stem'], '/trunc');
    assert.deepEqual(issues.map((i) => i.line), [6, 7, 7, 8, 10]);
    assert.match(issues[2]!.message, /longer than 1048576 bytes: its first 1048576 bytes read/);
    assert.equal(stats.skipped, 1);
    assert.equal(stats.records, 5);
    assert.equal(stats.lines, 10);
  });

  void it('reads a UTF-16LE log with BOM', async () => {
    const text = readFileSync(join(FIX, IIS), 'utf8');
    const p = tmpFile('u16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const { records, issues } = await all(p, 'u16.log');
    assert.equal(issues.length, 0);
    assert.equal(records.length, 4);
    assert.equal(records[0]!.fields['cs(User-Agent)'], 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
  });

  void it('reports a log without #Fields once and skips its lines; honours a forced family', async () => {
    const p = tmpFile('nofields.txt', '2021-03-03 00:00:01 a\n2021-03-03 00:00:02 b\n2021-03-03 00:00:03 c\n');
    const unknown = await all(p, 'nofields.txt');
    assert.equal(unknown.records.length, 0);
    assert.match(unknown.issues[0]!.message, /not a supported log/);
    const forced = await all(p, 'nofields.txt', 'iis');
    assert.equal(forced.records.length, 0);
    assert.equal(forced.stats.skipped, 3);
    assert.deepEqual(forced.issues.map((i) => i.line), [1, 1]);
  });

  void it('drops lines without a needle but still reports their hours', async () => {
    const records: LogRecord[] = [];
    const hours: string[] = [];
    const stats = createParseStats();
    const opts = {
      onIssue: () => undefined,
      stats,
      needles: ['/ecp/'],
      onDroppedTime: (t: string, path: string, family: string) => hours.push(`${family} ${path} ${t}`),
    };
    for await (const r of openLog(join(FIX, IIS), IIS, opts)) records.push(r);
    assert.deepEqual(records.map((r) => r.fields['cs-uri-stem']), ['/ecp/default.aspx']);
    assert.equal(stats.filtered, 3);
    assert.deepEqual(hours, [`iis ${IIS} 2021-03-03T00:00:01Z`, `iis ${IIS} 2021-03-03T06:00:02Z`]);
  });

  void it('reads file after file through shared read buffers with the same records', async () => {
    const head = '#Fields: date time cs-uri-stem sc-status\n';
    const row = (i: number): string => `2021-03-03 00:00:${String(i % 60).padStart(2, '0')} /p/${i}${'x'.repeat(400 + (i % 200))} 200\n`;
    const digest = (r: LogRecord): string => `${r.location.line ?? ''} ${r.time ?? ''} ${r.fields['cs-uri-stem'] ?? ''}`;
    // Over two 1 MiB reads, a one-line file, then just over one read.
    const files = [2_200_000, 10, 1_060_000].map((size, k) => {
      const rows = [head];
      for (let i = 0, n = head.length; i === 0 || n < size; i++) n += rows[rows.push(row(i)) - 1]!.length;
      return tmpFile(`u_ex2103${k}.log`, rows.join(''));
    });
    const shared = [createReadBuffers(), createReadBuffers({ sync: true })];
    for (const f of files) {
      const alone: string[] = [];
      for await (const r of openLog(f, 'x.log', { onIssue: () => undefined, family: 'iis' })) alone.push(digest(r));
      assert.ok(alone.length > 0);
      for (const readBuffers of shared) {
        const got: string[] = [];
        for await (const r of openLog(f, 'x.log', { onIssue: () => undefined, family: 'iis', readBuffers })) got.push(digest(r));
        assert.deepEqual(got, alone, `sync: ${readBuffers.sync}`);
      }
    }
    const issues: ParseIssue[] = [];
    for await (const r of openLog(join(tmp, 'missing.log'), 'missing.log', { onIssue: (i) => issues.push(i), readBuffers: shared[1] })) assert.fail(JSON.stringify(r));
    assert.match(issues[0]?.message ?? '', /read failed/);
  });
});
