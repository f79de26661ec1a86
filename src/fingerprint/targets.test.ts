/** Target parsing, targets files, proxy choice, certificate findings and the text line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget, targetsFromText } from './targets.js';
import { noProxyFromEnv, proxyFor, proxyFromEnv, proxyProblem } from './proxy.js';
import { certFinding } from './findings.js';
import { validateFinding } from '../findings/schema.js';
import { targetLine } from './text.js';
import type { TargetReport, TlsInfo } from './types.js';

void test('targets: host, host:port, URL (path ignored), IPv6; bad schemes and credentials refused', () => {
  assert.deepEqual(parseTarget('mail.example.com'), { input: 'mail.example.com', protocol: 'https:', hostname: 'mail.example.com', port: 443, origin: 'https://mail.example.com' });
  const u = parseTarget('https://mail.example.com:8443/owa/auth/logon.aspx?x=1');
  assert.ok(typeof u !== 'string');
  assert.equal(u.origin, 'https://mail.example.com:8443');
  assert.equal(u.port, 8443);
  const v6 = parseTarget('[::1]:8443');
  assert.ok(typeof v6 !== 'string');
  assert.equal(v6.hostname, '::1');
  assert.equal((parseTarget('http://owa.example.com') as { port: number }).port, 80);
  assert.equal(typeof parseTarget('ftp://x'), 'string');
  assert.equal(typeof parseTarget('https://u:p@x'), 'string');
  assert.equal(typeof parseTarget('   '), 'string');
  assert.deepEqual(targetsFromText('# fleet\r\na.example.com\n\n  b.example.com # edge\n'), ['a.example.com', 'b.example.com']);
});

void test('proxy: env, NO_PROXY exemptions, http only', () => {
  assert.equal(proxyFromEnv({ HTTPS_PROXY: 'http://p:3128' }), 'http://p:3128');
  assert.equal(proxyFromEnv({}), null);
  const no = noProxyFromEnv({ NO_PROXY: 'localhost, .corp.example,10.0.0.1' });
  assert.equal(proxyFor('mail.corp.example', 'http://p:1', no), null);
  assert.equal(proxyFor('corp.example', 'http://p:1', no), null);
  assert.equal(proxyFor('mail.example.com', 'http://p:1', no), 'http://p:1');
  assert.equal(proxyFor('notcorp.example', 'http://p:1', no), 'http://p:1');
  assert.equal(proxyFor('x', 'http://p:1', ['*']), null);
  assert.equal(proxyProblem('http://p:3128'), null);
  assert.match(proxyProblem('https://p:3128') ?? '', /only http/);
  assert.match(proxyProblem('socks5://p') ?? '', /only http/);
});

const tls = (daysLeft: number): TlsInfo => ({ subject: 'CN=mail', issuer: 'CN=ca', validTo: '2026-12-01T00:00:00.000Z', daysLeft, authorized: true, authorizationError: null });

void test('certificate findings: expired medium, expiring low, healthy none', () => {
  const expired = certFinding(tls(-3), 'https://m/owa/');
  assert.equal(expired?.severity, 'medium');
  assert.equal(expired?.ruleId, 'fingerprint.tls-cert-expired');
  assert.deepEqual(validateFinding(JSON.parse(JSON.stringify(expired))), []);
  assert.equal(certFinding(tls(10), 'https://m/owa/')?.severity, 'low');
  assert.equal(certFinding(tls(31), 'https://m/owa/'), null);
  assert.equal(certFinding(null, 'http://m/owa/'), null);
});

void test('text line: an error line strips control characters', () => {
  const t: TargetReport = {
    target: 'evil\u001b[31m.example', url: 'https://evil/owa/', reachable: true, build: null, buildMethod: null, partial: false,
    error: { kind: 'not-exchange', message: 'x\u0007y' }, tls: null, seen: {}, posture: null, findings: [],
  };
  const line = targetLine(t);
  assert.ok(!/[\u0000-\u001f]/.test(line), JSON.stringify(line));
  assert.match(line, /error: not-exchange/);
});
