/**
 * Puts a quarantined file back: the exact bytes, mode and access/modification times, at its
 * original path (or the same evidence path below `--root`). Never overwrites a different file
 * that now occupies the path; the same content already there is a no-op. The new file is
 * written beside the target under a temporary name and hard-linked into place (which fails
 * when something appeared there meanwhile), then a `restored` entry is appended.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openEvidenceRoot, type EvidenceRoot } from '../evidence/index.js';
import type { CrashHook } from './crash-hook.js';
import { errCode, openNoFollow, syncDir } from './durable.js';
import { hashHandle } from './hashes.js';
import { objectIntact, writeObjectTo } from './objects.js';
import { evidenceSegments } from './plan.js';
import type { QuarantinedEntry, RestoredEntry } from './types.js';
import { activeEntries, VaultError, type Vault, type Who } from './vault.js';

export interface RestoreResult {
  readonly entry: QuarantinedEntry;
  readonly target: string;
  /** False when the same content was already at the path. */
  readonly written: boolean;
  /** False when the manifest already recorded the restore (nothing appended). */
  readonly recorded: boolean;
}

/** The quarantined entry whose id is `id` (or starts with it, when unique). */
export function findEntry(vault: Vault, id: string): QuarantinedEntry {
  const all = vault.entries.filter((e): e is QuarantinedEntry => e.type === 'quarantined');
  const exact = all.filter((e) => e.id === id);
  const hits = exact.length > 0 ? exact : id.length >= 4 ? all.filter((e) => e.id.startsWith(id)) : [];
  if (hits.length === 0) throw new VaultError(`no quarantined file with id ${id} in this vault`);
  if (new Set(hits.map((e) => e.id)).size > 1) throw new VaultError(`id ${id} is ambiguous: ${hits.map((e) => e.id).join(', ')}`);
  const last = hits[hits.length - 1];
  if (!last) throw new VaultError(`no quarantined file with id ${id} in this vault`);
  return last;
}

function targetPath(entry: QuarantinedEntry, root: EvidenceRoot | null): string {
  if (root === null) {
    if (!path.isAbsolute(entry.originalPath.abs)) throw new VaultError(`entry ${entry.id}: original path is not absolute`);
    return path.normalize(entry.originalPath.abs);
  }
  const segs = evidenceSegments(entry.originalPath.evidencePath);
  if ('reason' in segs) throw new VaultError(`entry ${entry.id}: ${segs.reason}`);
  return path.join(root.abs, ...segs.segments);
}

/** `abs`, or its nearest ancestor that exists. */
async function nearestExisting(abs: string): Promise<string> {
  let cur = abs;
  while (!(await fs.lstat(cur).then(() => true, () => false))) {
    const up = path.dirname(cur);
    if (up === cur) return cur;
    cur = up;
  }
  return cur;
}

/** sha256 of what occupies `abs` now: null when nothing; throws when it is not a regular file. */
async function occupant(abs: string): Promise<string | null> {
  let st;
  try {
    st = await fs.lstat(abs);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return null;
    throw e;
  }
  if (!st.isFile()) throw new VaultError(`refusing to restore: something that is not a regular file now occupies ${abs}`);
  const fh = await openNoFollow(abs);
  try {
    return (await hashHandle(fh)).sha256;
  } finally {
    await fh.close();
  }
}

/** Writes the object beside `target`, sets mode and times, links it into place. */
async function writeInPlace(vault: Vault, entry: QuarantinedEntry, target: string, hook: CrashHook, bound: EvidenceRoot | null): Promise<void> {
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  // Again now that the folders exist: one may have been swapped for a link meanwhile.
  await checkFolder(dir, bound);
  const tmp = path.join(dir, `.exhunt-restore-${entry.id}.tmp`);
  await fs.rm(tmp, { force: true });
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    await writeObjectTo(vault.abs, entry.object, fh);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.chmod(tmp, entry.times.mode & 0o7777);
  await fs.utimes(tmp, entry.times.atimeMs / 1000, entry.times.mtimeMs / 1000);
  hook.step('restore-written');
  try {
    await fs.link(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    if (errCode(e) === 'EEXIST') throw new VaultError(`refusing to restore: a file appeared at ${target} meanwhile`);
    throw e;
  }
  await fs.unlink(tmp);
  await syncDir(dir);
  hook.step('restore-linked');
}

/**
 * The root that bounds a restore: `--root`, else the root the file was quarantined from (when
 * it still opens), else null (the original path is then checked for links instead).
 */
async function boundingRoot(entry: QuarantinedEntry, root: EvidenceRoot | null): Promise<EvidenceRoot | null> {
  if (root !== null) return root;
  try {
    return await openEvidenceRoot(entry.originalPath.root);
  } catch {
    return null;
  }
}

/**
 * Refuses a target whose folder leaves `bound` through a link (as quarantine refuses a file
 * whose path does); with no root to compare with, refuses any link on the existing part of the path.
 */
async function checkFolder(dir: string, bound: EvidenceRoot | null): Promise<void> {
  const existing = await nearestExisting(dir);
  if (bound !== null) {
    if (!(await bound.contains(existing))) {
      throw new VaultError(`refusing to restore outside the evidence root (a folder on the path is a link pointing out): ${dir}`);
    }
    return;
  }
  const real = await fs.realpath(existing).catch(() => null);
  if (real !== path.resolve(existing)) {
    throw new VaultError(`refusing to restore: a folder on the path is a link (${existing}); give --root to restore below an evidence root`);
  }
}

export async function restoreFile(vault: Vault, id: string, root: EvidenceRoot | null, who: Who, hook: CrashHook): Promise<RestoreResult> {
  const entry = findEntry(vault, id);
  const target = targetPath(entry, root);
  const bound = await boundingRoot(entry, root);
  await checkFolder(path.dirname(target), bound);
  const active = activeEntries(vault.entries).some((e) => e.id === entry.id);
  const now = await occupant(target);
  if (now !== null && now !== entry.sha256) {
    throw new VaultError(`refusing to restore: a different file now occupies ${target} (sha256 ${now})`);
  }
  if (now === null) {
    if (!(await objectIntact(vault.abs, entry.object, entry.sha256))) {
      throw new VaultError(`vault object ${entry.object} is missing or does not match sha256 ${entry.sha256}`);
    }
    await writeInPlace(vault, entry, target, hook, bound);
  }
  if (!active && now !== null) return { entry, target, written: false, recorded: false };
  await vault.append<RestoredEntry>({ v: 1, type: 'restored', id: entry.id, restoredTo: target, written: now === null, restoredAt: new Date().toISOString(), ...who });
  return { entry, target, written: now === null, recorded: true };
}
