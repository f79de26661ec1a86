/**
 * The quarantine plan: for each selected file, where it is on this machine and what to do
 * (quarantine, only remove the original of a file already in the vault, nothing, or refuse
 * and why). Refuses paths that leave the evidence root (`..`, absolute paths, links), files
 * whose hash differs from the report (unless forced), and a vault inside a web-exposed folder.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverSources, type EvidenceRoot } from '../evidence/index.js';
import type { Report } from '../findings/types.js';
import { errCode, openNoFollow } from './durable.js';
import { hashHandle, type Digests } from './hashes.js';
import { selectFindings, type FileGroup, type Selection } from './select.js';
import type { Plan, PlanItem, QuarantinedEntry } from './types.js';

export interface PlanOptions extends Selection {
  readonly force: boolean;
}

/** Quarantined entries not restored since (from the vault, when one exists). */
export type ActiveLookup = (sha256: string | null, abs: string) => QuarantinedEntry | null;

/** Segments of an evidence path, or a reason it cannot name a file below the root. */
export function evidenceSegments(evidencePath: string): { segments: string[] } | { reason: string } {
  if (evidencePath === '' || evidencePath.includes('\0')) return { reason: 'empty or invalid path' };
  if (/^[\\/]/.test(evidencePath) || /^[A-Za-z]:/.test(evidencePath)) return { reason: 'absolute path in the report (must be relative to the evidence root)' };
  const segments = evidencePath.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { reason: 'path climbs out of the evidence root (`..`)' };
  if (segments.length === 0) return { reason: 'empty path' };
  return { segments };
}

/** Opens a regular file without following a final link; null with a reason otherwise. */
async function openRegular(abs: string): Promise<{ digests: Digests } | { reason: string; missing?: boolean }> {
  let st;
  try {
    st = await fs.lstat(abs);
  } catch (e) {
    return errCode(e) === 'ENOENT' ? { reason: 'file no longer exists', missing: true } : { reason: `cannot read (${errCode(e) || String(e)})` };
  }
  if (st.isSymbolicLink()) return { reason: 'is a link (links are not quarantined: the target may lie outside the evidence)' };
  if (!st.isFile()) return { reason: 'not a regular file' };
  let fh;
  try {
    fh = await openNoFollow(abs);
  } catch (e) {
    return { reason: `cannot open (${errCode(e) || String(e)})` };
  }
  try {
    return { digests: await hashHandle(fh) };
  } finally {
    await fh.close();
  }
}

function item(g: FileGroup, abs: string | null, fields: Partial<PlanItem> & Pick<PlanItem, 'action'>): PlanItem {
  return {
    evidencePath: g.evidencePath, abs, reason: null, reportSha256: g.reportSha256, currentSha256: null, size: null,
    finding: g.finding, findingIds: g.findingIds, forced: false, ...fields,
  };
}

/** Decides what to do with one file of the report. */
export async function planFile(g: FileGroup, root: EvidenceRoot, opts: PlanOptions, active: ActiveLookup): Promise<PlanItem> {
  const segs = evidenceSegments(g.evidencePath);
  if ('reason' in segs) return item(g, null, { action: 'refuse', reason: segs.reason });
  const abs = path.join(root.abs, ...segs.segments);
  const opened = await openRegular(abs);
  if ('reason' in opened) {
    const done = opened.missing ? active(g.reportSha256, abs) : null;
    if (done) return item(g, abs, { action: 'already-quarantined', reason: `in the vault as ${done.id}`, currentSha256: done.sha256, size: done.size });
    return item(g, abs, { action: 'refuse', reason: opened.reason });
  }
  if (!(await root.contains(abs))) {
    return item(g, abs, { action: 'refuse', reason: 'outside the evidence root (a folder on its path is a link pointing out)' });
  }
  const d = opened.digests;
  const base = { currentSha256: d.sha256, size: d.size };
  let forced = false;
  if (g.reportSha256 !== d.sha256) {
    const why = g.reportSha256 === null ? 'the report gives no sha256 for this file' : `sha256 differs from the report (now ${d.sha256})`;
    if (!opts.force) return item(g, abs, { ...base, action: 'refuse', reason: `${why}; re-scan, or use --force` });
    forced = true;
  }
  const done = active(d.sha256, abs);
  if (done) return item(g, abs, { ...base, forced, action: 'remove-original', reason: `already in the vault as ${done.id}; the original is still in place` });
  return item(g, abs, { ...base, forced, action: 'quarantine', reason: forced ? 'hash differs from the report (--force)' : null });
}

/** Real path of `p`, or of its nearest existing ancestor joined with the rest. */
async function realish(p: string): Promise<string> {
  const abs = path.resolve(p);
  try {
    return await fs.realpath(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(await realish(parent), path.basename(abs));
  }
}

function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Null when the vault may live at `vaultDir`; else why not (inside a web-exposed folder). */
export async function vaultLocationProblem(vaultDir: string, root: EvidenceRoot): Promise<string | null> {
  const vaultReal = await realish(vaultDir);
  const sources = await discoverSources(root, { onError: () => undefined });
  for (const w of sources.webDirs) {
    const webReal = await realish(w.abs);
    if (inside(webReal, vaultReal) || inside(vaultReal, webReal)) {
      const where = w.virtualPath ? ` (served as ${w.virtualPath})` : '';
      return `the vault must not be inside or around a web-exposed folder: ${w.evidencePath}${where}`;
    }
  }
  return null;
}

export async function buildPlan(report: Report, root: EvidenceRoot, vaultDir: string, opts: PlanOptions, active: ActiveLookup): Promise<Plan> {
  const { groups, skipped } = selectFindings(report, opts);
  const items: PlanItem[] = [];
  for (const g of groups) items.push(await planFile(g, root, opts, active));
  return { root: root.abs, vault: path.resolve(vaultDir), items, skipped };
}
