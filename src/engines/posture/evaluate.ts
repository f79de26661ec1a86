/**
 * evaluatePosture: one build → the report's `posture` object and its findings.
 * Builds the KB does not know exactly are never reported as patched (see resolve.ts).
 */
import type { BuildSource, Evidence, Finding, Posture } from '../../findings/types.js';
import { buildsOfCu, indexKb, updateCves, type IndexedBuild, type KbIndex } from './kb-index.js';
import { loadKb } from './kb-load.js';
import { cveOrder, openCvesOf, type OpenCves } from './open-cves.js';
import { resolveBuild, type Resolved } from './resolve.js';
import { fixPlan, supportStatus, type FixPlan, type SupportStatus } from './support.js';
import { cveDetail, exposureFinding, type CveDetail, type FindingContext } from './findings.js';

export interface EvaluateOptions {
  /** YYYY-MM-DD the support status is judged at. */
  readonly asOf: string;
  readonly source: BuildSource;
  /** Evidence path (with `/`) of the file the build came from, when it came from evidence. */
  readonly evidencePath?: string;
  /** KB to use (default: the KB in force, see kb-load.ts). */
  readonly kb?: KbIndex;
}

export interface PostureResult {
  readonly posture: Posture;
  readonly findings: Finding[];
  readonly resolved: Resolved;
}

interface CaseView {
  readonly build: string;
  readonly su: string | null;
  readonly openCves: readonly string[];
  readonly openCvesIfConfigured: readonly string[];
}

function caseOf(idx: KbIndex, pid: string, b: IndexedBuild): CaseView {
  const r = openCvesOf(idx, pid, b.entry.cu, b.num);
  return { build: b.entry.build, su: b.entry.update ?? null, openCves: r.open, openCvesIfConfigured: r.ifConfigured };
}

/** The open CVE sets that stand for the build: exact, nearest lower, or the worst case of a CU. */
function openFor(idx: KbIndex, r: Resolved): { open: OpenCves; best: CaseView | null; worst: CaseView | null } {
  const pid = r.product?.id ?? '';
  if (r.status === 'partial' && r.best !== null && r.worst !== null) {
    const best = caseOf(idx, pid, r.best);
    const worst = caseOf(idx, pid, r.worst);
    return { open: { open: worst.openCves, ifConfigured: worst.openCvesIfConfigured }, best, worst };
  }
  const stand = r.asBuild ?? r.nearest;
  if (stand === null || r.product === null) return { open: { open: [], ifConfigured: [] }, best: null, worst: null };
  return { open: openCvesOf(idx, pid, stand.entry.cu, stand.num), best: null, worst: null };
}

function evidenceOf(r: Resolved, opts: EvaluateOptions): Evidence {
  if (opts.evidencePath !== undefined) return { kind: 'file', path: opts.evidencePath, excerpt: r.input.slice(0, 64) };
  return { kind: 'remote', path: `build:${r.build ?? r.input.slice(0, 64)}` };
}

function lastUpdateDate(idx: KbIndex, pid: string): string | null {
  const list = idx.builds.get(pid) ?? [];
  return list.reduce<string | null>((m, b) => (m === null || b.entry.date > m ? b.entry.date : m), null);
}

/** Every CVE the KB has an update for on this product (what Microsoft published for it). */
function publishedCves(idx: KbIndex, pid: string): string[] {
  const all = new Set<string>();
  for (const u of idx.bundle.updates) if (u.products.includes(pid)) for (const c of updateCves(u, pid)) all.add(c);
  return [...all].sort(cveOrder);
}

function statusNote(r: Resolved): string | null {
  const near = r.nearest?.entry.build ?? null;
  switch (r.status) {
    case 'malformed': return `"${r.input.slice(0, 64)}" is not an Exchange build number`;
    case 'unknown-product': return `build ${r.build ?? ''} is not an Exchange version this knowledge base covers`;
    case 'newer': return `build ${r.build ?? ''} is newer than this knowledge base knows (nearest known: ${near ?? 'none'}); import a newer KB`;
    case 'between': return `build ${r.build ?? ''} is not listed in the knowledge base; judged as the nearest lower known build ${near ?? ''} (never better than it)`;
    case 'partial': return `only the CU is known (3-part build ${r.build ?? ''}); the SU is unknown: best and worst case shown`;
    default: return null;
  }
}

function fixedByOf(plan: FixPlan | null, open: OpenCves): Posture['fixedBy'] {
  if (plan === null || (open.open.length === 0 && open.ifConfigured.length === 0)) return null;
  return { ...plan };
}

/** The date of the last security fix the product (out of support) or the CU (no longer serviced) received. */
function noFixesSince(idx: KbIndex, r: Resolved, sup: SupportStatus | null): string | null {
  if (sup === null || sup.supported || r.product === null) return null;
  if (!sup.productSupported) return lastUpdateDate(idx, r.product.id);
  const cu = r.cu?.entry.cu;
  if (cu === undefined) return null;
  return buildsOfCu(idx, r.product.id, cu).reduce<string | null>((m, b) => (m === null || b.entry.date > m ? b.entry.date : m), null);
}

function cveDetails(idx: KbIndex, open: OpenCves): CveDetail[] {
  return [...open.open.map((id) => cveDetail(id, idx.cves.get(id), false)), ...open.ifConfigured.map((id) => cveDetail(id, idx.cves.get(id), true))];
}

/** At most one finding: the server's exposure item (see findings.ts). */
function buildFindings(r: Resolved, ctx: FindingContext, details: readonly CveDetail[], sup: SupportStatus | null, plan: FixPlan | null, since: string | null): Finding[] {
  const fix = plan === null ? 'no newer build known' : `${plan.cu}${plan.su !== null ? ` ${plan.su}` : ''} (${plan.build})`;
  const note = statusNote(r);
  const unjudged = r.status === 'newer' || r.status === 'malformed' || r.status === 'unknown-product' ? note : null;
  const unsupported = unjudged === null && sup !== null && !sup.supported && r.product !== null
    ? { product: r.product.name, reason: sup.reason, noFixesSince: since }
    : null;
  const f = exposureFinding(ctx, { build: r.build ?? r.input.slice(0, 64), unjudged, unsupported, fix, nearestKnownBuild: r.nearest?.entry.build ?? null }, unjudged === null ? details : []);
  return f === null ? [] : [f];
}

/** True for a CVE id (the report schema's pattern); false for an advisory id such as ADV190018. */
export function isCveId(id: string): boolean {
  return /^CVE-[0-9]{4}-[0-9]{4,}$/.test(id);
}

export function evaluatePosture(build: string, opts: EvaluateOptions): PostureResult {
  const idx = opts.kb ?? indexKb(loadKb().bundle);
  const r = resolveBuild(idx, build);
  const { open, best, worst } = openFor(idx, r);
  const cuName = r.cu?.entry.cu ?? null;
  const sup = r.product !== null && cuName !== null ? supportStatus(idx, r.product, cuName, opts.asOf) : null;
  const plan = r.product !== null && cuName !== null ? fixPlan(idx, r.product, cuName) : null;
  const ctx: FindingContext = { evidence: evidenceOf(r, opts), time: null };
  const known = r.status === 'known' || r.status === 'between' || r.status === 'partial';
  const details = known ? cveDetails(idx, open) : [];
  const since = noFixesSince(idx, r, sup);
  const posture: Posture = {
    build: r.build,
    product: r.product?.name ?? null,
    cu: cuName,
    su: r.status === 'known' ? (r.asBuild?.entry.update ?? null) : null,
    buildSource: opts.source,
    supported: sup?.supported ?? null,
    // The report contract holds CVE ids only; Microsoft advisories (ADV190018) are listed apart.
    openCves: known ? open.open.filter(isCveId) : [],
    openCvesIfConfigured: known ? open.ifConfigured.filter(isCveId) : [],
    openAdvisories: known ? [...open.open, ...open.ifConfigured].filter((c) => !isCveId(c)) : [],
    fixedBy: known ? fixedByOf(plan, open) : null,
    status: r.status,
    productId: r.product?.id ?? null,
    productName: r.product?.name ?? null,
    cuName,
    suName: r.status === 'known' ? (r.asBuild?.entry.update ?? 'none (CU release)') : null,
    buildDate: r.status === 'known' ? (r.asBuild?.entry.date ?? null) : null,
    supportEnds: sup?.supportEnds ?? r.product?.endOfSupport ?? null,
    supportReason: sup?.reason ?? null,
    esuUntil: r.product?.esuUntil ?? null,
    note: statusNote(r),
    nearestKnownBuild: r.nearest?.entry.build ?? null,
    bestCase: best,
    worstCase: worst,
    kbVersion: idx.bundle.meta.kbVersion,
    kbDate: idx.bundle.meta.kbDate,
    latestKnownUpdate: r.product !== null ? lastUpdateDate(idx, r.product.id) : null,
    publishedCves: sup !== null && !sup.productSupported && r.product !== null ? publishedCves(idx, r.product.id) : null,
    cveDetails: details,
    noFixesSince: since,
  };
  return { posture, findings: buildFindings(r, ctx, details, sup, plan, since), resolved: r };
}
