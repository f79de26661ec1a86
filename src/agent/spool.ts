/**
 * The upload spool, `$EXHUNT_HOME/agent/spool/`: one report per file, named
 * `<UTC time>-<sha256 prefix>.json` so that name order is age order. The time uses `-` for
 * `:` (`2026-11-27T22-30-00.000Z`) because Windows file names cannot hold a colon. Files are
 * written temp + fsync + rename; a file leaves the spool only when the server stored it, or
 * into `rejected/` (with `<name>.error.json` beside it) when the server refused it for good.
 */
import { readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, syncDir, writeFileAtomic } from './durable-file.js';
import { sha256Hex } from './fleet-api.js';

const NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[0-9a-f]{16}\.json$/;

export interface SpoolEntry {
  readonly name: string;
  readonly path: string;
}

export function rejectedDir(spool: string): string {
  return join(spool, 'rejected');
}

export function spoolName(bytes: Buffer, now: Date): string {
  return `${now.toISOString().replace(/:/g, '-')}-${sha256Hex(bytes).slice(0, 16)}.json`;
}

/** Adds a report to the spool; returns its entry. */
export async function spoolReport(spool: string, bytes: Buffer, now: Date = new Date()): Promise<SpoolEntry> {
  await ensurePrivateDir(spool);
  const name = spoolName(bytes, now);
  const path = join(spool, name);
  await writeFileAtomic(path, bytes);
  return { name, path };
}

/** Spooled reports, oldest first (temp files and anything not named by spoolReport are left alone). */
export async function listSpool(spool: string): Promise<SpoolEntry[]> {
  let names: string[];
  try {
    names = await readdir(spool);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => NAME.test(n)).sort().map((name) => ({ name, path: join(spool, name) }));
}

export function readSpooled(e: SpoolEntry): Promise<Buffer> {
  return readFile(e.path);
}

/** The spool time of an entry (from its name) as ISO 8601. */
export function spooledAt(e: SpoolEntry): string {
  const m = /^(\d{4}-\d{2}-\d{2}T)(\d{2})-(\d{2})-(\d{2}\.\d{3}Z)/.exec(e.name);
  return m ? `${m[1] ?? ''}${m[2] ?? ''}:${m[3] ?? ''}:${m[4] ?? ''}` : '';
}

/** Moves a refused report into `rejected/` and writes the server's answer beside it. */
export async function rejectSpooled(spool: string, e: SpoolEntry, why: { status: number; error: string; answer: unknown }, now: Date = new Date()): Promise<string> {
  const dir = rejectedDir(spool);
  await ensurePrivateDir(dir);
  const note = { file: e.name, rejectedAt: now.toISOString(), status: why.status, error: why.error, answer: why.answer };
  await writeFileAtomic(join(dir, `${e.name}.error.json`), `${JSON.stringify(note, null, 2)}\n`);
  const dest = join(dir, e.name);
  await rename(e.path, dest);
  await syncDir(spool);
  return dest;
}

export interface SpoolStatus {
  readonly count: number;
  readonly bytes: number;
  readonly oldest: string | null;
  readonly rejected: number;
}

export async function spoolStatus(spool: string): Promise<SpoolStatus> {
  const list = await listSpool(spool);
  let bytes = 0;
  for (const e of list) bytes += (await stat(e.path).catch(() => ({ size: 0 }))).size;
  const rejected = (await listSpool(rejectedDir(spool))).length;
  return { count: list.length, bytes, oldest: list[0] !== undefined ? spooledAt(list[0]) : null, rejected };
}
