import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePattern, PatternSyntaxError } from './stix-pattern.js';

const H = 'a'.repeat(64);

test('single comparisons on supported paths', () => {
  assert.deepEqual(evaluatePattern(`[file:hashes.'SHA-256' = '${H}']`), { ok: true, terms: [{ type: 'sha256', value: H }] });
  assert.deepEqual(evaluatePattern("[ipv4-addr:value = '203.0.113.7']"), { ok: true, terms: [{ type: 'ip', value: '203.0.113.7' }] });
  assert.deepEqual(evaluatePattern("[file:name = 'it\\'s.aspx']"), { ok: true, terms: [{ type: 'filename', value: "it's.aspx" }] });
});

test('OR inside and between observations gives alternatives', () => {
  const e = evaluatePattern("[domain-name:value = 'a.example' OR url:value = 'http://b.example/x'] OR [ipv6-addr:value = '2001:db8::1']");
  assert.ok(e.ok);
  assert.deepEqual(e.terms.map((t) => t.type), ['domain', 'url', 'ip']);
});

test('AND of two hashes of one file is evaluated; AND of hash and name is not', () => {
  const e = evaluatePattern(`[file:hashes.MD5 = '${'b'.repeat(32)}' AND file:hashes.'SHA-256' = '${H}']`);
  assert.ok(e.ok && e.terms.length === 2);
  const f = evaluatePattern(`[file:hashes.MD5 = '${'b'.repeat(32)}' AND file:name = 'x.aspx']`);
  assert.equal(f.ok, false);
});

test('valid but unsupported patterns give a reason', () => {
  for (const p of [
    "[email-addr:value = 'a@b.example']",
    "[file:name MATCHES '^x.*']",
    "[file:name != 'x']",
    "[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '1.2.3.4'] WITHIN 600 SECONDS",
    "[file:size > 100]",
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
  ]) {
    const e = evaluatePattern(p);
    assert.equal(e.ok, false, p);
    assert.ok(!e.ok && e.reason.length > 0);
  }
});

test('syntax errors throw', () => {
  for (const p of ["[file:name = 'x'", "file:name = 'x'", "[file:name = 'x]", '[ = ]', "[file:name 'x']"]) {
    assert.throws(() => evaluatePattern(p), PatternSyntaxError, p);
  }
});
