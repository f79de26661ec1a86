// What a run could not examine is never silent: a "Not checked" line in the text summary, a list
// in the HTML errors section, and `--strict` turns any error into exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from './text.js';
import { sampleReport } from '../../test/fixtures/report/sample-report.js';
import { exitCodeFor } from '../cli/emit-report.js';
import { errorsSection } from './html-sections.js';
import type { Report, ReportError } from '../findings/types.js';
import { REPORT_ERROR_CODES, isReportErrorCode } from '../findings/error-codes.js';
import { ScanContext } from '../engines/scan/context.js';

const yaraDown: ReportError = {
  path: 'content/rules/yara',
  line: null,
  message: 'YARA engine unavailable: no build for win32-x64',
  code: 'EXH-E001',
  notChecked: 'file contents against the YARA rules (web shells, tools)',
};

function withErrors(errors: readonly ReportError[]): Report {
  return { ...sampleReport(), errors };
}

void test('not checked: one summary line per thing not examined, each once', () => {
  const out = renderText(withErrors([yaraDown, yaraDown, { path: 'x.log', line: 3, message: 'bad line' }]), { width: 200 });
  const lines = out.filter((l) => l.startsWith('Not checked:'));
  assert.deepEqual(lines, ['Not checked: file contents against the YARA rules (web shells, tools) — YARA engine unavailable: no build for win32-x64']);
  assert.ok(out.includes('Errors: 3'));
});

void test('not checked: a report whose errors are plain parse errors has no such line', () => {
  const out = renderText(withErrors([{ path: 'x.log', line: 3, message: 'bad line' }]), { width: 200 });
  assert.equal(out.some((l) => l.startsWith('Not checked:')), false);
});

void test('not checked: the HTML errors section lists it with the code', () => {
  const html = errorsSection(withErrors([yaraDown])).toString();
  assert.ok(html.includes('<strong>Not checked:</strong>'));
  assert.ok(html.includes('<li>file contents against the YARA rules (web shells, tools)</li>'));
  assert.ok(html.includes('EXH-E001'));
});

void test('--strict: errors exit 2; without it findings decide 0 or 1', () => {
  const clean = withErrors([]);
  const failing = withErrors([yaraDown]);
  const top = clean.findings.some((f) => f.severity === 'critical' || f.severity === 'high' || f.severity === 'medium') ? 1 : 0;
  assert.equal(exitCodeFor(clean, 'medium', true), top);
  assert.equal(exitCodeFor(failing, 'medium', false), top);
  assert.equal(exitCodeFor(failing, 'medium', true), 2);
  assert.equal(exitCodeFor({ ...failing, findings: [] }, 'medium', true), 2);
});

void test('ScanContext.notChecked records a coded error that names what was not examined', () => {
  const ctx = new ScanContext({ asOf: '2026-12-01', raw: false, rules: [], ioc: [], since: undefined, until: undefined, maxScanBytes: 1 }, { update: () => undefined, tick: () => undefined });
  ctx.notChecked('event log Security.evtx', 'C/Windows/System32/winevt/Logs/Security.evtx', 'EACCES: permission denied', 'EXH-E002');
  assert.deepEqual(ctx.errors, [
    { path: 'C/Windows/System32/winevt/Logs/Security.evtx', line: null, message: 'EACCES: permission denied', code: 'EXH-E002', notChecked: 'event log Security.evtx' },
  ]);
  for (const e of ctx.errors) assert.ok(e.code !== undefined && isReportErrorCode(e.code));
  for (const [code, meaning] of Object.entries(REPORT_ERROR_CODES)) {
    assert.match(code, /^EXH-E\d{3}$/);
    assert.ok(meaning.length > 10);
  }
});
