/**
 * Defanged objects of the vault: `objects/<sha256>.gz`, the file's bytes gzip-compressed, with
 * no original name or extension, so nothing in the vault can be served or run as it was.
 * Written to a temporary name, fsynced, renamed, folder fsynced, then re-read and verified.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { CrashHook } from './crash-hook.js';
import { errCode, syncDir } from './durable.js';
import { HashTap, type Digests } from './hashes.js';

export const OBJECTS_DIR = 'objects';
const TMP_PREFIX = '.tmp-';

export function objectRel(sha256: string): string {
  return `${OBJECTS_DIR}/${sha256}.gz`;
}

function objectAbs(vaultAbs: string, rel: string): string {
  return path.join(vaultAbs, ...rel.split('/'));
}

async function drain(src: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of src) void _;
}

/** Decompresses an object and hashes its content; null when it is missing or unreadable. */
export async function objectDigests(vaultAbs: string, rel: string): Promise<Digests | null> {
  const tap = new HashTap();
  try {
    await pipeline(createReadStream(objectAbs(vaultAbs, rel)), createGunzip(), tap, drain);
  } catch {
    return null;
  }
  return tap.digests();
}

/** True when the object exists and its decompressed content has this sha256. */
export async function objectIntact(vaultAbs: string, rel: string, sha256: string): Promise<boolean> {
  return (await objectDigests(vaultAbs, rel))?.sha256 === sha256;
}

/** Streams the decompressed content of an object to a file handle (used by restore). */
export async function writeObjectTo(vaultAbs: string, rel: string, out: FileHandle): Promise<void> {
  await pipeline(createReadStream(objectAbs(vaultAbs, rel)), createGunzip(), async (s: AsyncIterable<Buffer>) => {
    for await (const chunk of s) await out.write(chunk);
  });
}

export interface StoredObject extends Digests {
  readonly object: string;
  /** True when a verified object with this content was already in the vault. */
  readonly reused: boolean;
}

/**
 * Copies the file open as `src` into the vault, defanged, and verifies it. An existing object
 * with the same content (a re-run after a crash, the same file twice) is kept and reused.
 */
export async function storeObject(vaultAbs: string, src: FileHandle, hook: CrashHook): Promise<StoredObject> {
  const dir = path.join(vaultAbs, OBJECTS_DIR);
  const tmp = path.join(dir, `${TMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  const tap = new HashTap();
  await pipeline(src.createReadStream({ start: 0, autoClose: false }), tap, createGzip(), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
  const tmpFh = await fs.open(tmp, 'r');
  try {
    await tmpFh.sync();
  } finally {
    await tmpFh.close();
  }
  hook.step('object-written');
  const d = tap.digests();
  const rel = objectRel(d.sha256);
  let reused = false;
  if (await objectIntact(vaultAbs, rel, d.sha256)) {
    await fs.unlink(tmp);
    reused = true;
  } else {
    await fs.rename(tmp, objectAbs(vaultAbs, rel));
    await syncDir(dir);
    hook.step('object-renamed');
  }
  if (!(await objectIntact(vaultAbs, rel, d.sha256))) {
    throw new Error(`vault object ${rel} does not verify after writing (disk problem?)`);
  }
  hook.step('object-verified');
  return { ...d, object: rel, reused };
}

/** Removes temporary objects left by an interrupted run (call with the vault lock held). */
export async function removeStaleTemps(vaultAbs: string): Promise<number> {
  const dir = path.join(vaultAbs, OBJECTS_DIR);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return 0;
    throw e;
  }
  const stale = names.filter((n) => n.startsWith(TMP_PREFIX));
  for (const n of stale) await fs.unlink(path.join(dir, n));
  if (stale.length > 0) await syncDir(dir);
  return stale.length;
}

/** Names of the objects in the vault (vault-relative, `objects/<sha256>.gz`). */
export async function listObjects(vaultAbs: string): Promise<string[]> {
  try {
    const names = await fs.readdir(path.join(vaultAbs, OBJECTS_DIR));
    return names.filter((n) => !n.startsWith(TMP_PREFIX)).sort().map((n) => `${OBJECTS_DIR}/${n}`);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return [];
    throw e;
  }
}
