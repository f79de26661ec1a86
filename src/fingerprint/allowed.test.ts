/** The allowed request list: what fingerprinting may send, and exploit shapes it must refuse. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOWED_REQUESTS, assertAllowed, requestViolations } from './allowed.js';
import { LOGON_PATH, MANIFEST_CURRENT, manifestAt } from './probe.js';

const HEADERS = ['Host', 'User-Agent', 'Accept', 'Connection'];

void test('every request the probe makes is on the list', () => {
  for (const p of [LOGON_PATH, MANIFEST_CURRENT, manifestAt('15.2.1748'), manifestAt('15.2.1748.46'), '/owa/', '/owa']) {
    assert.deepEqual(requestViolations('GET', p, HEADERS), [], p);
  }
  assert.ok(ALLOWED_REQUESTS.every((r) => r.method === 'GET'));
});

void test('exploit-shaped requests are refused', () => {
  const bad: [string, string, string[]][] = [
    ['GET', '/autodiscover/autodiscover.json?@evil.invalid/owa/&Email=autodiscover/autodiscover.json%3F@evil.invalid', HEADERS],
    ['GET', '/autodiscover/autodiscover.json', HEADERS],
    ['POST', LOGON_PATH, HEADERS],
    ['POST', '/owa/auth.owa', HEADERS],
    ['GET', '/ecp/DDI/DDIService.svc/GetList', HEADERS],
    ['GET', `${LOGON_PATH}?url=x`, HEADERS],
    ['GET', '/ecp/../owa/auth/x.js', HEADERS],
    ['GET', '/ecp/y.js', HEADERS],
    ['GET', '/mapi/nspi/', HEADERS],
    ['GET', LOGON_PATH, [...HEADERS, 'Cookie']],
    ['GET', LOGON_PATH, [...HEADERS, 'X-BEResource']],
    ['GET', LOGON_PATH, [...HEADERS, 'X-AnonResource-Backend']],
    ['GET', LOGON_PATH, [...HEADERS, 'Authorization']],
  ];
  for (const [m, p, h] of bad) {
    assert.notDeepEqual(requestViolations(m, p, h), [], `${m} ${p} ${h.join(',')}`);
    assert.throws(() => assertAllowed(m, p, h), /outside the allowed list/);
  }
});
