/**
 * `vault verify` and `vault list`: recompute the manifest's hash chain and every object's
 * hash; fold the entries into one row per quarantined file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_NAME } from './manifest.js';
import { listObjects, objectDigests } from './objects.js';
import type { QuarantinedEntry, VaultListItem } from './types.js';
import { Vault } from './vault.js';

export interface VerifyProblem {
  /** Manifest line (1-based), or null for a problem with an object alone. */
  readonly line: number | null;
  readonly message: string;
}

export interface VerifyResult {
  readonly vault: string;
  readonly entries: number;
  readonly objects: number;
  readonly problems: readonly VerifyProblem[];
  /** Not tampering by themselves, e.g. an object left by an interrupted run. */
  readonly warnings: readonly string[];
}

async function checkObjects(vaultAbs: string, quarantined: readonly { e: QuarantinedEntry; line: number }[]): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const checked = new Map<string, Awaited<ReturnType<typeof objectDigests>>>();
  for (const { e, line } of quarantined) {
    if (e.object !== `objects/${e.sha256}.gz`) {
      problems.push({ line, message: `entry ${e.id}: unexpected object name ${e.object}` });
      continue;
    }
    if (!checked.has(e.object)) checked.set(e.object, await objectDigests(vaultAbs, e.object));
    const d = checked.get(e.object);
    if (!d) problems.push({ line, message: `entry ${e.id}: object ${e.object} is missing or unreadable` });
    else if (d.sha256 !== e.sha256 || d.size !== e.size || d.md5 !== e.md5 || d.sha1 !== e.sha1) {
      problems.push({ line, message: `entry ${e.id}: object ${e.object} content does not match the entry's hashes` });
    }
  }
  return problems;
}

export async function verifyVault(dir: string): Promise<VerifyResult> {
  const abs = path.resolve(dir);
  const state = await Vault.readState(abs);
  const problems: VerifyProblem[] = state.problems.map((p) => ({ line: p.line, message: p.message }));
  const lines = state.completeBytes === 0 ? 0 : state.lineOf.length + state.problems.length;
  if (state.torn) {
    problems.push({ line: lines + 1, message: `${MANIFEST_NAME} ends with an incomplete line (an interrupted run; the next quarantine run repairs it)` });
  }
  const quarantined = state.entries.flatMap((e, i) => (e.type === 'quarantined' ? [{ e, line: state.lineOf[i] ?? 0 }] : []));
  problems.push(...(await checkObjects(abs, quarantined)));
  // Objects named by any line, valid or not: a line with a broken chain still explains its object.
  const raw = await readFile(path.join(abs, MANIFEST_NAME), 'utf8').catch(() => '');
  const referenced = new Set([...quarantined.map((q) => q.e.object), ...[...raw.matchAll(/"object":"(objects\/[0-9a-f]{64}\.gz)"/g)].map((m) => m[1] ?? '')]);
  const objects = await listObjects(abs);
  const warnings = objects
    .filter((o) => !referenced.has(o))
    .map((o) => `object ${o} has no manifest entry (left by an interrupted run, or its entry was removed)`);
  return { vault: abs, entries: state.entries.length, objects: objects.length, problems, warnings };
}

/** One row per quarantined file, with when it was restored (null while in the vault). */
export async function listVault(dir: string): Promise<VaultListItem[]> {
  const state = await Vault.readState(dir);
  const rows = new Map<string, { e: QuarantinedEntry; restoredAt: string | null }>();
  for (const e of state.entries) {
    if (e.type === 'quarantined') rows.set(e.id, { e, restoredAt: null });
    else if (e.type === 'restored') {
      const row = rows.get(e.id);
      if (row) row.restoredAt = e.restoredAt;
    }
  }
  return [...rows.values()].map(({ e, restoredAt }) => ({
    id: e.id, originalPath: e.originalPath.abs, evidencePath: e.originalPath.evidencePath, sha256: e.sha256, size: e.size,
    quarantinedAt: e.quarantinedAt, restoredAt, findingId: e.finding.id, ruleId: e.finding.ruleId,
  }));
}
