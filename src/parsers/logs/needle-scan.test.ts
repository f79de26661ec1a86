import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NeedleScan } from './needle-scan.js';

function hits(scan: NeedleScan, text: string | Buffer): number[] {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const out: number[] = [];
  scan.find(buf, 0, buf.length, out);
  return out;
}

void describe('needle scan', () => {
  void it('gives the first hit of each line, any ASCII case, as byte offsets', () => {
    const text = 'GET /ECP/a /ecp/b\nnone here\nx /Ecp/ y\n';
    assert.deepEqual(hits(new NeedleScan(['/ecp/']), text), [4, 30]);
  });

  void it('counts offsets in bytes past multi-byte UTF-8 and never folds non-ASCII into ASCII', () => {
    // U+212A KELVIN SIGN lower-cases to `k` in Unicode, but the screen folds ASCII only.
    const text = 'é€ /kx/\n/\u212Ax/\n';
    assert.deepEqual(hits(new NeedleScan(['/kx/']), text), [Buffer.byteLength('é€ ')]);
  });

  void it('finds nothing without needles', () => {
    assert.deepEqual(hits(new NeedleScan([]), 'anything\n'), []);
  });

  void it('searches windows cut at line ends: hits around 64 KiB and in a line longer than a window', () => {
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
    assert.deepEqual(hits(new NeedleScan(['needle']), text), want);
  });

  void it('with terms: keeps a needle line only when it holds every literal of some term', () => {
    const scan = new NeedleScan(['/ecp/', 'serverinfo~'], [['/ecp/', '.js', 'post'], ['serverinfo~']]);
    const text = ['GET /ecp/a.js', 'POST /ecp/y.JS', 'POST /ecp/x.aspx', 'a ServerInfo~x', 'x.js POST /ECP/'].join('\n');
    const got = hits(scan, text).map((o) => text.slice(o, text.indexOf('\n', o) === -1 ? undefined : text.indexOf('\n', o)));
    assert.deepEqual(got, ['/ecp/y.JS', 'ServerInfo~x', '/ECP/']);
  });
});
