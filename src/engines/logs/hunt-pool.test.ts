// The log hunt on worker threads gives what the calling thread gives.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBuiltinLogRules } from '../../rules/load.js';
import { unpackHits } from './hit-data.js';
import { huntLogJobs, type HuntPoolOptions, type SizedLogJob } from './hunt-pool.js';
import { createLogMatcher } from './matcher.js';
import { prestartLogWorkers, waitingLogWorkers } from './log-workers.js';

const HEADER = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2021-03-03 00:00:00',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
];
const PROBE = '2021-03-03 01:02:03 10.0.0.21 GET /autodiscover/autodiscover.json @test.local/owa/&Email=autodiscover/autodiscover.json%3F@test.local 443 - 198.51.100.7 python-requests/2.25.1 - 400 0 0 204';
// Look-alike: an ordinary Autodiscover request by Outlook.
const PLAIN = '2021-03-03 01:02:04 10.0.0.21 POST /Autodiscover/Autodiscover.xml - 443 user 198.51.100.8 Microsoft+Office/16.0 - 200 0 0 31';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-hunt-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Three small logs declared big, so that the pool takes the worker path. */
const JOBS: SizedLogJob[] = [1, 2, 3].map((n) => {
  const abs = join(dir, `u_ex21030${n}.log`);
  writeFileSync(abs, `${[...HEADER, PLAIN, PROBE, PLAIN].join('\r\n')}\r\n`);
  return { abs, path: `inetpub/logs/LogFiles/W3SVC1/u_ex21030${n}.log`, family: 'iis', size: 64 * 1024 * 1024 };
});

async function hunt(opts: Partial<HuntPoolOptions>): Promise<string[]> {
  const { rules } = await loadBuiltinLogRules();
  const out: string[] = [];
  const all: HuntPoolOptions = { rulePaths: [], window: {}, matcher: createLogMatcher(rules), iocs: null, hitIds: true, ...opts };
  for await (const r of huntLogJobs(JOBS, all)) {
    assert.ok(!('error' in r), 'error' in r ? r.error : '');
    if ('error' in r) continue;
    for (const h of unpackHits(r.hits)) out.push(JSON.stringify(h));
  }
  return out.sort();
}

void test('worker threads and the calling thread find the same hits', async () => {
  const here = await hunt({ workers: 0 });
  assert.ok(here.length >= 3, 'the probe line is found in every file');
  assert.equal(here.length % 3, 0, 'the same hits in each of the three files');
  assert.ok(here.every((h) => (JSON.parse(h) as { line: number }).line === 6), 'only the probe line, not the look-alikes');
  assert.deepEqual(await hunt({ workers: 2 }), here);
  assert.deepEqual(await hunt({ workers: 2, hitIds: false }), here.map((h) => JSON.stringify({ ...(JSON.parse(h) as object), id: null })).sort());
});

void test('a worker started early is the one the hunt uses, and one nobody uses is ended', async () => {
  const here = await hunt({ workers: 0 });
  prestartLogWorkers(1);
  assert.equal(waitingLogWorkers(), 1);
  assert.deepEqual(await hunt({ workers: 2 }), here, 'the early worker gets its options after it started');
  assert.equal(waitingLogWorkers(), 0, 'taken by the hunt');
  prestartLogWorkers(1);
  assert.deepEqual(await hunt({ workers: 0 }), here);
  assert.equal(waitingLogWorkers(), 0, 'a hunt on the calling thread alone ends it');
});
