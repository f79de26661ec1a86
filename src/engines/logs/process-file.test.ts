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
