// Diagnostics: every code is documented, and the compiler-style rendering.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIAGNOSTIC_CODES, diag, renderDiagnostic } from './diagnostics.js';
import { contentDir } from './load.js';

void test('every diagnostic code is documented in content/rules/README.md', async () => {
  const doc = await readFile(join(contentDir(), 'rules', 'README.md'), 'utf8');
  for (const code of Object.keys(DIAGNOSTIC_CODES)) assert.match(doc, new RegExp(`^\\| ${code} \\|`, 'm'), code);
});

void test('render: file:line:col, source line, caret; control characters neutralised', () => {
  const d = diag('E202', 'unknown search identifier `x`', 'r.yml', { line: 2, column: 15 });
  assert.equal(d.severity, 'error');
  assert.equal(
    renderDiagnostic(d, 'a: 1\ncondition: a and x\n'),
    ['r.yml:2:15: error[E202]: unknown search identifier `x`', '  |', '2 | condition: a and x', '  |               ^'].join('\n'),
  );
  const w = diag('W101', 'bad \u001b[31mred', 'f.yml', null);
  assert.equal(w.severity, 'warning');
  assert.equal(renderDiagnostic(w), 'f.yml: warning[W101]: bad ?[31mred');
});
