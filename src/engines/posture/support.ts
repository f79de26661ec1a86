/** Support status of a product and CU at a date, and what to install to close open CVEs. */
import { cuReleases, buildsOfCu, type IndexedBuild, type KbIndex } from './kb-index.js';
import { openCvesOf } from './open-cves.js';
import type { KbProduct } from './types.js';

export interface SupportStatus {
  readonly supported: boolean;
  readonly productSupported: boolean;
  readonly supportEnds: string | null;
  readonly reason: string;
}

/** Product in support at `asOf`, and the CU one of the serviced ones (N and N-1; SE: N only). */
export function supportStatus(idx: KbIndex, p: KbProduct, cu: string, asOf: string): SupportStatus {
  const ends = p.endOfSupport;
  if (ends !== null && asOf > ends) {
    return { supported: false, productSupported: false, supportEnds: ends, reason: `${p.name} support ended on ${ends}` };
  }
  const released = cuReleases(idx, p.id).filter((r) => r.entry.date <= asOf);
  const keep = p.endOfSupport === null ? 1 : 2;
  const current = released.slice(-keep).map((r) => r.entry.cu);
  if (!current.includes(cu)) {
    return {
      supported: false,
      productSupported: true,
      supportEnds: ends,
      reason: `${cu} is no longer a serviced CU on ${asOf} (serviced: ${current.join(', ') || 'none'})`,
    };
  }
  const until = ends === null ? 'while on the current CU' : `until ${ends}`;
  return { supported: true, productSupported: true, supportEnds: ends, reason: `${p.name} ${cu} is supported ${until}` };
}

export interface FixPlan {
  readonly su: string | null;
  readonly build: string;
  readonly cu: string;
  readonly latestCu: string;
  readonly latestCuBuild: string;
  readonly sameCu: boolean;
  readonly esuOnly: boolean;
  readonly note: string;
}

function newest(list: readonly IndexedBuild[]): IndexedBuild | null {
  return list[list.length - 1] ?? null;
}

/** The update to install: the newest build of the same CU when that closes everything, else the newest CU's newest build. */
export function fixPlan(idx: KbIndex, p: KbProduct, cu: string): FixPlan | null {
  const sameCu = newest(buildsOfCu(idx, p.id, cu));
  const latest = newest(idx.builds.get(p.id) ?? []);
  if (sameCu === null || latest === null) return null;
  const closesAll = openCvesOf(idx, p.id, cu, sameCu.num).open.length === 0;
  const target = closesAll ? sameCu : latest;
  const esuOnly = p.endOfSupport !== null && target.entry.date > p.endOfSupport;
  const notes: string[] = [];
  if (!closesAll) notes.push(`${cu} no longer receives security updates that close every CVE; move to ${latest.entry.cu} and its newest update`);
  if (esuOnly) notes.push(`this update is only available to Extended Security Update customers`);
  if (p.endOfSupport !== null) notes.push(`${p.name} is out of support after ${p.endOfSupport}: plan the move to Exchange Server SE`);
  return {
    su: target.entry.update ?? null,
    build: target.entry.build,
    cu: target.entry.cu,
    latestCu: latest.entry.cu,
    latestCuBuild: latest.entry.build,
    sameCu: closesAll,
    esuOnly,
    note: notes.join('; '),
  };
}
