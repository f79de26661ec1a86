import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fingerprintOffset, JsNeedleScan, needleScan, WasmNeedleScan, type NeedleFinder } from './needle-scan.js';
import { prng } from './testing/prng.js';

type Terms = readonly (readonly string[])[];
const wasm = new WebAssembly.Module(readFileSync(new URL('./needle-scan.wasm', import.meta.url)));
const ENGINES: readonly [string, (needles: readonly string[], terms?: Terms) => NeedleFinder][] = [
  ['js', (n, t) => new JsNeedleScan(n, t)],
  ['wasm', (n, t) => new WasmNeedleScan(wasm, n, t)],
];

function hits(scan: NeedleFinder, text: string | Buffer, start = 0, end?: number): number[] {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const out: number[] = [7];
  scan.find(buf, start, end ?? buf.length, out);
  return out;
}

for (const [name, make] of ENGINES) {
  void describe(`needle scan (${name})`, () => {
    void it('gives the first hit of each line, any ASCII case, as byte offsets', () => {
      const text = 'GET /ECP/a /ecp/b\nnone here\nx /Ecp/ y\n';
      assert.deepEqual(hits(make(['/ecp/']), text), [4, 30]);
    });

    void it('counts offsets in bytes past multi-byte UTF-8 and never folds non-ASCII into ASCII', () => {
      // U+212A KELVIN SIGN lower-cases to `k` in Unicode, but the screen folds ASCII only.
      const text = 'é€ /kx/\n/\u212Ax/\n';
      assert.deepEqual(hits(make(['/kx/']), text), [Buffer.byteLength('é€ ')]);
    });

    void it('finds nothing without needles or in an empty range', () => {
      assert.deepEqual(hits(make([]), 'anything\n'), []);
      assert.deepEqual(hits(make(['a']), 'aaa', 2, 2), []);
    });

    void it('takes the leftmost needle of a line whatever the needles order, one- and two-byte needles too', () => {
      const scan = make(['zz', 'b', 'longer-needle']);
      assert.deepEqual(hits(scan, 'xx LONGER-NEEDLE zz\nab\nzZ\nnone\n'), [3, 21, 23]);
    });

    void it('searches a sub-range only and reports offsets into the whole buffer', () => {
      const text = 'needle\nxx needle\nneedle';
      assert.deepEqual(hits(make(['needle']), text, 7, 17), [10]);
      // A needle cut by the range end does not count.
      assert.deepEqual(hits(make(['needle']), text, 0, 20), [0, 10]);
    });

    void it('finds hits around 64 KiB and in a line longer than a window', () => {
      const filler = `${'a'.repeat(99)}\n`;
      const lines: string[] = [];
      for (let i = 0; i < 1500; i++) lines.push(i % 97 === 0 ? `${'b'.repeat(90)}NeEdLe\n` : filler);
      lines.push(`${'c'.repeat(200_000)}needle${'d'.repeat(10)}\n`, 'needle at the end');
      const text = lines.join('');
      const want: number[] = [];
      let at = 0;
      for (const l of lines) {
        const i = l.toLowerCase().indexOf('needle');
        if (i !== -1) want.push(at + i);
        at += l.length;
      }
      assert.deepEqual(hits(make(['needle']), text), want);
    });

    void it('with terms: keeps a needle line only when it holds every literal of some term', () => {
      const scan = make(['/ecp/', 'serverinfo~'], [['/ecp/', '.js', 'post'], ['serverinfo~']]);
      const text = ['GET /ecp/a.js', 'POST /ecp/y.JS', 'POST /ecp/x.aspx', 'a ServerInfo~x', 'x.js POST /ECP/'].join('\n');
      const got = hits(scan, text).map((o) => text.slice(o, text.indexOf('\n', o) === -1 ? undefined : text.indexOf('\n', o)));
      assert.deepEqual(got, ['/ecp/y.JS', 'ServerInfo~x', '/ECP/']);
    });

    void it('with terms: a term literal on the next line does not count', () => {
      const scan = make(['/ecp/'], [['/ecp/', 'post']]);
      assert.deepEqual(hits(scan, 'GET /ecp/a\nPOST b\n'), []);
      assert.deepEqual(hits(scan, 'POST b\nGET /ecp/a\n'), []);
    });
  });
}

void describe('needle fingerprints', () => {
  void it('come from the part of a needle that ordinary Exchange logs do not share', () => {
    assert.equal(fingerprintOffset('abcdefghij~'), 8);
    // `/owa/` is in every OWA request, `auth` in authentication fields: neither gives it.
    const owa = fingerprintOffset('/owa/auth/');
    assert.ok(!['/ow', 'owa', 'wa/', '/au', 'aut', 'uth'].includes('/owa/auth/'.slice(owa, owa + 3)));
    assert.equal(fingerprintOffset('ab'), 0);
  });

  void it('find the leftmost needle when a later one is fingerprinted first', () => {
    for (const [, make] of ENGINES) assert.deepEqual(hits(make(['abcdefghij~', 'fgh']), 'xx abcdefghij~ fgh\n'), [3]);
  });
});

void describe('needle scan engines agree', () => {
  void it('on random lines built from needle fragments, with and without terms', () => {
    const rnd = prng(42);
    // 'abcdefghij~' is fingerprinted at its end, 'fgh' at its start: inside 'abcdefghij~' the
    // later needle's fingerprint comes first, and the leftmost start must still win.
    const needles = ['/ecp/', '/owa/auth/', 'python-requests/2.25.1', 'server~', 'ab', 'x', '/ecp/main.css', 'abcdefghij~', 'fgh'];
    const terms: Terms = [['/ecp/', 'post', '.js'], ['server~', '/'], ['python-requests/2.25.1'], ['/owa/auth/', '.aspx', 'post'], ['x', 'zz']];
    const parts = [...needles, 'abcdefghij', 'POST', 'GET', '.JS', '.aspx', '/', 'ZZ', ' ', 'é', '\u00c9', 'ecp', '/EC', 'P/', 'Server', '~', 'a', 'B', '\n', '\n', '\n'];
    for (let round = 0; round < 40; round++) {
      const pieces: string[] = [];
      const count = 50 + Math.floor(rnd() * 3000);
      for (let i = 0; i < count; i++) {
        const p = parts[Math.floor(rnd() * parts.length)]!;
        pieces.push(rnd() < 0.5 ? p.toUpperCase() : p);
      }
      const buf = Buffer.from(pieces.join(''));
      const start = Math.floor(rnd() * 8);
      for (const t of [undefined, terms]) {
        const a = hits(new JsNeedleScan(needles, t), buf, start);
        const b = hits(new WasmNeedleScan(wasm, needles, t), buf, start);
        assert.deepEqual(b, a, `round ${round}, terms ${t ? 'on' : 'off'}`);
      }
    }
  });

  void it('the shared engine is the WebAssembly one here, reused per screen', () => {
    const a = needleScan(['/ecp/'], [['/ecp/', 'post']]);
    assert.ok(a instanceof WasmNeedleScan);
    assert.equal(needleScan(['/ecp/'], [['/ecp/', 'post']]), a);
    assert.notEqual(needleScan(['/ecp/']), a);
  });
});
