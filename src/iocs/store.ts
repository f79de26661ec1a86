/**
 * The local IOC store, `$EXHUNT_HOME/iocs/` (folder 0700, files 0600): one JSON file per
 * imported feed holding its provenance and its indicators. An import parses the whole feed
 * first and then writes one file (temp + rename), so it lands whole or not at all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { readFeed, type ReadFeedOptions } from './feed.js';
import { IOC_TYPES, type FeedFormat, type Indicator, type IocType, type Tlp, type Unsupported } from './types.js';

export interface FeedMeta {
  readonly id: string;
  readonly name: string;
  /** File name the feed was imported from. */
  readonly file: string;
  readonly sha256: string;
  readonly importedAt: string;
  readonly format: FeedFormat;
  /** TLP levels present among the indicators. */
  readonly tlp: readonly Tlp[];
  readonly counts: Readonly<Partial<Record<IocType, number>>>;
  /** The latest `validUntil` when every indicator has one; null when some never expire. */
  readonly expires: string | null;
  readonly unsupported: number;
}

export interface StoredFeed {
  readonly meta: FeedMeta;
  readonly indicators: readonly Indicator[];
  readonly unsupported: readonly Unsupported[];
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** The data folder ($EXHUNT_HOME, default ~/.exhunt). */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  const h = env.EXHUNT_HOME;
  return h !== undefined && h !== '' ? h : join(homedir(), '.exhunt');
}

export function iocDir(home: string): string {
  return join(home, 'iocs');
}

async function ensureDir(home: string): Promise<string> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const dir = iocDir(home);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

function summarize(indicators: readonly Indicator[]): Pick<FeedMeta, 'tlp' | 'counts' | 'expires'> {
  const counts: Partial<Record<IocType, number>> = {};
  const tlp = new Set<Tlp>();
  let expires: string | null = '';
  for (const i of indicators) {
    counts[i.type] = (counts[i.type] ?? 0) + 1;
    tlp.add(i.tlp);
    if (i.validUntil === undefined) expires = null;
    else if (expires !== null && i.validUntil > expires) expires = i.validUntil;
  }
  const ordered = Object.fromEntries(IOC_TYPES.filter((t) => counts[t] !== undefined).map((t) => [t, counts[t]]));
  return { tlp: [...tlp].sort(), counts: ordered, expires: expires === '' ? null : expires };
}

/** Every stored feed; a store file that cannot be read is reported in `errors`, not thrown. */
export async function listFeeds(home: string): Promise<{ feeds: StoredFeed[]; errors: { path: string; message: string }[] }> {
  const dir = iocDir(home);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { feeds: [], errors: [] };
    return { feeds: [], errors: [{ path: dir, message: `cannot read the IOC store: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  const feeds: StoredFeed[] = [];
  const errors: { path: string; message: string }[] = [];
  for (const n of names) {
    const path = join(dir, n);
    try {
      const f = JSON.parse(await readFile(path, 'utf8')) as StoredFeed;
      if (typeof f.meta?.id !== 'string' || !Array.isArray(f.indicators)) throw new Error('not a stored feed');
      feeds.push(f);
    } catch (e) {
      errors.push({ path, message: `unreadable stored feed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return { feeds: feeds.sort((a, b) => a.meta.name.localeCompare(b.meta.name)), errors };
}

/** Imports one feed file: all of it or, on any error, nothing. */
export async function importFeed(home: string, file: string, opts: ReadFeedOptions & { now?: Date } = {}): Promise<StoredFeed> {
  const loaded = await readFeed(file, opts);
  const sha256 = createHash('sha256').update(loaded.text).digest('hex');
  const id = sha256.slice(0, 12);
  const { feeds } = await listFeeds(home);
  const same = feeds.find((f) => f.meta.sha256 === sha256);
  if (same !== undefined) throw new StoreError(`${basename(file)} is already imported as "${same.meta.name}" (${same.meta.id})`);
  const clash = feeds.find((f) => f.meta.name === loaded.name);
  if (clash !== undefined) throw new StoreError(`a feed named "${loaded.name}" is already imported (${clash.meta.id}); remove it first or give --name`);
  if (loaded.indicators.length === 0) throw new StoreError(`${basename(file)} holds no indicator exhunt can apply (${loaded.unsupported.length} unsupported)`);
  const meta: FeedMeta = {
    id, name: loaded.name, file: basename(file), sha256, importedAt: (opts.now ?? new Date()).toISOString(),
    format: loaded.format, ...summarize(loaded.indicators), unsupported: loaded.unsupported.length,
  };
  const stored: StoredFeed = { meta, indicators: loaded.indicators, unsupported: loaded.unsupported };
  const dir = await ensureDir(home);
  const tmp = join(dir, `.tmp-${id}-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(tmp, `${JSON.stringify(stored)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(tmp, join(dir, `${id}.json`));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return stored;
}

/** Removes a feed by name or id; returns what was removed. */
export async function removeFeed(home: string, nameOrId: string): Promise<FeedMeta> {
  const { feeds } = await listFeeds(home);
  const hit = feeds.filter((f) => f.meta.id === nameOrId || f.meta.name === nameOrId);
  const first = hit[0];
  if (first === undefined) throw new StoreError(`no imported feed named or with id "${nameOrId}"`);
  if (hit.length > 1) throw new StoreError(`"${nameOrId}" names ${hit.length} feeds; remove by id`);
  await unlink(join(iocDir(home), `${first.meta.id}.json`));
  return first.meta;
}
