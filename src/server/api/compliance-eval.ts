/**
 * Compliance of every server with one directive, as of a date: build directives through the
 * posture engine (evaluateDirective on the server's newest build), hunt directives from when
 * the newest hunt report arrived. Status `compliant`, `not_compliant` or `unknown`, with the
 * reason and the days left (negative once late). Pages through the store: never all at once.
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

/** Evaluates `directive` for every server of the fleet, sorted by server name. */
export async function evaluateCompliance(store: FleetStore, cat: DirectiveCatalog, directive: Directive, asOf: string): Promise<ComplianceResult> {
  const servers: ServerCompliance[] = [];
  const counts = { compliant: 0, notCompliant: 0, unknown: 0 };
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listServers({ sort: 'name', limit: PAGE, offset });
    for (const s of page.items) {
      const v = directive.kind === 'build' ? buildVerdict(cat, directive.d, s, asOf) : await huntVerdict(store, directive.d, s, asOf);
      if (v.status === 'compliant') counts.compliant += 1;
      else if (v.status === 'not_compliant') counts.notCompliant += 1;
      else counts.unknown += 1;
      servers.push({ server: s.name, serverId: s.id, build: s.build, lastReportAt: s.lastReportAt, ...v });
    }
    if (page.items.length < PAGE || offset + PAGE >= page.total) break;
  }
  const info = cat.info(directive);
  return { directive: info, asOf, deadline: info.deadline, daysLeft: info.deadline !== null ? daysBetween(asOf, info.deadline) : null, counts, servers };
}
