/**
 * Durable file-system steps for the vault: fsync of files and folders, owner-only folders.
 * Folder fsync is not supported on Windows (untested there); it is skipped on that platform
 * only, never silently elsewhere.
 */
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** fsyncs a folder so that a rename, create or unlink inside it survives a crash. */
export async function syncDir(dirAbs: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await fs.open(dirAbs, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Creates `dirAbs` (and missing parents) with mode 0700; an existing folder is left as it is. */
export async function ensurePrivateDir(dirAbs: string): Promise<void> {
  await fs.mkdir(dirAbs, { recursive: true, mode: 0o700 });
}

export function errCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
}

export async function exists(abs: string): Promise<boolean> {
  try {
    await fs.lstat(abs);
    return true;
  } catch (e) {
    if (errCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Opens an evidence file for reading without following a final link and, where the platform
 * allows (Linux, as the file's owner), without updating its access time.
 */
export async function openNoFollow(abs: string): Promise<FileHandle> {
  const base = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);
  const noatime = (constants as { O_NOATIME?: number }).O_NOATIME ?? 0;
  if (noatime !== 0) {
    try {
      return await fs.open(abs, base | noatime);
    } catch (e) {
      if (errCode(e) !== 'EPERM') throw e;
    }
  }
  return fs.open(abs, base);
}
