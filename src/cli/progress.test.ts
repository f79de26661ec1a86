import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from './progress.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns: 40, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('progress writes nothing when stderr is not a terminal', () => {
  const { stream, written } = fakeStream(false);
  const p = createProgress(true, stream);
  p.update('files', 'a.aspx');
  p.tick();
  p.done();
  assert.deepEqual(written, []);
});

test('progress writes nothing when disabled (--quiet)', () => {
  const { stream, written } = fakeStream(true);
  const p = createProgress(false, stream);
  p.update('files', 'a.aspx');
  assert.deepEqual(written, []);
});

test('on a terminal: one rewritten line, evidence stripped of escapes, cleared at the end', () => {
  const { stream, written } = fakeStream(true);
  const p = createProgress(true, stream);
  p.update('files', 'evil\x1b]0;title\x07name.aspx');
  p.done();
  assert.equal(written.length, 2);
  assert.ok(written[0]?.startsWith('\r\x1b[2K'));
  assert.ok(!written[0]?.slice(5).includes('\x1b'), 'no escape from the evidence');
  assert.match(written[0] ?? '', /files evilname\.aspx/);
  assert.equal(written[1], '\r\x1b[2K');
});
