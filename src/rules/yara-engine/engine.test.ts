/**
 * The portable YARA engine, feature by feature: each case is a rule, some data and whether the
 * rule must match; where YARA-X loads, it must agree on every case (a cross-check of the
 * semantics, not only of our reading of them).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadYaraX } from '../yara.js';
import { buildEngine } from './engine.js';

interface Case {
  readonly name: string;
  readonly strings?: string;
  readonly condition: string;
  readonly yes: readonly (string | Buffer)[];
  readonly no: readonly (string | Buffer)[];
  /** Rules before the tested one (rule references). */
  readonly prelude?: string;
}

const wide = (s: string): Buffer => Buffer.from(s, 'utf16le');
const xored = (s: string, k: number): Buffer => Buffer.from(Buffer.from(s).map((b) => b ^ k));

const CASES: readonly Case[] = [
  { name: 'text', strings: '$a = "eval("', condition: '$a', yes: ['x eval(y'], no: ['x EVAL(y', 'eva l('] },
  { name: 'nocase', strings: '$a = "Request.Form" nocase', condition: '$a', yes: ['request.form', 'REQUEST.FORM'], no: ['request form'] },
  { name: 'nocase is ASCII only', strings: '$a = "\\xe0b" nocase', condition: '$a', yes: [Buffer.from([0xe0, 0x42])], no: [Buffer.from([0xc0, 0x62])] },
  { name: 'wide', strings: '$a = "cmd.exe" wide', condition: '$a', yes: [wide('run cmd.exe')], no: ['run cmd.exe'] },
  { name: 'ascii wide', strings: '$a = "cmd.exe" ascii wide', condition: '#a == 1', yes: [wide('cmd.exe'), 'cmd.exe'], no: ['cmd'] },
  { name: 'wide nocase', strings: '$a = "Shell" wide nocase', condition: '$a', yes: [wide('SHELL')], no: ['SHELL'] },
  { name: 'fullword', strings: '$a = "eval" fullword', condition: '$a', yes: ['x eval(', 'eval', '(eval)'], no: ['evaluate', 'myeval', 'eval2'] },
  { name: 'fullword wide', strings: '$a = "eval" fullword wide', condition: '$a', yes: [wide(' eval(')], no: [wide('xeval'), wide('evalx')] },
  { name: 'xor', strings: '$a = "secret" xor(1-3)', condition: '$a', yes: [xored('secret', 2)], no: ['secret', xored('secret', 9)] },
  { name: 'xor default range', strings: '$a = "secret" xor', condition: '$a', yes: ['secret', xored('secret', 0x41)], no: ['secreT'] },
  { name: 'base64', strings: '$a = "CreateObject" base64', condition: '$a', yes: [Buffer.from('CreateObject').toString('base64'), Buffer.from('xCreateObject').toString('base64'), Buffer.from('xyCreateObjectz').toString('base64')], no: ['CreateObject'] },
  { name: 'base64wide', strings: '$a = "hello world" base64wide', condition: '$a', yes: [wide(Buffer.from('hello world').toString('base64'))], no: [Buffer.from('hello world').toString('base64')] },
  { name: 'escapes', strings: '$a = "a\\"b\\\\c\\x41\\t"', condition: '$a', yes: ['a"b\\cA\t'], no: ['a"b\\cB\t'] },
  { name: 'utf-8 text', strings: '$a = "目录"', condition: '$a', yes: [Buffer.from('x目录y', 'utf8')], no: [wide('目录')] },
  { name: 'hex bytes', strings: '$a = { 4D 5A 90 00 }', condition: '$a at 0', yes: [Buffer.from([0x4d, 0x5a, 0x90, 0, 1])], no: [Buffer.from([0, 0x4d, 0x5a, 0x90, 0])] },
  { name: 'hex wildcards', strings: '$a = { 41 ?? 43 4? ?5 }', condition: '$a', yes: ['AxC@E', 'AbCOu'], no: ['AxCPE', 'AxC@F'] },
  { name: 'hex jumps', strings: '$a = { 41 42 [2-4] 43 [-] 44 }', condition: '$a', yes: ['ABxxCD', 'ABxxxxC....D'], no: ['ABxCD', 'ABxxxxxCD'] },
  { name: 'hex alternatives', strings: '$a = { 41 ( 42 | 43 44 | ?? 45 ) 46 }', condition: '$a', yes: ['ABF', 'ACDF', 'AzEF'], no: ['ACF', 'AEF'] },
  { name: 'hex not', strings: '$a = { 41 ~42 43 }', condition: '$a', yes: ['AxC'], no: ['ABC'] },
  { name: 'regex classes', strings: '$a = /eval\\s*\\(\\s*[a-z_]\\w{0,30}\\s*\\)/', condition: '$a', yes: ['eval( code1 )', 'eval(\tx)'], no: ['eval(1x)', 'eval (x y)'] },
  { name: 'regex nocase flag and modifier', strings: '$a = /wscript\\.shell/i\n$b = /shell\\.application/ nocase', condition: '$a and $b', yes: ['WScript.Shell Shell.Application'], no: ['WScript.Shell'] },
  { name: 'regex dot excludes newline only', strings: '$a = /a.b/', condition: '$a', yes: ['a\rb', 'a\x00b', Buffer.from([0x61, 0xff, 0x62])], no: ['a\nb'] },
  { name: 'regex s flag', strings: '$a = /a.b/s', condition: '$a', yes: ['a\nb'], no: ['ab'] },
  { name: 'regex \\s is ASCII', strings: '$a = /a\\sb/', condition: '$a', yes: ['a b', 'a\x0bb', 'a\fb'], no: [Buffer.from([0x61, 0xa0, 0x62]), Buffer.from([0x61, 0x85, 0x62])] },
  { name: 'regex anchors', strings: '$a = /^<%@/\n$b = /%>$/', condition: '$a and $b', yes: ['<%@ Page %>'], no: [' <%@ Page %>', '<%@ Page %> '] },
  { name: 'regex word boundary', strings: '$a = /\\bxor\\b/', condition: '$a', yes: ['a xor b', 'xor'], no: ['axorb', 'xor_'] },
  { name: 'regex alternation and groups', strings: '$a = /(^|[^.\\w])(eval|execute)[\\s(]{1,8}request/ nocase', condition: '$a', yes: ['Execute(Request', 'x eval  request', 'eval(request'], no: ['obj.eval(request', 'myeval(request'] },
  { name: 'regex repeats', strings: '$a = /ab{2,3}c/\n$b = /x(yz){2}/\n$c = /q{,2}r/', condition: '$a and $b and $c', yes: ['abbc xyzyz r'], no: ['abc xyzyz r', 'abbbbc xyzyz r', 'abbc xyz r'] },
  { name: 'regex wide', strings: '$a = /cmd\\.exe/ wide', condition: '$a', yes: [wide('cmd.exe')], no: ['cmd.exe'] },
  { name: 'regex fullword', strings: '$a = /eval\\(/ fullword', condition: '$a', yes: ['x eval('], no: ['xeval('] },
  { name: 'regex escaped slash and braces', strings: '$a = /a\\/b\\{1\\}/', condition: '$a', yes: ['a/b{1}'], no: ['a/b'] },
  { name: 'regex hex escape and class escape', strings: '$a = /\\x41[\\x30-\\x39\\-]+/', condition: '$a', yes: ['A-1', 'A9'], no: ['A', 'Ax'] },
  { name: 'private string not required to be reported', strings: '$a = "x" private', condition: '$a', yes: ['x'], no: ['y'] },
  { name: 'filesize and units', condition: 'filesize > 1KB and filesize < 1MB', yes: ['a'.repeat(2000)], no: ['a', 'a'.repeat(1024)] },
  { name: 'arithmetic', condition: '(1 + 2 * 3 - 4) \\ 3 == 1 and 7 % 3 == 1 and (0x0F & 0x3C) == 0x0C and (1 << 4 | 1) == 17 and (5 ^ 1) == 4 and ~0 == -1 and -(-2) == 2 and 0o10 == 8', yes: ['x'], no: [] },
  { name: 'division by zero is undefined', condition: '1 \\ (filesize - 1) == 0 or not (1 \\ (filesize - 1) == 0)', yes: ['ab'], no: ['a'] },
  { name: 'uint and int reads', condition: 'uint16(0) == 0x5A4D and uint32(0) == 0x00905A4D and uint16be(0) == 0x4D5A and uint32be(0) == 0x4D5A9000 and int8(3) == 0 and uint8(2) == 0x90 and int16(4) == -1', yes: [Buffer.from([0x4d, 0x5a, 0x90, 0, 0xff, 0xff])], no: [Buffer.from([0x4d, 0x5a, 0x90, 0, 0xff])] },
  { name: 'read past the end is undefined', condition: 'not (uint32(filesize - 2) == 0)', yes: [], no: ['abcd'] },
  { name: 'count and offsets', strings: '$a = "ab"', condition: '#a == 3 and @a[1] == 0 and @a[3] == 6 and @a == 0 and !a[2] == 2 and @a[4] == 0 or @a[2] == 2 and #a == 3', yes: ['ababxxab'], no: ['ab ab ab'] },
  { name: 'overlapping matches count', strings: '$a = "aa"\n$b = /a+/', condition: '#a == 3 and #b == 4 and !b[1] == 4 and !b[4] == 1', yes: ['aaaa'], no: ['aaa'] },
  { name: 'at and in', strings: '$a = "<%"\n$b = "eval"', condition: '$a at 0 and $b in (2..10) and #b in (0..100) == 2', yes: ['<%  eval eval'], no: [' <% eval eval', '<%            eval eval'] },
  { name: 'N of, them, wildcards', strings: '$p1 = "one"\n$p2 = "two"\n$p3 = "three"\n$q = "four"', condition: '2 of ($p*) and not $q', yes: ['one three'], no: ['one', 'one two four'] },
  { name: 'any, all, none of them', strings: '$a = "a1"\n$b = "b2"', condition: 'any of them and not all of them or none of them', yes: ['a1', 'zz'], no: ['a1 b2'] },
  { name: 'percent of', strings: '$a = "a1"\n$b = "b2"\n$c = "c3"\n$d = "d4"', condition: '50% of them', yes: ['a1 c3', 'a1 b2 c3'], no: ['a1'] },
  { name: 'of with in and at', strings: '$a = "a1"\n$b = "b2"', condition: 'any of ($a, $b) in (0..1) and all of them in (0..20)', yes: ['a1 b2'], no: ['xxa1 b2'] },
  { name: 'for i in range with @ and !', strings: '$a = "load("\n$b = "src"', condition: 'for any i in (1..#a) : ($b in (@a[i] - 5 .. @a[i] + 10))', yes: ['load( ...... load(src'], no: ['load( .................. src'] },
  { name: 'for all / none / N i in', strings: '$a = "x"', condition: 'for all i in (1..#a) : (@a[i] % 2 == 0) and for none i in (1..#a) : (@a[i] > 10) and for 2 i in (1, 2, 3) : (i > 1)', yes: ['x.x.x'], no: ['xx', 'x.x.x.x.x.x.x'] },
  { name: 'for of with $', strings: '$a = "one"\n$b = "two"', condition: 'for all of them : ( # > 1 and @ < 20 )', yes: ['one two one two'], no: ['one two one', '...................one two one two'] },
  { name: 'for any of with $ at', strings: '$a = "MZ"\n$b = "PK"', condition: 'for any of ($a, $b) : ($ at 0)', yes: ['PK..', 'MZ..'], no: ['.MZ.PK'] },
  { name: 'rule reference and private rule', prelude: 'private rule helper { strings: $t = "<%" condition: $t }', strings: '$e = "eval"', condition: 'helper and $e', yes: ['<% eval'], no: ['eval'] },
  { name: 'N of rules (not in this YARA-X)', prelude: 'rule r_one { strings: $t = "one" condition: $t }\nrule r_two { strings: $t = "two" condition: $t }', condition: 'any of (r_*)', yes: ['two'], no: ['three'] },
  { name: 'externals string operators', condition: 'filename iendswith ".ASPX" and filepath contains "owa" and extension == "" and not (filename matches /^x/)', yes: [], no: ['a'] },
  { name: 'string comparison with empty externals', condition: 'filename == "" and filetype == "" and owner == ""', yes: ['a'], no: [] },
];

function ruleText(c: Case): string {
  const strings = c.strings ? `  strings:\n    ${c.strings.replace(/\n/g, '\n    ')}\n` : '';
  return `${c.prelude ?? ''}\nrule tested : t1 t2 {\n  meta:\n    k = "v"\n    n = -5\n    b = true\n${strings}  condition:\n    ${c.condition}\n}\n`;
}

const EXT = ['filename', 'filepath', 'extension', 'filetype', 'owner'];

function portableMatches(c: Case, data: string | Buffer): boolean {
  const built = buildEngine([{ file: 'case.yar', namespace: 'ns', text: ruleText(c) }], EXT);
  assert.deepEqual(built.diagnostics, [], c.name);
  const ext = { filename: 'x.aspx', filepath: 'inetpub/owa/auth/x.aspx', extension: '', filetype: '', owner: '' };
  const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const empty = { filename: '', filepath: '', extension: '', filetype: '', owner: '' };
  return built.engine.scan(buf, c.name.startsWith('externals') ? ext : empty, 16).some((m) => m.rule === 'tested');
}

const yx = loadYaraX();

void describe('portable YARA engine: language features', () => {
  for (const c of CASES) {
    void it(c.name, () => {
      for (const d of c.yes) assert.equal(portableMatches(c, d), true, `${c.name} should match ${JSON.stringify(d.toString())}`);
      for (const d of c.no) assert.equal(portableMatches(c, d), false, `${c.name} should not match ${JSON.stringify(d.toString())}`);
      if ('mod' in yx && !c.name.startsWith('externals') && !c.name.includes('not in this YARA-X')) {
        const rules = yx.mod.compile(ruleText(c), { defineVariables: { filename: '', filepath: '', extension: '', filetype: '', owner: '' } });
        for (const d of [...c.yes, ...c.no]) {
          const buf = typeof d === 'string' ? Buffer.from(d, 'latin1') : d;
          const vars = { filename: '', filepath: '', extension: '', filetype: '', owner: '' };
          const got = rules.scan(buf, vars).some((m) => m.ruleIdentifier === 'tested');
          assert.equal(got, portableMatches(c, d), `YARA-X disagrees on ${c.name} with ${JSON.stringify(d.toString())}`);
        }
      }
    });
  }

  void it('reports meta, tags and string matches (offset, length; private strings left out)', () => {
    const text = 'rule r : web shell { meta: a = "x" n = 7 strings: $s = "ab" $p = "cd" private condition: $s and $p }';
    const built = buildEngine([{ file: 'f.yar', namespace: 'ns', text }], EXT);
    const m = built.engine.scan(Buffer.from('ab cd ab'), {}, 16);
    assert.deepEqual(m, [
      { namespace: 'ns', rule: 'r', meta: { a: 'x', n: 7 }, tags: ['web', 'shell'], strings: [{ id: '$s', offset: 0, length: 2 }, { id: '$s', offset: 6, length: 2 }] },
    ]);
    assert.equal(built.engine.scan(Buffer.from('ab cd ab'), {}, 1)[0]?.strings.length, 1);
  });

  void it('a global rule that fails hides the rules of its namespace only', () => {
    const a = 'global rule g { condition: filesize > 3 }\nrule a1 { condition: true }';
    const b = 'rule b1 { condition: true }';
    const built = buildEngine([{ file: 'a.yar', namespace: 'a', text: a }, { file: 'b.yar', namespace: 'b', text: b }], EXT);
    assert.deepEqual(built.engine.scan(Buffer.from('ab'), {}, 1).map((m) => m.rule), ['b1']);
    assert.deepEqual(built.engine.scan(Buffer.from('abcd'), {}, 1).map((m) => m.rule), ['g', 'a1', 'b1']);
  });
});

void describe('portable YARA engine: errors name the file, rule and line:column', () => {
  const cases: [string, string, string, number, number][] = [
    ['import "pe"\nrule a { condition: true }', 'Y201', 'module', 1, 1],
    ['rule a { condition: pe.is_pe }', 'Y201', 'module', 1, 21],
    ['include "x.yar"', 'Y202', 'include', 1, 1],
    ['rule a {\n condition:\n  entrypoint == 0 }', 'Y203', 'entrypoint', 3, 3],
    ['rule a { strings: $a = /(a+)+b/ condition: $a }', 'Y301', 'several ways', 1, 19],
    ['rule a { strings: $a = /(ab|a)*c/ condition: $a }', 'Y301', 'several ways', 1, 19],
    ['rule a { strings: $a = /x.*y.*z/ condition: $a }', 'Y301', 'two or more unbounded', 1, 19],
    ['rule a { strings: $a = { 41 [-] 42 [-] 43 } condition: $a }', 'Y301', 'two or more unbounded', 1, 19],
    ['rule a { strings: $a = "x" condition: $b }', 'Y105', 'undefined string', 1, 39],
    ['rule a { strings: $a = "x" $b = "y" condition: $a }', 'Y105', 'not used', 1, 28],
    ['rule a { condition: nope }', 'Y104', 'undefined identifier', 1, 21],
    ['rule a { condition: true }\nrule a { condition: true }', 'Y103', 'duplicate rule', 2, 6],
    ['rule a { strings: $a = /a(?:b)/ condition: $a }', 'Y106', 'not YARA syntax', 1, 24],
    ['rule a { strings: $a = { 4 } condition: $a }', 'Y107', 'hex', 1, 24],
    ['rule a { strings: $a = "x" base64 nocase condition: $a }', 'Y108', 'base64', 1, 35],
    ['rule a { strings: $a = "x\\q" condition: $a }', 'Y102', 'escape', 1, 26],
    ['rule a { condition: true and }', 'Y101', "unexpected '}'", 1, 30],
  ];
  for (const [text, code, msg, line, column] of cases) {
    void it(`${code}: ${text.split('\n').pop()}`, () => {
      const built = buildEngine([{ file: 'u.yar', namespace: 'u', text }], EXT);
      assert.equal(built.diagnostics.length, 1);
      const d = built.diagnostics[0];
      assert.equal(d?.code, code, d?.message);
      assert.equal(d?.file, 'u.yar');
      assert.match(d?.message ?? '', new RegExp(msg));
      assert.deepEqual([d?.line, d?.column], [line, column], d?.message);
      if (code !== 'Y201' && code !== 'Y202') assert.equal(d?.rule, 'a');
      assert.equal(built.engine.ruleCount, 0);
    });
  }

  void it('accepts repeats whose iterations are determined', () => {
    const text = 'rule a { strings: $a = /([a-z0-9-]+\\.)+com/ $b = /(\\\\x[0-9a-f]{2}){3,}/ $c = /(,\\s*\\w+)*/ condition: all of them }';
    const built = buildEngine([{ file: 'u.yar', namespace: 'u', text }], EXT);
    assert.deepEqual(built.diagnostics, []);
    assert.equal(built.engine.scan(Buffer.from('www.ex-ample.com \\x41\\x42\\x43'), {}, 1).length, 1);
  });

  void it('a long run of input does not make a bounded expression explode', () => {
    const text = 'rule a { strings: $a = /eval\\s*\\([^;]{1,400}["\']unsafe["\']\\s*\\)/ condition: $a }';
    const built = buildEngine([{ file: 'u.yar', namespace: 'u', text }], EXT);
    const data = Buffer.from('eval(' + ' '.repeat(200_000) + 'eval('.repeat(20_000));
    assert.equal(built.engine.scan(data, {}, 1).length, 0);
  });
});
