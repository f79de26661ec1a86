/**
 * Carries out a quarantine plan, one file at a time, in an order that survives a crash at any
 * point: copy into the vault (defanged, fsynced, verified) → manifest entry (fsynced) → only
 * then remove the original (folder fsynced). A re-run finishes an interrupted job: a verified
 * object is reused, an existing entry is not appended twice.
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { EvidenceRoot } from '../evidence/index.js';
import type { CrashHook } from './crash-hook.js';
import { openNoFollow, syncDir } from './durable.js';
import { hashHandle, sha256Hex } from './hashes.js';
import { storeObject } from './objects.js';
import type { ApplyResult, FileTimes, Plan, PlanItem, QuarantinedEntry } from './types.js';
import type { Vault, Who } from './vault.js';

export interface ApplyContext {
  readonly vault: Vault;
  readonly root: EvidenceRoot;
  readonly who: Who;
  readonly hook: CrashHook;
}

function fileTimes(st: Stats): FileTimes {
  return {
    mtime: st.mtime.toISOString(), atime: st.atime.toISOString(), ctime: st.ctime.toISOString(),
    birthtime: st.birthtime.toISOString(), mtimeMs: st.mtimeMs, atimeMs: st.atimeMs, mode: st.mode,
  };
}

/** Current sha256 of the file at `abs` (no link followed), or null when it cannot be read. */
async function currentSha256(abs: string): Promise<string | null> {
  try {
    const fh = await openNoFollow(abs);
    try {
      return (await hashHandle(fh)).sha256;
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

/** Removes the original when it still holds exactly the quarantined content. */
async function removeOriginal(abs: string, sha256: string, hook: CrashHook): Promise<string | null> {
  const now = await currentSha256(abs);
  if (now === null) return 'the original could not be read again before removal; left in place';
  if (now !== sha256) return `the original changed after it was copied (now ${now}); left in place, re-scan`;
  await fs.unlink(abs);
  await syncDir(path.dirname(abs));
  hook.step('original-removed');
  return null;
}

async function quarantineOne(it: PlanItem, abs: string, ctx: ApplyContext): Promise<ApplyResult> {
  const fail = (message: string, id: string | null = null): ApplyResult => ({ evidencePath: it.evidencePath, outcome: 'failed', id, message });
  const fh = await openNoFollow(abs);
  let stored;
  let st: Stats;
  try {
    st = await fh.stat();
    if (!st.isFile()) return fail('not a regular file');
    stored = await storeObject(ctx.vault.abs, fh, ctx.hook);
  } finally {
    await fh.close();
  }
  if (stored.sha256 !== it.currentSha256) {
    // A new object no entry will reference: remove it (a reused one belongs to another entry).
    if (!stored.reused) await fs.rm(path.join(ctx.vault.abs, ...stored.object.split('/')), { force: true });
    return fail(`the file changed since the plan was made (now ${stored.sha256}); left in place, re-scan`);
  }
  let entry = ctx.vault.activeEntry(stored.sha256, abs);
  if (!entry) {
    const quarantinedAt = new Date().toISOString();
    entry = await ctx.vault.append<QuarantinedEntry>({
      v: 1, type: 'quarantined', id: sha256Hex(`${stored.sha256}\0${abs}\0${quarantinedAt}`).slice(0, 16),
      originalPath: { evidencePath: it.evidencePath, abs, root: ctx.root.abs, win: ctx.root.toWinPath(abs) },
      size: stored.size, md5: stored.md5, sha1: stored.sha1, sha256: stored.sha256, object: stored.object,
      times: fileTimes(st), finding: it.finding, findingIds: it.findingIds, forced: it.forced,
      reportSha256: it.reportSha256, quarantinedAt, ...ctx.who,
    });
  }
  const problem = await removeOriginal(abs, stored.sha256, ctx.hook);
  if (problem) return fail(`in the vault as ${entry.id}, but ${problem}`, entry.id);
  return { evidencePath: it.evidencePath, outcome: 'quarantined', id: entry.id, message: stored.reused ? 'same content was already in the vault' : null };
}

async function applyItem(it: PlanItem, ctx: ApplyContext): Promise<ApplyResult> {
  const base = { evidencePath: it.evidencePath };
  if (it.action === 'refuse' || it.abs === null) return { ...base, outcome: 'refused', id: null, message: it.reason };
  if (it.action === 'already-quarantined') return { ...base, outcome: 'already-quarantined', id: null, message: it.reason };
  if (it.action === 'remove-original') {
    const entry = it.currentSha256 ? ctx.vault.activeEntry(it.currentSha256, it.abs) : null;
    if (!entry) return { ...base, outcome: 'failed', id: null, message: 'vault entry not found any more' };
    const problem = await removeOriginal(it.abs, entry.sha256, ctx.hook);
    return problem ? { ...base, outcome: 'failed', id: entry.id, message: problem } : { ...base, outcome: 'removed-original', id: entry.id, message: null };
  }
  return quarantineOne(it, it.abs, ctx);
}

/** Applies every item; one file's failure is recorded and the others still run. */
export async function applyPlan(plan: Plan, ctx: ApplyContext): Promise<ApplyResult[]> {
  const out: ApplyResult[] = [];
  for (const it of plan.items) {
    try {
      out.push(await applyItem(it, ctx));
    } catch (e) {
      out.push({ evidencePath: it.evidencePath, outcome: 'failed', id: null, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
