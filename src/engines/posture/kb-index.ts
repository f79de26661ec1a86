/** Indexes a KB bundle for lookups: product of a build, builds per product/CU, updates, CVEs. */
import { compareBuilds, mustParseBuild, type BuildNumber } from './build.js';
import type { KbBuild, KbBundle, KbCve, KbProduct, KbUpdate } from './types.js';

export interface IndexedBuild {
  readonly entry: KbBuild;
  readonly num: BuildNumber;
}

export interface KbIndex {
  readonly bundle: KbBundle;
  readonly products: readonly KbProduct[];
  /** Builds per product id, oldest first. */
  readonly builds: ReadonlyMap<string, readonly IndexedBuild[]>;
  readonly updates: ReadonlyMap<string, KbUpdate>;
  readonly cves: ReadonlyMap<string, KbCve>;
}

export function indexKb(bundle: KbBundle): KbIndex {
  const builds = new Map<string, IndexedBuild[]>();
  for (const [pid, list] of Object.entries(bundle.builds)) {
    const items = list.map((entry) => ({ entry, num: mustParseBuild(entry.build) }));
    items.sort((a, b) => compareBuilds(a.num, b.num));
    builds.set(pid, items);
  }
  return {
    bundle,
    products: bundle.products,
    builds,
    updates: new Map(bundle.updates.map((u) => [u.id, u])),
    cves: new Map(bundle.cves.map((c) => [c.id, c])),
  };
}

/** The product a build belongs to (major.minor match, highest minBuild not above the build). */
export function productOf(idx: KbIndex, b: BuildNumber): KbProduct | null {
  const version = `${b.major}.${b.minor}`;
  let best: KbProduct | null = null;
  for (const p of idx.products) {
    if (p.version !== version || p.minBuild > b.build) continue;
    if (best === null || p.minBuild > best.minBuild) best = p;
  }
  return best;
}

/** The CU (or SP) releases of a product, oldest first: builds without an update. */
export function cuReleases(idx: KbIndex, productId: string): IndexedBuild[] {
  return (idx.builds.get(productId) ?? []).filter((b) => b.entry.update === undefined);
}

/** The CU release a build belongs to: the newest CU release at or below it. */
export function cuOf(idx: KbIndex, productId: string, b: BuildNumber): IndexedBuild | null {
  let found: IndexedBuild | null = null;
  if (b.revision === null) {
    // 3-part build: the CU is the release with the same third part, else the newest below it.
    for (const r of cuReleases(idx, productId)) if (r.num.build <= b.build) found = r;
    return found;
  }
  for (const r of cuReleases(idx, productId)) {
    if (compareBuilds(r.num, { ...b, revision: b.revision ?? 0 }) <= 0) found = r;
    else if (r.num.build > b.build) break;
  }
  return found;
}

/** Every KB build of one CU of a product, oldest first. */
export function buildsOfCu(idx: KbIndex, productId: string, cu: string): IndexedBuild[] {
  return (idx.builds.get(productId) ?? []).filter((b) => b.entry.cu === cu);
}

/** The KB entry with exactly this 4-part build, if any. */
export function exactBuild(idx: KbIndex, productId: string, b: BuildNumber): IndexedBuild | null {
  return (idx.builds.get(productId) ?? []).find((x) => compareBuilds(x.num, b) === 0 && b.revision !== null) ?? null;
}

/** The CVEs an update fixes on one product. */
export function updateCves(u: KbUpdate, productId: string): readonly string[] {
  const only = u.onlyCvesFor?.[productId];
  if (only !== undefined) return only;
  return [...u.cves, ...(u.productCves?.[productId] ?? [])];
}
