import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../findings/types.js';
import { usersOfFindings } from './finding-users.js';

const LOG = [
  '#Fields: date time cs-method cs-uri-stem cs-uri-query cs-username c-ip sc-status',
  '2021-03-03 02:15:30 POST /ecp/DDI/DDIService.svc/SetObject - CORP\\mallory 203.0.113.17 200',
  '2021-03-03 02:16:00 POST /ecp/x.js - NT+AUTHORITY\\SYSTEM 203.0.113.17 200',
  '2021-03-03 02:17:00 POST /owa/auth/x.aspx - - 203.0.113.17 200',
].join('\n');

function finding(id: string, path: string, line: number, severity: Finding['severity'] = 'high'): Finding {
  return {
    id, ruleId: 'r', title: 't', severity, confidence: 'high', category: 'exploitation', cves: [], attack: [],
    evidence: { kind: 'log', path, line }, time: null, firstSeen: null, lastSeen: null, count: 1,
    rule: { source: 'builtin', author: 'a', license: 'l', refs: [] }, details: {},
  };
}

test('users named on the lines of attacker findings; system accounts and empty users are not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-scope-users-'));
  const abs = join(dir, 'u_ex210303.log');
  await writeFile(abs, LOG);
  const jobs = [{ abs, path: 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', family: 'iis' as const }];
  const path = jobs[0]!.path;
  const users = await usersOfFindings([finding('a', path, 2), finding('b', path, 3), finding('c', path, 4), finding('d', path, 2, 'low')], jobs, () => {});
  assert.deepEqual([...users.entries()], [['a', ['CORP\\mallory']]]);
});
