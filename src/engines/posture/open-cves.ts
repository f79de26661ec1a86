/**
 * Which CVEs of the KB are open on one known build. An update U closes its CVEs on build B of
 * product P when B is at or above U's build for B's CU (limited to `fixesOnly` where the KB says
 * so), or when B is at or above the highest build of U for P (a later CU includes U). A product
 * that received no build of U is not affected by U. A CVE listed by several updates stays open
 * until all of them are in. CVEs whose fix also needs a setting go to `ifConfigured` once the code
 * fix is installed.
 */
import { compareBuilds, type BuildNumber } from './build.js';
import { updateCves, type IndexedBuild, type KbIndex } from './kb-index.js';

export interface OpenCves {
  /** Code fix missing. */
  readonly open: readonly string[];
  /** Code fix installed, but closed only when the setting Microsoft names is in place. */
  readonly ifConfigured: readonly string[];
}

function updateBuilds(all: readonly IndexedBuild[], updateId: string): IndexedBuild[] {
  return all.filter((b) => b.entry.update === updateId || b.entry.alsoUpdate === updateId);
}

/** The CVEs of update `updateId` still open on build `b` (CU `cu`) of product `pid`. */
function openFromUpdate(idx: KbIndex, pid: string, cu: string, b: BuildNumber, updateId: string): string[] {
  const u = idx.updates.get(updateId);
  if (u === undefined || !u.products.includes(pid)) return [];
  const cves = updateCves(u, pid);
  if (cves.length === 0) return [];
  const ub = updateBuilds(idx.builds.get(pid) ?? [], updateId);
  if (ub.length === 0) return [];
  const highest = ub[ub.length - 1];
  if (highest !== undefined && compareBuilds(b, highest.num) >= 0) return [];
  const sameCu = ub.find((x) => x.entry.cu === cu);
  if (sameCu === undefined || compareBuilds(b, sameCu.num) < 0) return [...cves];
  const only = sameCu.entry.fixesOnly;
  return only === undefined ? [] : cves.filter((c) => !only.includes(c));
}

/** Open CVEs of a 4-part build `b` in CU `cu` of product `pid`, sorted by CVE id. */
export function openCvesOf(idx: KbIndex, pid: string, cu: string, b: BuildNumber): OpenCves {
  const open = new Set<string>();
  const fixedCode = new Set<string>();
  for (const u of idx.bundle.updates) {
    if (!u.products.includes(pid)) continue;
    const stillOpen = new Set(openFromUpdate(idx, pid, cu, b, u.id));
    for (const c of updateCves(u, pid)) (stillOpen.has(c) ? open : fixedCode).add(c);
  }
  const ifConfigured: string[] = [];
  for (const c of fixedCode) {
    if (open.has(c)) continue;
    if (idx.cves.get(c)?.needsConfiguration !== undefined) ifConfigured.push(c);
  }
  return { open: [...open].sort(cveOrder), ifConfigured: ifConfigured.sort(cveOrder) };
}

/** Orders CVE ids by year, then number. */
export function cveOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
