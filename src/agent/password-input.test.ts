import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { readPassword } from './password-input.js';

function tty(): PassThrough & { isTTY: boolean; setRawMode: (raw: boolean) => unknown; modes: boolean[] } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (raw: boolean) => unknown; modes: boolean[] };
  s.isTTY = true;
  s.modes = [];
  s.setRawMode = (raw) => s.modes.push(raw);
  return s;
}

test('at a terminal: prompt on stderr, raw mode (no echo) while typing, backspace works, raw mode restored', async () => {
  const input = tty();
  let shown = '';
  const p = readPassword('password for ana', { input, prompt: (s) => { shown += s; } });
  input.write('s3x\u007fcret\r');
  assert.equal(await p, 's3cret');
  assert.equal(shown, 'password for ana: \n');
  assert.deepEqual(input.modes, [true, false]);
  const c = tty();
  const q = readPassword('pw', { input: c, prompt: () => undefined });
  c.write('ab\u0003');
  await assert.rejects(q, /cancelled/);
  assert.deepEqual(c.modes, [true, false]);
});

test('from a pipe: the first line, CRLF or LF; empty is an error', async () => {
  assert.equal(await readPassword('pw', { input: Readable.from(['pass word\r\n', 'next\n']), prompt: () => undefined }), 'pass word');
  assert.equal(await readPassword('pw', { input: Readable.from(['no-newline']), prompt: () => undefined }), 'no-newline');
  await assert.rejects(readPassword('pw', { input: Readable.from(['\n']), prompt: () => undefined }), /no password given/);
});
