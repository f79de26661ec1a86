// A hunt whose findings outgrow memory (spoolAfter) reports exactly what one that keeps them does.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runHunt } from './run-hunt.js';
import type { ScanOptions } from '../scan/context.js';

const HEADER = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2021-03-03 00:00:00',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
];
/** ProxyShell-style probes (found) between ordinary Outlook requests (not found). */
function lines(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 12; i++) {
    const t = `2021-03-03 01:${String(10 + i).padStart(2, '0')}:0${i % 10}`;
    out.push(`${t} 10.0.0.21 GET /autodiscover/autodiscover.json @test.local/owa/&Email=autodiscover/autodiscover.json%3F@test.local 443 - 198.51.100.${i % 3} python-requests/2.25.1 - ${i % 2 ? 400 : 200} 0 0 204`);
    out.push(`${t} 10.0.0.21 POST /Autodiscover/Autodiscover.xml - 443 user 198.51.100.8 Microsoft+Office/16.0 - 200 0 0 31`);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'exhunt-run-hunt-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'u_ex210303.log'), `${[...HEADER, ...lines()].join('\r\n')}\r\n`);
writeFileSync(join(dir, 'u_ex210304.log'), `${[...HEADER, ...lines().reverse()].join('\r\n')}\r\n`);

const quiet = { update: () => undefined, tick: () => undefined };
const base: ScanOptions = { asOf: '2026-11-28', raw: true, rules: [], ioc: [], since: undefined, until: undefined };

void test('raw log findings spooled to a file after the second come back as the same report', async () => {
  const kept = await runHunt('logs', [dir], base, quiet);
  const spooled = await runHunt('logs', [dir], { ...base, spoolAfter: 2 }, quiet);
  assert.ok(kept.findings.length >= 24, `the probes give enough raw findings to spool (${kept.findings.length})`);
  assert.equal(JSON.stringify(spooled.findings), JSON.stringify(kept.findings));
  assert.deepEqual({ ...spooled, findings: [], stats: null }, { ...kept, findings: [], stats: null });
});
