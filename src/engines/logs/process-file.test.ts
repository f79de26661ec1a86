import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBuiltinLogRules } from '../../rules/load.js';
import { createLogMatcher } from './matcher.js';
import { processLogFile } from './process-file.js';
import { unpackHits } from './hit-data.js';

const HEADER = [
  '#Software: Microsoft Exchange Server',
  '#Version: 15.0.0.0',
  '#Log-type: ECP Server Log',
  '#Date: 2021-03-03T00:01:18.223Z',
  '#Fields: TimeStamp,ServerName,EventId,EventData',
].join('\r\n');

async function hunt(body: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-pf-'));
  try {
    const abs = join(dir, 'ECPServer2021030301-1.LOG');
    writeFileSync(abs, `${HEADER}\r\n${body}\r\n`);
    const { rules } = await loadBuiltinLogRules();
    const r = await processLogFile({ abs, path: 'Logging/ECP/Server/ECPServer2021030301-1.LOG', family: 'ecp-server' }, createLogMatcher(rules), { window: {} });
    return [...unpackHits(r.hits)].map((h) => `${h.ruleId}@${String(h.line)}`).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A quoted EventData field that runs over two lines, the markup on the second one: the line
// pre-screen must not drop the record's first line (the cmdlet and ECP logs are not screened).
test('a quoted ECP record spanning lines is matched on its first line', async () => {
  const tag = ['<scr', 'ipt language=""JScript"" runat=""server"">x</scr', 'ipt>'].join('');
  const hits = await hunt(`2021-03-03T00:03:00.000Z,EX01,ECP.Request,"S:CMD=Set-OabVirtualDirectory.Identity=""a""\r\n.ExternalUrl=""http://f/${tag}"";S:URL=/ecp/DDI/DDIService.svc/SetObject"`);
  assert.ok(hits.includes("exhunt-ecp-server-proxylogon-virtualdirectory-markup@6"), JSON.stringify(hits));
});

test('look-alike: the same multi-line record with a plain URL is only the low change rule', async () => {
  const hits = await hunt('2021-03-03T00:03:00.000Z,EX01,ECP.Request,"S:CMD=Set-OabVirtualDirectory.Identity=""a""\r\n.ExternalUrl=""https://mail.contoso.com/OAB"";S:URL=/ecp/DDI/DDIService.svc/SetObject"');
  assert.ok(!hits.some((h) => h.startsWith("exhunt-ecp-server-proxylogon-virtualdirectory-markup")), hits.join(', '));
});

// Issue 21 item 4: stats and coverage count every record read, also those the pre-screen
// dropped unparsed (was: only the records that passed the screen).
test('records read count the lines the pre-screen dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-pf-'));
  try {
    const abs = join(dir, 'u_ex210303.log');
    const f = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';
    const benign = (i: number): string => `2021-03-03 0${i}:00:00 10.0.0.1 GET /owa/ - 443 - 10.1.1.${i} Mozilla/5.0 - 200 0 0 1`;
    const probe = '2021-03-03 05:00:00 10.0.0.1 POST /owa/auth/Xk7tQm2.aspx - 443 - 45.77.1.2 antSword/v2.1 - 200 0 0 1';
    writeFileSync(abs, [f, benign(1), benign(2), benign(3), probe, benign(4)].join('\r\n'));
    const { rules } = await loadBuiltinLogRules();
    const r = await processLogFile({ abs, path: 'W3SVC1/u_ex210303.log', family: 'iis' }, createLogMatcher(rules), { window: {} });
    assert.equal(r.stats.records + r.stats.filtered, 5);
    assert.ok(r.stats.filtered >= 4, JSON.stringify(r.stats));
    const iis = r.coverage.sources.find((s) => s.name === 'iis');
    assert.equal(iis?.records, 5);
    assert.equal(iis?.files[0]?.[3], 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
