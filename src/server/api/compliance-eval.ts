/**
 * Compliance of every server with one directive, as of a date: build directives through the
 * posture engine (evaluateDirective on the server's newest build), hunt directives from when
 * the newest hunt report arrived. Status `compliant`, `not_compliant` or `unknown`, with the
 * reason and the days left (negative once late). Pages through the store: never all at once;
 * the dashboard keeps only the shown page of rows (evaluateCompliancePage).
 */
import { evaluateDirective } from '../../engines/posture/directive.js';
import type { FleetStore, ServerSummary } from '../store/types.js';
import type { DirectiveCatalog, DirectiveInfo, FleetDirective, Directive } from './directives.js';

export type ComplianceStatus = 'compliant' | 'not_compliant' | 'unknown';

export interface ServerCompliance {
  readonly server: string;
  readonly serverId: string;
  readonly status: ComplianceStatus;
  readonly reason: string;
  readonly daysLeft: number | null;
  readonly build: string | null;
  readonly lastReportAt: string | null;
}

export interface ComplianceResult {
  readonly directive: DirectiveInfo;
  readonly asOf: string;
  readonly deadline: string | null;
  readonly daysLeft: number | null;
  readonly counts: { readonly compliant: number; readonly notCompliant: number; readonly unknown: number };
  readonly servers: readonly ServerCompliance[];
}

const DAY_MS = 86_400_000;
const PAGE = 500;

/** Whole days from `from` to `to` (YYYY-MM-DD or ISO times; dates compared as UTC days). */
export function daysBetween(from: string, to: string): number {
  const day = (s: string): number => Math.floor(Date.parse(`${s.slice(0, 10)}T00:00:00Z`) / DAY_MS);
  return day(to) - day(from);
}

/** When the newest hunt (not a remote fingerprint) of a server arrived, or null. */
async function lastHuntAt(store: FleetStore, s: ServerSummary): Promise<string | null> {
  if (s.lastReportAt === null) return null;
  if (s.lastSource !== 'fingerprint') return s.lastReportAt;
  const recent = await store.reportsOf(s.id, 50, 0);
  return recent.items.find((r) => r.source !== 'fingerprint')?.receivedAt ?? null;
}

type Verdict = Pick<ServerCompliance, 'status' | 'reason' | 'daysLeft'>;

async function huntVerdict(store: FleetStore, d: FleetDirective, s: ServerSummary, asOf: string): Promise<Verdict> {
  const at = await lastHuntAt(store, s);
  if (d.maxAgeDays !== undefined) {
    if (at === null) return { status: 'not_compliant', reason: 'no hunt report received from this server', daysLeft: null };
    const age = daysBetween(at, asOf);
    const left = d.maxAgeDays - age;
    return left >= 0
      ? { status: 'compliant', reason: `last hunt reported ${at.slice(0, 10)} (${age} days ago; at most ${d.maxAgeDays} allowed)`, daysLeft: left }
      : { status: 'not_compliant', reason: `last hunt reported ${at.slice(0, 10)}, ${age} days ago: older than ${d.maxAgeDays} days`, daysLeft: left };
  }
  const deadline = d.deadline ?? asOf;
  const left = daysBetween(asOf, deadline);
  if (at === null || (d.since !== undefined && at.slice(0, 10) < d.since)) {
    const why = at === null ? 'no hunt report received from this server' : `last hunt reported ${at.slice(0, 10)}, before ${d.since ?? ''}`;
    return { status: 'not_compliant', reason: `${why}; due by ${deadline}`, daysLeft: left };
  }
  const late = at.slice(0, 10) > deadline ? `, after the deadline ${deadline}` : '';
  return { status: 'compliant', reason: `hunt reported ${at.slice(0, 10)}${late}`, daysLeft: left };
}

function buildVerdict(cat: DirectiveCatalog, d: Extract<Directive, { kind: 'build' }>['d'], s: ServerSummary, asOf: string): Verdict {
  const daysLeft = daysBetween(asOf, d.deadline);
  if (s.build === null) return { status: 'unknown', reason: 'no build known for this server (no report with a posture yet)', daysLeft };
  const r = evaluateDirective(cat.kb, d, s.build, asOf);
  return { status: r.compliant === null ? 'unknown' : r.compliant ? 'compliant' : 'not_compliant', reason: r.reason, daysLeft };
}

/**
 * Judges servers one at a time. Build verdicts depend only on the build, so they are kept per
 * build (a fleet has few distinct builds): make one evaluator per request, not per app.
 */
export type ServerEvaluator = (s: ServerSummary) => Promise<ServerCompliance>;

export function serverEvaluator(store: FleetStore, cat: DirectiveCatalog, directive: Directive, asOf: string): ServerEvaluator {
  const byBuild = new Map<string | null, Verdict>();
  return async (s) => {
    let v: Verdict;
    if (directive.kind === 'build') {
      const known = byBuild.get(s.build);
      v = known ?? buildVerdict(cat, directive.d, s, asOf);
      if (known === undefined) byBuild.set(s.build, v);
    } else {
      v = await huntVerdict(store, directive.d, s, asOf);
    }
    return { server: s.name, serverId: s.id, build: s.build, lastReportAt: s.lastReportAt, ...v };
  };
}

/** Evaluates one server against `directive` (for many servers, reuse one serverEvaluator). */
export function evaluateServer(store: FleetStore, cat: DirectiveCatalog, directive: Directive, s: ServerSummary, asOf: string): Promise<ServerCompliance> {
  return serverEvaluator(store, cat, directive, asOf)(s);
}

function tally(counts: { compliant: number; notCompliant: number; unknown: number }, status: ComplianceStatus): void {
  if (status === 'compliant') counts.compliant += 1;
  else if (status === 'not_compliant') counts.notCompliant += 1;
  else counts.unknown += 1;
}

/** Calls `each` for every server of the fleet in name order, a store page at a time. */
async function forEachServer(store: FleetStore, each: (s: ServerSummary) => Promise<void>): Promise<void> {
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listServers({ sort: 'name', limit: PAGE, offset });
    for (const s of page.items) await each(s);
    if (page.items.length < PAGE || offset + PAGE >= page.total) break;
  }
}

/** The header of a result: the directive, its deadline and the days left as of `asOf`. */
function resultHead(cat: DirectiveCatalog, directive: Directive, asOf: string): Omit<ComplianceResult, 'counts' | 'servers'> {
  const info = cat.info(directive);
  return { directive: info, asOf, deadline: info.deadline, daysLeft: info.deadline !== null ? daysBetween(asOf, info.deadline) : null };
}

/** Evaluates `directive` for every server of the fleet, sorted by server name (the export). */
export async function evaluateCompliance(store: FleetStore, cat: DirectiveCatalog, directive: Directive, asOf: string): Promise<ComplianceResult> {
  const servers: ServerCompliance[] = [];
  const counts = { compliant: 0, notCompliant: 0, unknown: 0 };
  const judge = serverEvaluator(store, cat, directive, asOf);
  await forEachServer(store, async (s) => {
    const row = await judge(s);
    tally(counts, row.status);
    servers.push(row);
  });
  return { ...resultHead(cat, directive, asOf), counts, servers };
}

/**
 * One page of the evaluation (servers by name, `offset`, `limit`) with `total` servers and the
 * fleet-wide counts. The counts still judge every server (a status is not a column the store
 * can count), but only the page's rows are kept, and build verdicts are computed once per
 * distinct build.
 */
export async function evaluateCompliancePage(
  store: FleetStore, cat: DirectiveCatalog, directive: Directive, asOf: string, page: { readonly limit: number; readonly offset: number },
): Promise<ComplianceResult & { readonly total: number }> {
  const judge = serverEvaluator(store, cat, directive, asOf);
  const counts = { compliant: 0, notCompliant: 0, unknown: 0 };
  const servers: ServerCompliance[] = [];
  let index = 0;
  await forEachServer(store, async (s) => {
    const row = await judge(s);
    tally(counts, row.status);
    if (index >= page.offset && index < page.offset + page.limit) servers.push(row);
    index += 1;
  });
  return { ...resultHead(cat, directive, asOf), counts, servers, total: index };
}
