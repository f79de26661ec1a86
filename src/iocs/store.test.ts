import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFeed, iocDir, listFeeds, removeFeed, StoreError } from './store.js';
import { FeedError } from './types.js';

const FIX = join(import.meta.dirname, '../../test/fixtures/iocs');

function home(): string {
  return join(mkdtempSync(join(tmpdir(), 'exhunt-iocstore-')), 'home');
}

test('import keeps provenance, counts per type and TLP; the folder is owner-only', async () => {
  const h = home();
  const f = await importFeed(h, join(FIX, 'mstic.csv'), { now: new Date('2026-11-27T10:00:00Z') });
  assert.equal(f.meta.name, 'mstic');
  assert.equal(f.meta.file, 'mstic.csv');
  assert.match(f.meta.sha256, /^[0-9a-f]{64}$/);
  assert.equal(f.meta.importedAt, '2026-11-27T10:00:00.000Z');
  assert.deepEqual(f.meta.counts, { sha256: 1, path: 2 });
  assert.deepEqual(f.meta.tlp, ['clear']);
  assert.equal(f.meta.expires, null);
  assert.equal(statSync(iocDir(h)).mode & 0o777, 0o700);
  assert.equal(statSync(join(iocDir(h), `${f.meta.id}.json`)).mode & 0o777, 0o600);
  const { feeds, errors } = await listFeeds(h);
  assert.equal(errors.length, 0);
  assert.deepEqual(feeds.map((x) => x.meta.id), [f.meta.id]);
  rmSync(join(h, '..'), { recursive: true, force: true });
});

test('the same feed twice, or a second feed under a taken name, is refused', async () => {
  const h = home();
  await importFeed(h, join(FIX, 'mstic.csv'));
  await assert.rejects(importFeed(h, join(FIX, 'mstic.csv'), { name: 'again' }), (e) => e instanceof StoreError && /already imported/.test(e.message));
  await assert.rejects(importFeed(h, join(FIX, 'plain.txt'), { name: 'mstic' }), /a feed named "mstic" is already imported/);
  await importFeed(h, join(FIX, 'plain.txt'), { name: 'list' });
  assert.equal((await listFeeds(h)).feeds.length, 2);
  rmSync(join(h, '..'), { recursive: true, force: true });
});

test('a malformed feed imports nothing: no file, no temp file left', async () => {
  const h = home();
  await importFeed(h, join(FIX, 'mstic.csv'));
  const before = readdirSync(iocDir(h));
  for (const bad of ['malformed-quote.csv', 'bad-hash.csv', 'malformed.json', 'stix-bad-pattern.json']) {
    await assert.rejects(importFeed(h, join(FIX, bad)), FeedError);
  }
  assert.deepEqual(readdirSync(iocDir(h)), before);
  rmSync(join(h, '..'), { recursive: true, force: true });
});

test('STIX expiry is kept: the latest valid_until when all expire', async () => {
  const h = home();
  const f = await importFeed(h, join(FIX, 'stix-bundle.json'));
  assert.equal(f.meta.expires, null, 'some indicators never expire');
  assert.equal(f.meta.unsupported, 3);
  assert.deepEqual(f.meta.tlp, ['amber', 'green', 'red']);
  rmSync(join(h, '..'), { recursive: true, force: true });
});

test('remove by name or by id', async () => {
  const h = home();
  const a = await importFeed(h, join(FIX, 'mstic.csv'));
  const b = await importFeed(h, join(FIX, 'misp-event.json'));
  assert.equal((await removeFeed(h, 'mstic')).id, a.meta.id);
  assert.equal((await removeFeed(h, b.meta.id)).name, 'misp-event');
  assert.equal((await listFeeds(h)).feeds.length, 0);
  await assert.rejects(removeFeed(h, 'mstic'), /no imported feed/);
  rmSync(join(h, '..'), { recursive: true, force: true });
});
