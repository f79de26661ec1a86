/**
 * Hostile uploads: nesting too deep is a 400 (never a 500), validation reports the first 100
 * problems however many there are, too many findings is a 413, and the check runs on a worker
 * thread with a deadline (a check over it ends its worker; the next check gets a fresh one).
 * The bounds are sizes and counts; nothing here depends on how fast the machine is.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threadId } from 'node:worker_threads';
import { syntheticReport } from '../store/seed.js';
import { createHarness } from '../http/testing/harness.js';
import { jsonDepthProblem, MAX_JSON_DEPTH } from '../http/json-depth.js';
import { checkReportBytes, MAX_ERRORS, MAX_FINDINGS, schemaProblems } from './report-check.js';
import { ReportIntake } from './report-intake.js';

const JSON_CT = { 'content-type': 'application/json' };

/** JSON text of `n` nested objects around a number (built as text: JSON.stringify itself recurses). */
function nested(n: number): string {
  return `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
}

/** A valid report's text with `details` of its first finding replaced by `inner` (JSON text). */
function reportWithDetails(inner: string): string {
  const r = syntheticReport(1, { findings: 2 });
  return JSON.stringify({ ...r, findings: r.findings.map((f, i) => (i === 0 ? { ...f, details: { x: '@@INNER@@' } } : f)) }).replace('"@@INNER@@"', inner);
}

test('nesting depth is measured on the bytes; brackets in strings do not count', () => {
  const b = (s: string) => Buffer.from(s, 'utf8');
  assert.equal(jsonDepthProblem(b(nested(MAX_JSON_DEPTH))), null);
  assert.match(jsonDepthProblem(b(nested(MAX_JSON_DEPTH + 1))) ?? '', /deeper than 64 levels \(at byte 320\)/);
  assert.equal(jsonDepthProblem(b(JSON.stringify({ s: '['.repeat(1000) + '{'.repeat(1000) }))), null);
  assert.equal(jsonDepthProblem(b(JSON.stringify({ s: `\\"${'['.repeat(100)}\u00e9\u{1F600}` }))), null, 'escaped quotes and multi-byte text stay inside the string');
  assert.notEqual(jsonDepthProblem(b(`[${'"x",'.repeat(10)}${'['.repeat(70)}`)), null);
  assert.equal(jsonDepthProblem(b(nested(3)), 2)?.startsWith('JSON nested deeper than 2 levels'), true);
});

test('a report nested too deep is refused before parsing; not JSON and too many findings too', () => {
  const deep = checkReportBytes(Buffer.from(reportWithDetails(nested(5000))));
  assert.ok(!deep.ok && deep.status === 400 && /nested deeper than 64/.test(deep.details[0]?.message ?? ''));
  const notJson = checkReportBytes(Buffer.from('{"schemaVersion":'));
  assert.ok(!notJson.ok && notJson.status === 400 && /^not JSON/.test(notJson.details[0]?.message ?? ''));
  const many = checkReportBytes(Buffer.from(JSON.stringify({ ...syntheticReport(1, { findings: 0 }), findings: new Array(MAX_FINDINGS + 1).fill(0) })));
  assert.ok(!many.ok && many.status === 413 && /too many findings/.test(many.error));
  const good = checkReportBytes(Buffer.from(JSON.stringify(syntheticReport(1, { findings: 3 }))));
  assert.ok(good.ok && good.findings === 3 && /^[0-9a-f]{64}$/.test(good.sha256));
});

test('validation stops at the first 100 problems, each with its JSON pointer', () => {
  const r = syntheticReport(1, { findings: 3 });
  const bad = { ...r, schemaVersion: 2, findings: Array.from({ length: 5000 }, (_, i) => ({ ...r.findings[0], severity: i % 2 === 0 ? 'nope' : 'high', id: '' })) };
  const problems = schemaProblems(bad);
  assert.equal(problems.length, MAX_ERRORS);
  assert.deepEqual(problems[0], { path: '/schemaVersion', message: 'must be equal to constant (1)' });
  assert.equal(problems[1]?.path, '/findings/0/id');
  assert.equal(problems[99]?.path, '/findings/98/id');
  assert.deepEqual(schemaProblems(r), []);
  assert.deepEqual(schemaProblems({ ...r, errors: [{ nonsense: true }] }).map((p) => p.path), ['/errors/0']);
  assert.equal(schemaProblems([1, 2]).length, 1, 'not an object: one problem');
});

test('the intake checks on a worker thread, with a deadline and a bounded queue', async () => {
  const intake = new ReportIntake({ workers: 1, queue: 1 });
  try {
    const small = Buffer.from(JSON.stringify(syntheticReport(1, { findings: 2 })));
    const ok = await intake.check(small);
    assert.ok(ok.ok && 'checkedOn' in ok && typeof ok.checkedOn === 'number' && ok.checkedOn !== threadId, 'not on this thread');
    // A check over its deadline ends its worker and is refused as too costly.
    const big = Buffer.from(JSON.stringify(syntheticReport(1, { findings: 20_000 })));
    const late = await intake.check(big, 1);
    assert.ok(!late.ok && late.status === 413 && /too costly/.test(late.error), JSON.stringify(late));
    const after = await intake.check(small);
    assert.ok(after.ok && 'checkedOn' in after && after.checkedOn !== ok.checkedOn, 'a fresh worker took over');
    // One check running and one waiting: a third is told to come back later.
    const running = intake.check(big);
    const waiting = intake.check(small);
    const refused = await intake.check(small);
    assert.ok(!refused.ok && refused.status === 503);
    assert.equal((await running).ok, true);
    assert.equal((await waiting).ok, true);
  } finally {
    await intake.close();
  }
});

test('hostile uploads over HTTP: deep nesting 400, many invalid findings 400 with 100 details, too many 413', async () => {
  const h = await createHarness('sqlite', { maxUploadBytes: 4 * 1024 * 1024 });
  if (h === null) throw new Error('no harness');
  try {
    const deep = await h.as('agent', { method: 'POST', url: '/api/v1/reports', headers: JSON_CT, payload: reportWithDetails(nested(5000)) });
    assert.equal(deep.statusCode, 400, deep.body);
    assert.match(deep.body, /nested deeper than 64/);
    // Any other JSON route: refused by the app's JSON parser before parsing.
    const deepLogin = await h.app.inject({ method: 'POST', url: '/api/v1/login', headers: JSON_CT, payload: `{"name":${'['.repeat(5000)}${']'.repeat(5000)},"password":"x"}` });
    assert.equal(deepLogin.statusCode, 400, deepLogin.body);
    const deepPatch = await h.as('analyst-session', { method: 'PATCH', url: '/api/v1/findings', headers: JSON_CT, payload: nested(1000) });
    assert.equal(deepPatch.statusCode, 400, deepPatch.body);

    const r = syntheticReport(2, { findings: 1 });
    const invalid = { ...r, findings: Array.from({ length: 3000 }, (_, i) => ({ ...r.findings[0], id: `f${i}`, severity: 'nope' })) };
    const res = await h.as('agent', { method: 'POST', url: '/api/v1/reports', headers: JSON_CT, payload: JSON.stringify(invalid) });
    assert.equal(res.statusCode, 400);
    const body = JSON.parse(res.body) as { error: string; details: { path: string }[] };
    assert.equal(body.details.length, MAX_ERRORS);
    assert.equal(body.details[0]?.path, '/findings/0/severity');

    const many = JSON.stringify({ ...r, findings: new Array(MAX_FINDINGS + 1).fill(0) });
    const tooMany = await h.as('agent', { method: 'POST', url: '/api/v1/reports', headers: JSON_CT, payload: many });
    assert.equal(tooMany.statusCode, 413, tooMany.body);

    const good = await h.as('agent', { method: 'POST', url: '/api/v1/reports', headers: JSON_CT, payload: JSON.stringify(r) });
    assert.equal(good.statusCode, 201, good.body);
  } finally {
    await h.close();
  }
});
