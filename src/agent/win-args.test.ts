import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinWinArgs, quoteWinArg, splitWinArgs } from './win-args.js';

test('plain arguments stay as they are; spaces, quotes and empty ones are quoted', () => {
  assert.equal(quoteWinArg('C:\\ProgramData\\exhunt'), 'C:\\ProgramData\\exhunt');
  assert.equal(quoteWinArg('C:\\Program Files\\exhunt'), '"C:\\Program Files\\exhunt"');
  assert.equal(quoteWinArg(''), '""');
  assert.equal(quoteWinArg('a"b'), '"a\\"b"');
});

test('a trailing backslash before the closing quote is doubled (C:\\ would otherwise eat the quote)', () => {
  assert.equal(quoteWinArg('C:\\Program Files\\'), '"C:\\Program Files\\\\"');
  assert.equal(quoteWinArg('C:\\'), 'C:\\');
  assert.equal(quoteWinArg('D:\\x y\\"q\\'), '"D:\\x y\\\\\\"q\\\\"');
});

test('what joinWinArgs writes splits back into the same arguments', () => {
  const cases = [
    ['C:\\Program Files\\exhunt\\exhunt.exe', 'agent', 'run', 'C:\\', '--home', 'C:\\ProgramData\\ex hunt\\'],
    ['a', '', 'b c', 'd"e', 'f\\\\"g', '\\\\server\\share\\', 'tab\there'],
  ];
  for (const args of cases) assert.deepEqual(splitWinArgs(joinWinArgs(args)), args);
});
