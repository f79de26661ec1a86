// The regf reader on hives built here: tree order, names, values of every storage kind, and
// hostile structure (loops, offsets outside the file, truncation, absurd counts) bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openHiveBuffer, keyRecord, RegfError } from './index.js';
import { buildHive, dword, pokeKey, sz, type KeySpec } from '../../../test/fixtures/regf/build-hive.js';
import { marvin32 } from './marvin32.js';

const tree: KeySpec = {
  name: 'ROOT',
  children: [
    {
      name: 'Microsoft',
      children: [
        {
          name: 'ExchangeServer',
          children: [{ name: 'v15', children: [{ name: 'Setup', values: [{ name: 'MsiProductMajor', type: 4, data: dword(15) }, { name: 'MsiInstallPath', type: 1, data: sz('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\') }] }] }],
        },
      ],
    },
    { name: 'Zeta', className: 'cls', values: [{ name: 'tiny', type: 3, data: Buffer.from([1, 2, 3]) }, { name: 'big', type: 3, data: Buffer.alloc(40000, 0xab) }, { name: 'multi', type: 7, data: Buffer.from('a\0b\0\0', 'utf16le') }] },
  ],
};

function keysOf(buf: Buffer): ReturnType<typeof keyRecord>[] {
  const { hive } = openHiveBuffer(buf, 'test', []);
  return [...hive.keys()].map(keyRecord);
}

void test('regf: keys pre-order in stored order, with every value storage kind', () => {
  const keys = keysOf(buildHive(tree).buf);
  assert.deepEqual(keys.map((k) => k.path), ['\\', '\\Microsoft', '\\Microsoft\\ExchangeServer', '\\Microsoft\\ExchangeServer\\v15', '\\Microsoft\\ExchangeServer\\v15\\Setup', '\\Zeta']);
  assert.equal(keys[0]?.name, 'ROOT');
  const setup = keys[4];
  assert.deepEqual(setup?.values.map((v) => [v.name, v.data]), [['MsiProductMajor', 15], ['MsiInstallPath', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\']]);
  const zeta = keys[5];
  assert.equal(zeta?.class_name, 'cls');
  assert.deepEqual(zeta?.values.map((v) => [v.name, v.size]), [['tiny', 3], ['big', 40000], ['multi', 10]]);
  assert.equal(zeta?.values[0]?.data, '010203');
  assert.equal(zeta?.values[1]?.data, 'ab'.repeat(40000));
  assert.deepEqual(zeta?.values[2]?.data, ['a', 'b']);
  assert.equal(zeta?.last_written, '2022-06-18T04:26:40.0000000Z');
});

void test('regf: a subkey list that points back at the root is an error on that key, and the walk ends', () => {
  const h = buildHive(tree);
  // Make \Zeta's (empty) subkey list be the root's list: \Zeta "contains" \Microsoft and \Zeta.
  const rootList = h.buf.readUInt32LE(4096 + (h.keys.get('\\') ?? 0) + 4 + 28);
  pokeKey(h, '\\Zeta', 20, 2);
  pokeKey(h, '\\Zeta', 28, rootList);
  const keys = keysOf(h.buf);
  assert.equal(keys.length, 6);
  assert.match(keys[5]?.errors?.join(' ') ?? '', /already read elsewhere in the tree/);
});

void test('regf: offsets outside the hive and absurd counts are errors on the key, never a crash', () => {
  const h = buildHive(tree);
  pokeKey(h, '\\Zeta', 40, 0x7ffffff8); // value list far outside
  pokeKey(h, '\\Microsoft', 28, 0x10); // subkey list inside the hbin header
  const keys = keysOf(h.buf);
  assert.deepEqual(keys.map((k) => k.path), ['\\', '\\Microsoft', '\\Zeta']);
  assert.match(keys[1]?.errors?.[0] ?? '', /outside the hive bins data/);
  assert.match(keys[2]?.errors?.[0] ?? '', /outside the hive bins data/);
  const h2 = buildHive(tree);
  pokeKey(h2, '\\Zeta', 36, 0xffffffff); // four billion values declared
  const z = keysOf(h2.buf)[5];
  assert.equal(z?.values.length, 3);
  assert.match(z?.errors?.[0] ?? '', /4294967295 values declared, room for/);
});

void test('regf: a truncated hive reads what it holds; a file that is not a hive is refused with a code', () => {
  const h = buildHive(tree);
  const cut = h.buf.subarray(0, 4096 + 200);
  assert.throws(() => keysOf(cut), (e: unknown) => e instanceof RegfError && e.code === 'REGF-BAD-CELL');
  assert.throws(() => keysOf(Buffer.from('not a hive at all')), (e: unknown) => e instanceof RegfError && e.code === 'REGF-TRUNCATED');
  assert.throws(() => keysOf(Buffer.alloc(4096)), (e: unknown) => e instanceof RegfError && e.code === 'REGF-SIGNATURE');
});

void test('regf: keys nested deeper than the limit stop with an error, in linear time', () => {
  let deep: KeySpec = { name: 'leaf' };
  for (let i = 0; i < 600; i++) deep = { name: `k${i}`, children: [deep] };
  const keys = keysOf(buildHive({ name: 'ROOT', children: [deep] }).buf);
  assert.equal(keys.length, 513);
  assert.match(keys[512]?.errors?.[0] ?? '', /deeper than 512 levels/);
});

void test('regf: a dirty hive without logs is read as it is on disk and says so', () => {
  const { recovery } = openHiveBuffer(buildHive(tree, { sequence: [8, 7] }).buf, 'test', []);
  assert.equal(recovery.dirty, true);
  assert.match(recovery.problems[0] ?? '', /dirty .* no transaction log/);
});

void test('marvin32: published test vectors', () => {
  // Vectors of Microsoft's Marvin32 (seed 0x004fb61a001bdbcc).
  assert.equal(marvin32(Uint8Array.from([0xaf]), 0x004fb61a001bdbccn), 0x48e73fc77d75ddc1n);
  assert.equal(marvin32(Uint8Array.from([0xe7, 0x0f]), 0x004fb61a001bdbccn), 0xb5f6e1fc485dbff8n);
});
