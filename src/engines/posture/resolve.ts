/**
 * Resolves a build string against the KB: product, CU, SU, and which known build stands for it.
 * Unknown, malformed and newer-than-KB builds are never treated as patched: they resolve to a
 * status other than 'known' and the nearest known build is named.
 */
import { compareBuilds, formatBuild, parseBuild, type BuildNumber } from './build.js';
import { buildsOfCu, cuOf, exactBuild, productOf, type IndexedBuild, type KbIndex } from './kb-index.js';
import type { KbProduct } from './types.js';

export type BuildStatus =
  | 'known' // exact build in the KB
  | 'partial' // 3-part build: CU known, SU unknown
  | 'between' // a build not listed in the KB, inside the known range: judged as the nearest lower known build
  | 'newer' // newer than anything the KB knows for this product
  | 'unknown-product'
  | 'malformed';

export interface Resolved {
  readonly input: string;
  readonly status: BuildStatus;
  readonly num: BuildNumber | null;
  /** Normalised short form, when the input parsed. */
  readonly build: string | null;
  readonly product: KbProduct | null;
  readonly cu: IndexedBuild | null;
  /** The KB build this one is evaluated as (known: itself; between: nearest lower). */
  readonly asBuild: IndexedBuild | null;
  /** Best/worst case for a 3-part build: newest and oldest known build of the CU. */
  readonly best: IndexedBuild | null;
  readonly worst: IndexedBuild | null;
  /** The nearest known build (for unknown/newer builds). */
  readonly nearest: IndexedBuild | null;
}

const EMPTY = { product: null, cu: null, asBuild: null, best: null, worst: null, nearest: null } as const;

function nearestOf(list: readonly IndexedBuild[], b: BuildNumber): IndexedBuild | null {
  let best: IndexedBuild | null = null;
  for (const x of list) if (compareBuilds(x.num, b) <= 0) best = x;
  return best ?? list[0] ?? null;
}

function newestOf(list: readonly IndexedBuild[]): IndexedBuild | null {
  return list[list.length - 1] ?? null;
}

export function resolveBuild(idx: KbIndex, input: string): Resolved {
  const num = parseBuild(input);
  if (num === null) return { input, status: 'malformed', num: null, build: null, ...EMPTY };
  const build = formatBuild(num);
  const product = productOf(idx, num);
  if (product === null) return { input, status: 'unknown-product', num, build, ...EMPTY };
  const all = idx.builds.get(product.id) ?? [];
  const cu = cuOf(idx, product.id, num);
  const newest = newestOf(all);
  const base = { input, num, build, product, cu };
  if (cu === null) return { ...base, status: 'unknown-product', asBuild: null, best: null, worst: null, nearest: newest };
  const inCu = buildsOfCu(idx, product.id, cu.entry.cu);
  const aboveAll = newest !== null && compareBuilds({ ...num, revision: num.revision ?? 0 }, newest.num) > 0;
  if (aboveAll) return { ...base, status: 'newer', asBuild: null, best: null, worst: null, nearest: newest };
  if (num.revision === null) {
    const sameBase = inCu.filter((x) => x.num.build === num.build);
    if (sameBase.length > 0) {
      return { ...base, status: 'partial', asBuild: null, best: newestOf(sameBase), worst: sameBase[0] ?? null, nearest: null };
    }
  }
  const exact = exactBuild(idx, product.id, num);
  if (exact !== null) return { ...base, status: 'known', asBuild: exact, best: null, worst: null, nearest: exact };
  // Not listed: judged as the nearest lower known build (conservative: never better than it).
  const lower = nearestOf(all, { ...num, revision: num.revision ?? 0 });
  return { ...base, status: 'between', asBuild: lower, best: null, worst: null, nearest: lower };
}
