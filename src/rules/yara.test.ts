/** compileYara: user rules beside the bundled ones, externals, and compile errors as diagnostics. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compileYara, loadYaraX } from './yara.js';
import { diagnosticFromError } from './yara-source.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-yara-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rule(name: string, body: string): string {
  return `rule ${name}\n{\n    meta:\n        author = "test"\n        license = "Apache-2.0"\n        score = 75\n${body}\n}\n`;
}

void describe('compileYara', () => {
  void it('compiles the bundled rules with a user folder, and maps rule ids to namespaces', async () => {
    const d = join(dir, 'ok');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'sub', 'mine.yara'), rule('user_marker', '    strings:\n        $a = "MARKER-123"\n    condition:\n        $a'));
    writeFileSync(join(d, 'notes.txt'), 'not a rule file');
    const r = await compileYara([d]);
    assert.ok(r.available);
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.ruleCount > 20);
    const m = r.scanner.scan(Buffer.from('xx MARKER-123 yy'));
    assert.equal(m.length, 1);
    assert.equal(m[0]?.namespace, 'mine');
    assert.equal(m[0]?.rule, 'user_marker');
    assert.deepEqual(m[0]?.strings, [{ id: '$a', offset: 3, length: 10, data: 'MARKER-123' }]);
    assert.equal(m[0]?.meta.score, 75);
  });

  void it('sets the externals filename, filepath, extension, filetype, owner per scan', async () => {
    const f = join(dir, 'ext.yar');
    const cond = 'filename matches /\\.aspx$/ and filepath contains "owa/auth" and extension == ".aspx" and filetype == "" and owner == ""';
    writeFileSync(f, rule('by_name', `    condition:\n        ${cond}`));
    const r = await compileYara([f], { bundled: false });
    assert.ok(r.available);
    assert.deepEqual(r.diagnostics, []);
    const ext = { filename: 'x.aspx', filepath: 'inetpub/owa/auth/x.aspx', extension: '.aspx' };
    assert.equal(r.scanner.scan(Buffer.from('a'), ext).length, 1);
    assert.equal(r.scanner.scan(Buffer.from('a'), { ...ext, filename: 'x.txt' }).length, 0);
    assert.equal(r.scanner.scan(Buffer.from('a')).length, 0);
  });

  void it('reports a rule file that does not compile with file:line:column and keeps the others', async () => {
    const d = join(dir, 'bad');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'a-good.yar'), rule('good_one', '    strings:\n        $a = "GOOD"\n    condition:\n        $a'));
    writeFileSync(join(d, 'b-bad.yar'), rule('bad_one', '    strings:\n        $a = "BAD"\n    condition:\n        $a and'));
    writeFileSync(join(d, 'c-unknown.yar'), rule('uses_unknown', '    condition:\n        no_such_identifier'));
    const r = await compileYara([d], { bundled: false });
    assert.ok(r.available);
    const byFile = new Map(r.diagnostics.map((x) => [x.file, x]));
    const bad = byFile.get(join(d, 'b-bad.yar'));
    assert.equal(bad?.line, 11); // the closing brace where an expression was expected
    assert.equal(bad?.code, 'Y101');
    assert.match(bad?.message ?? '', /^Y101 at 11:1 in rule bad_one: unexpected '\}'/);
    const unknown = byFile.get(join(d, 'c-unknown.yar'));
    assert.equal(unknown?.line, 8);
    assert.equal(unknown?.column, 9);
    assert.equal(unknown?.code, 'Y104');
    assert.match(unknown?.message ?? '', /undefined identifier 'no_such_identifier'/);
    assert.equal(r.ruleCount, 1);
    assert.equal(r.scanner.scan(Buffer.from('GOOD')).length, 1);
  });

  void it('drops a file whose rule names clash with an earlier file of its namespace, with the line in that file', async () => {
    const d = join(dir, 'dup');
    mkdirSync(join(d, 'one'), { recursive: true });
    mkdirSync(join(d, 'two'), { recursive: true });
    // Namespace = file name: one/a.yar and two/a.yar share one, one/b.yar has its own.
    writeFileSync(join(d, 'one', 'a.yar'), rule('same_name', '    condition:\n        true'));
    writeFileSync(join(d, 'one', 'b.yar'), rule('same_name', '    condition:\n        true'));
    writeFileSync(join(d, 'two', 'a.yar'), '// second file\n' + rule('same_name', '    condition:\n        true'));
    const r = await compileYara([d], { bundled: false });
    assert.ok(r.available);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]?.file, join(d, 'two', 'a.yar'));
    assert.equal(r.diagnostics[0]?.line, 2);
    assert.match(r.diagnostics[0]?.message ?? '', /duplicate rule/);
    assert.equal(r.ruleCount, 2);
    assert.deepEqual(r.scanner.scan(Buffer.from('x')).map((m) => `${m.namespace}:${m.rule}`), ['a:same_name', 'b:same_name']);
  });

  void it('reports a missing rule path as a diagnostic', async () => {
    const r = await compileYara([join(dir, 'missing.yar')], { bundled: false });
    assert.ok(r.available);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]?.line, null);
  });
});

void describe('diagnosticFromError', () => {
  void it('reads the code, location and message from YARA-X error text', () => {
    const text = 'Compilation error (E009): error[E009]: unknown identifier `x`\n --> line:12:5\n   |\n12 |   x\n   |   ^ this identifier has not been declared';
    assert.deepEqual(diagnosticFromError('r.yar', new Error(text), 10), {
      file: 'r.yar', line: 2, column: 5, code: 'E009',
      message: 'unknown identifier `x`: this identifier has not been declared',
    });
  });
});

void describe('compileYara without YARA-X (as on Windows)', () => {
  const PE_RULE = 'import "pe"\nrule needs_pe\n{\n    condition:\n        pe.is_pe\n}\n';

  async function withoutYaraX<T>(fn: () => Promise<T>): Promise<T> {
    const saved = process.env.EXHUNT_YARAX;
    process.env.EXHUNT_YARAX = 'off';
    try {
      return await fn();
    } finally {
      if (saved === undefined) delete process.env.EXHUNT_YARAX;
      else process.env.EXHUNT_YARAX = saved;
    }
  }

  void it('the bundled rules give the same matches with and without YARA-X', async () => {
    const sample = Buffer.from('<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>');
    const withX = await compileYara([]);
    const without = await withoutYaraX(() => compileYara([]));
    assert.deepEqual(without.diagnostics, []);
    assert.ok(without.available && withX.available);
    assert.ok(without.scanner.scan(sample).length > 0);
    assert.deepEqual(without.scanner.scan(sample), withX.scanner.scan(sample));
    assert.equal(without.recipe.native, null);
  });

  void it('a user rule file the portable engine cannot run is a diagnostic naming file, rule, code and line:column', async () => {
    const f = join(dir, 'needs-pe.yar');
    writeFileSync(f, PE_RULE);
    const r = await withoutYaraX(() => compileYara([f], { bundled: false }));
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]?.file, f);
    assert.equal(r.diagnostics[0]?.code, 'Y201');
    assert.match(r.diagnostics[0]?.message ?? '', /^Y201 at 1:1: module "pe" is not supported .*YARA-X, which could, does not load/);
    assert.equal(r.ruleCount, 0);
  });

  void it('where YARA-X loads, that file runs on it beside the portable rules', async (t) => {
    if ('error' in loadYaraX()) return t.skip('YARA-X does not load here');
    const f = join(dir, 'needs-pe-2.yar');
    writeFileSync(f, PE_RULE);
    const r = await compileYara([f]);
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.available && r.recipe.native);
    const mz = Buffer.alloc(512);
    mz.write('MZ');
    assert.deepEqual(r.scanner.scan(mz).map((m) => m.rule), []);
  });
});
