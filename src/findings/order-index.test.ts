// The compact order index sorts exactly as compareOrderKeys does, whatever form the keys take.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../parsers/logs/testing/prng.js';
import { compareOrderKeys, type OrderKey } from './order.js';
import { OrderIndex } from './order-index.js';

const STARTS = [
  '2021-03-01T16:48:00.491Z', '2021-03-01T16:48:00.492Z', '2021-03-01T16:48:00Z', '2021-03-01T16:48:00.4912345Z',
  '2021-03-01 16:48:00', '1999-12-31T23:59:59.999Z', '2021-02-30T00:00:00.000Z', '', null, undefined,
];
const IDS = ['0123456789abcdef01234567', 'ffffffffffffffffffffffff', '0123456789abcdef01234568', '0123456789ABCDEF01234567', 'x-1', ''];
const PATHS = ['C/inetpub/logs/u_ex210301.log', 'C/inetpub/logs/u_ex210302.log', 'a!b', null, undefined];
const LINES = [1, 2, 10, 0, null, undefined];
const RULES = ['exhunt-a', 'exhunt-b', 'sigma-1'];

void test('random keys sort as compareOrderKeys sorts them, and read back as given', () => {
  const rnd = prng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const keys: OrderKey[] = [];
  for (let i = 0; i < 3000; i++) {
    keys.push({ rank: Math.floor(rnd() * 5), start: pick(STARTS), path: pick(PATHS), line: pick(LINES), ruleId: pick(RULES), id: pick(IDS) });
  }
  const index = new OrderIndex();
  keys.forEach((k, i) => assert.equal(index.add(k), i));
  assert.equal(index.size, keys.length);
  keys.forEach((k, i) => assert.deepEqual(index.keyAt(i), k));
  const order = [...index.order()];
  assert.deepEqual([...order].sort((a, b) => a - b), keys.map((_, i) => i), 'every position once');
  // Keys that compare equal may come in any order; each next key must not sort before the last.
  for (let j = 1; j < order.length; j++) {
    const prev = keys[order[j - 1] as number] as OrderKey;
    const next = keys[order[j] as number] as OrderKey;
    assert.ok(compareOrderKeys(prev, next) <= 0, `${JSON.stringify(prev)} before ${JSON.stringify(next)}`);
  }
});
