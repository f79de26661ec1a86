import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../findings/types.js';
import { collectIdentities, createIdentityMatcher, findingAddress, isIdentitySource, parseSuspectIp, sameUser, usableUser } from './identities.js';

function finding(p: Partial<Finding> & { clientIp?: string }): Finding {
  return {
    id: p.id ?? 'f1', ruleId: 'r', title: 't', severity: p.severity ?? 'high', confidence: 'high', category: p.category ?? 'exploitation',
    cves: [], attack: [], evidence: { kind: 'log', path: 'x.log', line: 1, ...(p.clientIp ? { clientIp: p.clientIp } : {}) },
    time: null, firstSeen: null, lastSeen: null, count: 1, rule: { source: 'builtin', author: 'a', license: 'l', refs: [] }, details: p.details ?? {},
  };
}

test('addresses of exploitation, web shell and IOC findings at medium and above, with the finding ids', () => {
  const ids = collectIdentities({
    findings: [
      finding({ id: 'a', clientIp: '203.0.113.17' }),
      finding({ id: 'b', category: 'webshell', severity: 'critical', clientIp: '203.0.113.17' }),
      finding({ id: 'c', severity: 'low', clientIp: '192.0.2.200' }),
      finding({ id: 'd', category: 'posture', clientIp: '192.0.2.201' }),
      finding({ id: 'e', clientIp: '127.0.0.1' }),
      finding({ id: 'f', details: { aggregated: { clientIp: '-' } } }),
    ],
    findingUsers: new Map([['a', ['CORP\\svc-x']]]),
    suspectIps: ['198.51.100.0/24'],
    suspectUsers: ['mallory'],
  });
  assert.deepEqual(ids, [
    { kind: 'address', value: '198.51.100.0/24', from: ['--suspect-ip'] },
    { kind: 'address', value: '203.0.113.17', from: ['a', 'b'] },
    { kind: 'user', value: 'CORP\\svc-x', from: ['a'] },
    { kind: 'user', value: 'mallory', from: ['--suspect-user'] },
  ]);
});

test('identity sources and addresses', () => {
  assert.equal(isIdentitySource(finding({ severity: 'medium' })), true);
  assert.equal(isIdentitySource(finding({ severity: 'low' })), false);
  assert.equal(isIdentitySource(finding({ category: 'artifact' })), false);
  assert.equal(findingAddress(finding({ details: { aggregated: { clientIp: '203.0.113.9' } } })), '203.0.113.9');
  assert.equal(findingAddress(finding({ clientIp: '::1' })), null);
});

test('matcher: exact addresses, IPv4 and IPv6 CIDR, users with or without a domain', () => {
  const m = createIdentityMatcher([
    { kind: 'address', value: '203.0.113.17', from: [] },
    { kind: 'address', value: '198.51.100.0/24', from: [] },
    { kind: 'address', value: '2001:db8::/32', from: [] },
    { kind: 'user', value: 'mallory', from: [] },
    { kind: 'user', value: 'CORP\\svc-x', from: [] },
  ]);
  assert.equal(m.address('203.0.113.17'), '203.0.113.17');
  assert.equal(m.address('203.0.113.18'), null);
  assert.equal(m.address('198.51.100.77'), '198.51.100.0/24');
  assert.equal(m.address('2001:db8:1::5'), '2001:db8::/32');
  assert.equal(m.address('2001:db9::5'), null);
  assert.equal(m.address(null), null);
  assert.equal(m.user('CORP\\mallory'), 'mallory');
  assert.equal(m.user('mallory@corp.example'), 'mallory');
  assert.equal(m.user('corp\\SVC-X'), 'CORP\\svc-x');
  assert.equal(m.user('OTHER\\svc-x'), null);
  assert.equal(m.user('j.doe'), null);
});

test('suspect addresses are checked; system accounts never select requests', () => {
  assert.deepEqual(parseSuspectIp('203.0.113.0/24'), { ok: true, value: '203.0.113.0/24' });
  assert.deepEqual(parseSuspectIp('2001:DB8::1'), { ok: true, value: '2001:db8::1' });
  assert.equal(parseSuspectIp('203.0.113.0/33').ok, false);
  assert.equal(parseSuspectIp('evil.example').ok, false);
  assert.equal(parseSuspectIp('1.2.3.4/8/1').ok, false);
  assert.equal(usableUser('NT AUTHORITY\\SYSTEM'), null);
  assert.equal(usableUser('EX01$'), null);
  assert.equal(usableUser('HealthMailbox0123abcd@corp.example'), null);
  assert.equal(usableUser(''), null);
  assert.equal(usableUser('CORP\\administrator'), 'CORP\\administrator');
  assert.equal(sameUser('a@x.example', 'b\\a'), false);
});
