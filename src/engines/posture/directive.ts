/** Emergency-directive view: is a build compliant with a requirement defined in content/kb/directives.yaml? */
import { compareBuilds } from './build.js';
import { updateCves, type KbIndex } from './kb-index.js';
import { openCvesOf } from './open-cves.js';
import { resolveBuild } from './resolve.js';
import type { KbDirective } from './types.js';

export interface DirectiveResult {
  readonly id: string;
  readonly name: string;
  readonly compliant: boolean | null;
  readonly deadline: string;
  readonly pastDeadline: boolean;
  readonly reason: string;
  readonly source: string;
}

export function findDirective(idx: KbIndex, id: string): KbDirective | null {
  const want = id.toLowerCase();
  return idx.bundle.directives?.find((d) => d.id.toLowerCase() === want) ?? null;
}

/**
 * Compliant when the build includes the required update: no CVE of that update is still open
 * (code fix) on it. A build the KB cannot judge is "unknown" (null), never compliant.
 */
export function evaluateDirective(idx: KbIndex, d: KbDirective, build: string, asOf: string): DirectiveResult {
  const base = { id: d.id, name: d.name, deadline: d.deadline, pastDeadline: asOf > d.deadline, source: idx.bundle.meta.sources[d.source] ?? d.source };
  const r = resolveBuild(idx, build);
  const pid = r.product?.id;
  if (pid === undefined || r.asBuild === null || r.status !== 'known' && r.status !== 'between') {
    return { ...base, compliant: null, reason: `build ${r.build ?? build} cannot be judged (${r.status}); treat as not compliant until the build is confirmed` };
  }
  if (d.requires.products !== undefined && !d.requires.products.includes(pid)) {
    return { ...base, compliant: true, reason: `${r.product?.name ?? pid} is not in scope of ${d.id}` };
  }
  if (d.requires.disconnectProducts?.includes(pid) === true) {
    return { ...base, compliant: false, reason: `${r.product?.name ?? pid} cannot receive ${d.requires.minUpdate}: ${d.id} requires such servers to be disconnected by ${d.deadline}` };
  }
  const u = idx.updates.get(d.requires.minUpdate);
  if (u === undefined) return { ...base, compliant: null, reason: `the knowledge base has no update ${d.requires.minUpdate}` };
  const needed = new Set(updateCves(u, pid));
  const open = openCvesOf(idx, pid, r.asBuild.entry.cu, r.asBuild.num).open.filter((c) => needed.has(c));
  const sameCu = (idx.builds.get(pid) ?? []).find((b) => b.entry.update === u.id && b.entry.cu === r.asBuild?.entry.cu);
  const target = sameCu !== undefined && compareBuilds(r.asBuild.num, sameCu.num) < 0 ? ` (install ${sameCu.entry.build} or later)` : '';
  if (open.length === 0) {
    const config = [...needed].map((c) => idx.cves.get(c)?.needsConfiguration).filter((x): x is string => x !== undefined);
    const also = config.length > 0 ? `; also required: ${[...new Set(config)].join(' ')}` : '';
    return { ...base, compliant: true, reason: `build ${r.build ?? ''} includes ${u.id} (${d.requires.minUpdate} or later required by ${d.deadline})${also}` };
  }
  return {
    ...base,
    compliant: false,
    reason: `build ${r.build ?? ''} lacks ${u.id}${target}: ${open.length} of its CVEs are open (${open.slice(0, 6).join(', ')}${open.length > 6 ? ', …' : ''}); required by ${d.deadline}`,
  };
}
