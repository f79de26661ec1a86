// The one-pass line walk of the WebAssembly needle engine (LineSplitter.walk) against the
// line-by-line loop it replaces (still used with a `prefilter`; one that keeps every line
// changes nothing else): same kept lines and numbers, same dropped-line heads, same counts,
// whatever the chunking.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from './line-reader.js';
import { createParseStats } from './types.js';
import { prng } from './testing/prng.js';

function run(input: Buffer, chunk: number, loop: boolean): unknown {
  const stats = createParseStats();
  const out: unknown[] = [];
  const s = new LineSplitter({
    path: 'x.log',
    stats,
    maxLineBytes: 300,
    needles: ['/ecp/', 'server~', 'q'],
    needleTerms: [['/ecp/', 'post'], ['server~'], ['q', 'zz']],
    onIssue: (i) => out.push(['issue', i.line, i.message]),
    onLine: (text, no) => out.push(['line', no, text]),
    onDropped: (head, no) => out.push(['dropped', no, head]),
    ...(loop ? { prefilter: () => true } : {}),
  });
  for (let i = 0; i < input.length; i += chunk) s.push(input.subarray(i, i + chunk));
  s.end();
  return { out, stats };
}

void describe('line walk', () => {
  void it('matches the line-by-line loop on random logs and chunkings', () => {
    const rnd = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    for (let round = 0; round < 30; round++) {
      const lines: string[] = [];
      let hour = 0;
      for (let i = 0; i < 400; i++) {
        if (rnd() < 0.05) hour++;
        const head = `2021-03-${String(1 + (hour >> 4)).padStart(2, '0')} ${String(hour % 24).padStart(2, '0')}:00:00`;
        const body = Array.from({ length: Math.floor(rnd() * 6) }, () => pick(['GET', 'POST', '/ECP/', '/ecp/x', 'Server~a', 'q', 'ZZ', 'é', 'x'.repeat(40)])).join(' ');
        lines.push(pick([`${head} ${body}`, `${head} ${body}\r`, '#Fields: a b', '', 'short', `${'y'.repeat(350)}`, `${head} ${body}`]));
      }
      const input = Buffer.from(lines.join('\n') + (rnd() < 0.5 ? '\n' : ''));
      for (const chunk of [7, 64, 1000, 1 << 20]) {
        assert.deepEqual(run(input, chunk, false), run(input, chunk, true), `round ${round}, chunks of ${chunk}`);
      }
    }
  });
});
