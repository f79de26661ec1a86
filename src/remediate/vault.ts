/**
 * A vault folder: `manifest.jsonl` (hash-chained entries), `objects/` (defanged copies) and a
 * `vault.lock` held while a run changes anything. Created with mode 0700. One Vault object per
 * run keeps the chain head in memory while it holds the lock.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CrashHook } from './crash-hook.js';
import { ensurePrivateDir, errCode, syncDir } from './durable.js';
import { sha256Hex } from './hashes.js';
import { appendLine, chainEntry, MANIFEST_NAME, readManifest, truncateTorn, type ManifestState } from './manifest.js';
import { OBJECTS_DIR, removeStaleTemps } from './objects.js';
import type { ManifestEntry, NoteEntry, QuarantinedEntry, RestoredEntry, UnchainedEntry } from './types.js';

const LOCK_NAME = 'vault.lock';

export class VaultError extends Error {
  override readonly name = 'VaultError';
}

export interface Who {
  readonly operator: string;
  readonly host: string;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/** Takes the vault lock; a lock left by a process that no longer runs (a crash) is taken over. */
async function takeLock(lockAbs: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await fs.open(lockAbs, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return;
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw e;
      const pid = Number((await fs.readFile(lockAbs, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new VaultError(`vault is in use by process ${pid} (${lockAbs})`);
      }
      await fs.rm(lockAbs, { force: true });
    }
  }
  throw new VaultError(`cannot take the vault lock ${lockAbs}`);
}

export class Vault {
  private state: ManifestState;

  private constructor(
    readonly abs: string,
    state: ManifestState,
    private readonly hook: CrashHook,
  ) {
    this.state = state;
  }

  get manifestAbs(): string {
    return path.join(this.abs, MANIFEST_NAME);
  }

  get entries(): readonly ManifestEntry[] {
    return this.state.entries;
  }

  /** Opens (creating when asked) and locks a vault for changes. Call `close()` when done. */
  static async openForWrite(dir: string, hook: CrashHook): Promise<Vault> {
    const abs = path.resolve(dir);
    const names = await fs.readdir(abs).catch(() => [] as string[]);
    if (names.length > 0 && !names.includes(MANIFEST_NAME) && !names.includes(OBJECTS_DIR)) {
      throw new VaultError(`${abs} is neither empty nor a vault: choose a new or empty folder for the vault`);
    }
    await ensurePrivateDir(abs);
    await ensurePrivateDir(path.join(abs, OBJECTS_DIR));
    await syncDir(path.dirname(abs)).catch(() => undefined);
    await takeLock(path.join(abs, LOCK_NAME));
    const state = await readManifest(path.join(abs, MANIFEST_NAME));
    if (state.problems.length > 0) {
      const p = state.problems[0];
      await fs.rm(path.join(abs, LOCK_NAME), { force: true });
      throw new VaultError(`vault manifest fails verification at line ${p?.line ?? 0}: ${p?.message ?? ''} (run exhunt vault verify)`);
    }
    await removeStaleTemps(abs);
    return new Vault(abs, state, hook);
  }

  /** Reads a vault without locking it (list, verify). Throws VaultError when it is not a vault. */
  static async readState(dir: string): Promise<ManifestState> {
    const abs = path.resolve(dir);
    const st = await fs.stat(abs).catch(() => null);
    if (!st?.isDirectory()) throw new VaultError(`not a vault folder: ${abs}`);
    const hasManifest = await fs.stat(path.join(abs, MANIFEST_NAME)).then(() => true, () => false);
    const hasObjects = await fs.stat(path.join(abs, OBJECTS_DIR)).then(() => true, () => false);
    if (!hasManifest && !hasObjects) throw new VaultError(`not a vault folder (no ${MANIFEST_NAME}): ${abs}`);
    return readManifest(path.join(abs, MANIFEST_NAME));
  }

  async close(): Promise<void> {
    await fs.rm(path.join(this.abs, LOCK_NAME), { force: true });
  }

  /** Repairs a last line torn by a crash: cuts it off and records a note. Returns the note text. */
  async repairTorn(who: Who): Promise<string | null> {
    const torn = this.state.torn;
    if (torn === null) return null;
    await truncateTorn(this.manifestAbs, this.state.completeBytes);
    const message = `repaired the manifest: removed an incomplete last line of ${torn.length} bytes left by an interrupted run`;
    this.state = { ...this.state, torn: null };
    await this.append<NoteEntry>({ v: 1, type: 'note', message, at: new Date().toISOString(), tornBytes: torn.length, tornSha256: sha256Hex(torn), ...who });
    return message;
  }

  async append<E extends ManifestEntry>(entry: UnchainedEntry<E>): Promise<E> {
    if (this.state.torn !== null) throw new VaultError('manifest has a torn last line; repair it first');
    const { entry: full, line } = chainEntry<E>(entry, this.state.head);
    await appendLine(this.manifestAbs, line, this.hook);
    const bytes = Buffer.byteLength(line) + 1;
    this.state = {
      ...this.state,
      entries: [...this.state.entries, full],
      lineOf: [...this.state.lineOf, this.state.entries.length === 0 ? 1 : (this.state.lineOf.at(-1) ?? 0) + 1],
      head: sha256Hex(line),
      completeBytes: this.state.completeBytes + bytes,
    };
    return full;
  }

  /** The quarantined entry for this content at this absolute path that has not been restored since. */
  activeEntry(sha256: string, abs: string): QuarantinedEntry | null {
    return activeEntries(this.state.entries).find((e) => e.sha256 === sha256 && e.originalPath.abs === abs) ?? null;
  }
}

/** Quarantined entries not followed by a `restored` entry of the same id. */
export function activeEntries(entries: readonly ManifestEntry[]): QuarantinedEntry[] {
  const restored = new Map<string, RestoredEntry>();
  const out = new Map<string, QuarantinedEntry>();
  for (const e of entries) {
    if (e.type === 'quarantined') {
      out.set(e.id, e);
      restored.delete(e.id);
    } else if (e.type === 'restored') {
      out.delete(e.id);
      restored.set(e.id, e);
    }
  }
  return [...out.values()];
}
