import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attackWindow, inWindow } from './window.js';
import { contextFindings, crossZoneFindings } from '../../../test/fixtures/timeline/findings.js';

const DAY = 86_400_000;
const FIRST = Date.UTC(2021, 2, 3, 2, 14, 7);
const LAST_MEDIUM = Date.UTC(2021, 2, 3, 3, 40);

test('default window: first to last finding at medium or above, padded each side', () => {
  const w = attackWindow([...crossZoneFindings(), ...contextFindings()], { padMs: 2 * DAY });
  assert.equal(w.basis, 'findings-medium');
  assert.equal(w.from, FIRST - 2 * DAY);
  assert.equal(w.to, LAST_MEDIUM + 2 * DAY, 'the low finding a week later does not stretch it; lastSeen of an aggregate does');
  assert.ok(inWindow(w, FIRST - 2 * DAY) && inWindow(w, LAST_MEDIUM + 2 * DAY), 'ends included');
  assert.ok(!inWindow(w, FIRST - 2 * DAY - 1) && !inWindow(w, LAST_MEDIUM + 2 * DAY + 1));
});

test('pad 0 and a different pad', () => {
  const f = crossZoneFindings();
  assert.deepEqual(attackWindow(f, { padMs: 0 }), { from: FIRST, to: FIRST + 3000, basis: 'findings-medium', padMs: 0 });
  assert.equal(attackWindow(f, { padMs: 3_600_000 }).from, FIRST - 3_600_000);
});

test('only low findings: the window comes from them; no timed finding: no window', () => {
  const low = contextFindings().filter((f) => f.severity === 'low');
  const w = attackWindow(low, { padMs: 0 });
  assert.equal(w.basis, 'findings-any');
  assert.equal(w.from, Date.UTC(2021, 2, 10, 12));
  const untimed = contextFindings().filter((f) => f.time === null);
  const none = attackWindow(untimed, { padMs: DAY });
  assert.deepEqual(none, { from: null, to: null, basis: 'none', padMs: 0 });
  assert.ok(inWindow(none, 0));
});

test('--from/--to replace either end; --all removes the window', () => {
  const f = crossZoneFindings();
  const from = Date.UTC(2021, 1, 1);
  const w = attackWindow(f, { padMs: DAY, from });
  assert.equal(w.basis, 'option');
  assert.equal(w.from, from);
  assert.equal(w.to, FIRST + 3000 + DAY, 'the other end still comes from the findings');
  const all = attackWindow(f, { padMs: DAY, from, all: true });
  assert.deepEqual(all, { from: null, to: null, basis: 'all', padMs: 0 });
});
