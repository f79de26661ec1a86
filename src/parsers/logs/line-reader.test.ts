import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParseIssue } from '../types.js';
import { detectBom, readLines, type TextLine } from './line-reader.js';
import { createParseStats, type ParseStats } from './types.js';

function* chunked(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function* toAsync(it: Iterable<Buffer>): AsyncGenerator<Buffer> {
  for (const b of it) yield await Promise.resolve(b);
}

async function collect(
  buf: Buffer,
  size = 65536,
  extra: {
    maxLineBytes?: number;
    prefilter?: (b: Buffer) => boolean;
    needles?: string[];
    needleTerms?: string[][];
    onDropped?: (head: string, no: number) => void;
  } = {},
): Promise<{ lines: TextLine[]; issues: ParseIssue[]; stats: ParseStats }> {
  const issues: ParseIssue[] = [];
  const stats = createParseStats();
  const lines: TextLine[] = [];
  for await (const l of readLines(toAsync(chunked(buf, size)), { path: 'x.log', onIssue: (i) => issues.push(i), stats, ...extra })) {
    lines.push(l);
  }
  return { lines, issues, stats };
}

void describe('line reader', () => {
  void it('splits LF and CRLF, keeps a last line without newline, numbers from 1', async () => {
    const { lines, issues } = await collect(Buffer.from('a\r\nb\n\nc'));
    assert.deepEqual(lines, [
      { no: 1, text: 'a' },
      { no: 2, text: 'b' },
      { no: 3, text: '' },
      { no: 4, text: 'c' },
    ]);
    assert.equal(issues.length, 0);
  });

  void it('gives the same lines whatever the chunk size', async () => {
    const text = 'één\r\ntwee ü\nthree €\n'.repeat(5);
    const want = (await collect(Buffer.from(text))).lines;
    for (const size of [1, 2, 3, 7]) assert.deepEqual((await collect(Buffer.from(text), size)).lines, want);
  });

  void it('detects BOMs', () => {
    assert.deepEqual(detectBom(Buffer.from([0xef, 0xbb, 0xbf, 0x41])), { encoding: 'utf8', bomLength: 3 });
    assert.deepEqual(detectBom(Buffer.from([0xff, 0xfe, 0x41, 0])), { encoding: 'utf16le', bomLength: 2 });
    assert.deepEqual(detectBom(Buffer.from([0xfe, 0xff, 0, 0x41])), { encoding: 'utf16be', bomLength: 2 });
    assert.deepEqual(detectBom(Buffer.from('AB')), { encoding: 'utf8', bomLength: 0 });
  });

  void it('decodes UTF-8 with BOM, UTF-16LE and UTF-16BE', async () => {
    const text = '#Fields: a b\r\nx ü €\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const u8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const buf of [le, be, u8]) {
      for (const size of [1, 3, 1000]) {
        const { lines } = await collect(buf, size);
        assert.deepEqual(lines.map((l) => l.text), ['#Fields: a b', 'x ü €']);
      }
    }
  });

  void it('reads the head of an over-long line (10 MB) without buffering the rest, and goes on', async () => {
    const big = Buffer.concat([Buffer.from('first\n'), Buffer.alloc(10 * 1024 * 1024, 0x41), Buffer.from('\nlast\n')]);
    const { lines, issues, stats } = await collect(big, 65536);
    assert.deepEqual(lines.map((l) => [l.no, l.text.length]), [[1, 5], [2, 1024 * 1024], [3, 4]]);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.line, 2);
    assert.match(issues[0]?.message ?? '', /longer than 1048576 bytes: its first 1048576 bytes read, the rest skipped/);
    assert.equal(stats.skipped, 0);
    assert.equal(stats.lines, 3);
  });

  void it('reads the head of a long line that fits inside one chunk too, cut at a character boundary', async () => {
    const { lines, issues } = await collect(Buffer.from(`a\n${'x'.repeat(50)}\nb\n${'é'.repeat(20)}\n`), 1 << 20, { maxLineBytes: 11 });
    assert.deepEqual(lines.map((l) => [l.no, l.text]), [[1, 'a'], [2, 'x'.repeat(11)], [3, 'b'], [4, 'é'.repeat(5)]]);
    assert.deepEqual(issues.map((i) => i.line), [2, 4]);
  });

  void it('a 100 MB line costs at most the limit in memory and its head is screened like any line', async () => {
    const big = Buffer.concat([Buffer.from('x ServerInfo~a]@evil/ '), Buffer.alloc(100 * 1024 * 1024, 0x2c), Buffer.from('\nnext\n')]);
    const { lines, stats } = await collect(big, 1 << 20, { needles: ['serverinfo~'] });
    assert.deepEqual(lines.map((l) => [l.no, l.text.length]), [[1, 1024 * 1024]]);
    assert.equal(stats.lines, 2);
    assert.equal(stats.filtered, 1);
  });

  void it('skips lines with NUL bytes as binary and reads invalid UTF-8 as Latin-1', async () => {
    const buf = Buffer.concat([
      Buffer.from('ok\n'),
      Buffer.from([0x00, 0x01, 0x02, 0xff, 0x0a]),
      Buffer.from('caf'),
      Buffer.from([0xe9, 0x0a]),
      Buffer.from('end\n'),
    ]);
    const { lines, issues, stats } = await collect(buf);
    assert.deepEqual(lines, [
      { no: 1, text: 'ok' },
      { no: 3, text: 'café' },
      { no: 4, text: 'end' },
    ]);
    assert.deepEqual(
      issues.map((i) => [i.line, /binary/.test(i.message) ? 'binary' : 'encoding']),
      [
        [2, 'binary'],
        [3, 'encoding'],
      ],
    );
    assert.equal(stats.skipped, 1);
  });

  void it('reports the first few problems one by one and the rest as one summary', async () => {
    const buf = Buffer.from('\u0000\n'.repeat(20) + 'fine\n');
    const { lines, issues, stats } = await collect(buf);
    assert.deepEqual(lines, [{ no: 21, text: 'fine' }]);
    assert.equal(issues.length, 6);
    assert.match(issues[5]?.message ?? '', /^20 line\(s\) with binary data/);
    assert.equal(stats.skipped, 20);
  });

  void it('lets a prefilter drop data lines but never directives', async () => {
    const { lines, stats } = await collect(Buffer.from('#Fields: x\nfoo\nbar\n'), 4, {
      prefilter: (b) => b.includes('bar'),
    });
    assert.deepEqual(lines.map((l) => l.text), ['#Fields: x', 'bar']);
    assert.equal(stats.filtered, 1);
  });

  void it('keeps only lines holding a needle (any case), with right numbers, whatever the chunking', async () => {
    const text = '#Fields: a\n2021-03-03 01:00 GET /owa/\n2021-03-03 01:01 GET /ECP/Y.JS\n2021-03-03 02:00 x\n2021-03-04 00:00 /ecp/z.js';
    for (const size of [1, 5, 64, 1 << 20]) {
      const dropped: [string, number][] = [];
      const { lines, stats } = await collect(Buffer.from(text), size, {
        needles: ['/ecp/', 'nothing-here'],
        onDropped: (head, no) => dropped.push([head.slice(0, 13), no]),
      });
      assert.deepEqual(lines, [
        { no: 1, text: '#Fields: a' },
        { no: 3, text: '2021-03-03 01:01 GET /ECP/Y.JS' },
        { no: 5, text: '2021-03-04 00:00 /ecp/z.js' },
      ], `chunk ${size}`);
      assert.equal(stats.filtered, 2);
      assert.deepEqual(dropped.map((d) => d[0]), ['2021-03-03 01', '2021-03-03 02']);
    }
  });

  void it('screens on bytes across chunk boundaries: needles split between chunks, #Fields changes, CRLF', async () => {
    const rows = [
      '#Fields: date time cs-uri-stem',
      '2021-03-03 01:00:00 /owa/',
      '2021-03-03 01:00:01 /ecp/DDI/x.svc/',
      '#Fields: date time s-ip cs-uri-stem',
      '2021-03-03 02:00:00 10.0.0.1 /EcP/',
      '2021-03-03 02:00:01 10.0.0.1 /owa/ecpx',
      '2021-03-03 03:00:00 10.0.0.1 /ecp/',
    ];
    for (const eol of ['\n', '\r\n']) {
      const buf = Buffer.from(rows.join(eol) + eol);
      for (const size of [1, 2, 3, 7, 11, 64, 1 << 20]) {
        const { lines, stats } = await collect(buf, size, { needles: ['/ecp/'] });
        assert.deepEqual(lines.map((l) => [l.no, l.text]), [
          [1, rows[0]], [3, rows[2]], [4, rows[3]], [5, rows[4]], [7, rows[6]],
        ], `chunk ${size} ${JSON.stringify(eol)}`);
        assert.equal(stats.filtered, 2);
        assert.equal(stats.lines, 7);
      }
    }
  });

  void it('applies needle terms per line, whatever the chunking', async () => {
    const text = 'GET /ecp/a.js\nPOST /ecp/y.js\r\nPOST /ecp/x.aspx\nx.js /ECP/ post';
    for (const size of [1, 4, 9, 1 << 20]) {
      const { lines, stats } = await collect(Buffer.from(text), size, { needles: ['/ecp/'], needleTerms: [['/ecp/', '.js', 'post']] });
      assert.deepEqual(lines.map((l) => l.no), [2, 4], `chunk ${size}`);
      assert.equal(stats.filtered, 2);
    }
  });

  void it('screens UTF-16 logs on their UTF-8 transcoding', async () => {
    const text = '#Fields: a\r\nGET /ECP/ ü\r\nGET /owa/\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    for (const size of [1, 3, 1000]) {
      const { lines } = await collect(le, size, { needles: ['/ecp/'] });
      assert.deepEqual(lines.map((l) => l.text), ['#Fields: a', 'GET /ECP/ ü']);
    }
  });
});
