import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFinding, validateReport } from './schema.js';
import { sampleReport } from '../../test/fixtures/report/sample-report.js';
import { hostileReport } from '../../test/fixtures/report/hostile-report.js';

/** A JSON round trip: what a consumer of `--format json` would validate. */
const asJson = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

void test('the sample and hostile reports are valid', () => {
  assert.deepEqual(validateReport(asJson(sampleReport())), []);
  assert.deepEqual(validateReport(asJson(hostileReport())), []);
});

void test('every finding validates on its own (one JSONL line)', () => {
  for (const f of sampleReport().findings) assert.deepEqual(validateFinding(asJson(f)), []);
});

void test('a missing core field fails and names the pointer', () => {
  const doc = asJson(sampleReport());
  delete doc.stats;
  assert.deepEqual(validateReport(doc), ["/: must have required property 'stats'"]);
  const finding = asJson(sampleReport().findings[0]);
  delete finding.evidence;
  assert.deepEqual(validateFinding(finding), ["/: must have required property 'evidence'"]);
});

void test('a bad severity fails with the allowed values', () => {
  const doc = asJson(sampleReport());
  (doc.findings as Record<string, unknown>[])[2] = { ...(doc.findings as Record<string, unknown>[])[2], severity: 'severe' };
  assert.deepEqual(validateReport(doc), [
    '/findings/2/severity: must be equal to one of the allowed values ("critical", "high", "medium", "low", "info")',
  ]);
});

void test('enums, formats and versions of the core are enforced', () => {
  const bad = (patch: Record<string, unknown>): string[] => validateReport({ ...asJson(sampleReport()), ...patch });
  assert.deepEqual(bad({ schemaVersion: 2 }), ['/schemaVersion: must be equal to constant (1)']);
  assert.deepEqual(bad({ asOf: '27/11/2026' }), ['/asOf: must match format "date"']);
  assert.deepEqual(bad({ target: { kind: 'cloud', root: '/', hostname: null } }), [
    '/target/kind: must be equal to one of the allowed values ("tree", "live", "paths", "remote")',
  ]);
  const f = asJson(sampleReport().findings[0]);
  const withRule = (rule: unknown): string[] => validateFinding({ ...f, rule });
  assert.deepEqual(withRule({ source: 'magic', author: '', license: '', refs: [] }), [
    '/rule/source: must be equal to one of the allowed values ("builtin", "sigma", "yara", "ioc")',
  ]);
  assert.deepEqual(validateFinding({ ...f, evidence: { kind: 'disk', path: 'x' } }), [
    '/evidence/kind: must be equal to one of the allowed values ("log", "event", "file", "remote")',
  ]);
  assert.deepEqual(validateFinding({ ...f, time: 'yesterday' }), ['/time: must match format "date-time"']);
});

void test('extra fields are allowed everywhere; posture may be null', () => {
  const doc = asJson(sampleReport());
  const findings = doc.findings as Record<string, unknown>[];
  const f0 = findings[0] as { evidence: Record<string, unknown>; details: Record<string, unknown> };
  f0.evidence.clientIp = '203.0.113.7';
  f0.details.note = { nested: true };
  assert.deepEqual(validateReport({ ...doc, posture: null, vault: { planned: 1 }, stats: { ...(doc.stats as object), yara: 'unavailable' } }), []);
});

void test('validation of non-objects fails cleanly', () => {
  assert.deepEqual(validateReport(null), ['/: must be object']);
  assert.deepEqual(validateFinding('x'), ['/: must be object']);
});
