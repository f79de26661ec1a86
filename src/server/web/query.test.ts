import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flag, int, oneOf, paging, str } from './query.js';
import { daysUntil } from './format.js';
import { backWith, triageChange } from './routes-triage.js';
import { nextTarget } from './routes-auth.js';

test('query readers: clamp numbers, check enums, ignore junk', () => {
  const q = { a: ' x ', n: '999999', bad: '-1', arr: ['first', 'second'], e: 'high', junk: 'HIGH', f: 'on', obj: { x: 1 } };
  assert.equal(str(q, 'a'), 'x');
  assert.equal(str(q, 'arr'), 'first');
  assert.equal(str(q, 'obj'), undefined);
  assert.equal(int(q, 'n', 5, 0, 100), 100);
  assert.equal(int(q, 'bad', 5, 0, 100), 5);
  assert.equal(oneOf(q, 'e', ['high', 'low'] as const), 'high');
  assert.equal(oneOf(q, 'junk', ['high', 'low'] as const), undefined);
  assert.equal(flag(q, 'f'), true);
  assert.deepEqual(paging({ limit: '100000', offset: 'x' }), { limit: 200, offset: 0 });
});

test('triage form: the change asked for, nothing when empty; back stays local', () => {
  assert.equal(triageChange({ status: '', assignee: ' ', comment: '' }), null);
  assert.equal(triageChange({ status: 'pwned' }), null);
  assert.deepEqual(triageChange({ status: 'confirmed', assignee: 'ann', comment: ' seen ' }), { status: 'confirmed', assignee: 'ann', comment: 'seen' });
  assert.deepEqual(triageChange({ assignee: 'ann', unassign: '1' }), { assignee: null });
  assert.equal(backWith('/findings?status=new&done=old', 'triaged-3'), '/findings?status=new&done=triaged-3');
  assert.equal(backWith('https://evil.example/', 'x'), '/findings?done=x');
  assert.equal(backWith('//evil.example/', 'x'), '/findings?done=x');
  assert.equal(backWith(undefined, 'x'), '/findings?done=x');
});

test('login next: local paths only, never back to the login page', () => {
  assert.equal(nextTarget('/servers/a?x=1'), '/servers/a?x=1');
  for (const bad of [undefined, '', 'https://evil.example/', '//evil.example', '/\\evil.example', '/login?next=/x', 'javascript:alert(1)', '/a\nb']) assert.equal(nextTarget(bad), '/', String(bad));
});

test('daysUntil counts whole UTC days', () => {
  assert.equal(daysUntil('2021-04-13', '2021-04-16'), 3);
  assert.equal(daysUntil('2021-04-16T23:00:00Z', '2021-04-16'), 0);
  assert.equal(daysUntil('2021-04-20', '2021-04-16'), -4);
});
