/**
 * computeVerdict: one report → its `verdict` (findings/types.ts): compromised? exposed? the
 * counts kept apart, short reasons pointing at findings, what the examination could not cover,
 * and the next steps in order. Pure: the same report and options give the same verdict, so
 * the CLI, the report writers and the fleet server compute it alike.
 */
import {
  findingClass,
  type CoverageGapEntry,
  type ExaminedPart,
  type Report,
  type Verdict,
} from '../findings/types.js';
import { nextSteps } from '../remediate/next-steps.js';
import { compromisePart } from './compromise.js';
import { exposurePart } from './exposure.js';

export interface VerdictOptions {
  /** The JSON report being written, when there is one (next steps name it), else null. */
  readonly jsonReport?: string | null;
}

const HUNT_PARTS: readonly ExaminedPart[] = ['logs', 'events', 'files'];
const DAY_MS = 24 * 3600 * 1000;
/** Discovery kinds whose absence limits the hunt (the build is the exposure's business). */
const HUNT_SOURCES = new Set(['exchange-install', 'iis-config', 'iis-logs', 'exchange-logs', 'evtx', 'web-folders', 'artifact-folders']);
const PART_LABEL: Readonly<Record<ExaminedPart, string>> = {
  posture: 'the build', persistence: 'persistence', logs: 'IIS and Exchange logs', events: 'event logs', files: 'files',
};

/**
 * The engines a report holds results of: its `examined` list, else inferred for reports made
 * before it existed (a scan has `discovery`; a remote or tree report without it is posture
 * only). null: a hunt whose engines cannot be told.
 */
export function examinedParts(report: Report): readonly ExaminedPart[] | null {
  if (report.examined !== undefined) return report.examined;
  if (report.discovery !== undefined) return ['posture', 'persistence', 'logs', 'events', 'files'];
  if (report.target.kind === 'paths') return null;
  const hunted = report.coverage.length > 0 || report.findings.some((f) => findingClass(f) === 'compromise');
  return hunted ? null : ['posture'];
}

function coverageGaps(report: Report, parts: readonly ExaminedPart[] | null): CoverageGapEntry[] {
  const hunted = parts === null || parts.some((p) => HUNT_PARTS.includes(p));
  if (!hunted) return [{ kind: 'no-hunt', text: 'no logs, event logs or files were examined (exposure only)', items: [] }];
  const out: CoverageGapEntry[] = [];
  if (parts !== null && report.discovery === undefined) {
    const skipped = HUNT_PARTS.filter((p) => !parts.includes(p));
    if (skipped.length > 0) out.push({ kind: 'not-examined', text: `not examined: ${skipped.map((p) => PART_LABEL[p]).join(', ')}`, items: [...skipped] });
  }
  for (const d of report.discovery ?? []) {
    if (!HUNT_SOURCES.has(d.kind)) continue;
    if (!d.found) out.push({ kind: 'not-found', text: d.note ?? `${d.label}: not found`, items: [d.kind] });
    else if (d.kind === 'exchange-logs' && d.note?.startsWith('not found') === true) out.push({ kind: 'partial', text: `${d.label}: ${d.note}`, items: [d.kind] });
  }
  const readsLogs = parts === null || parts.includes('logs') || parts.includes('events');
  if (readsLogs && report.coverage.length === 0) {
    out.push({ kind: 'no-logs', text: 'no IIS, Exchange or event log records were read: exploitation and what the attacker did cannot be judged', items: [] });
  }
  const long = report.coverage.filter((c) => c.gaps.some((g) => Date.parse(g.to) - Date.parse(g.from) > DAY_MS));
  if (long.length > 0) out.push({ kind: 'log-gap', text: `gaps of more than a day in: ${long.map((c) => c.source).join(', ')}`, items: long.map((c) => c.source) });
  const froms = report.coverage.map((c) => c.from).filter((x): x is string => x !== null).sort();
  const tos = report.coverage.map((c) => c.to).filter((x): x is string => x !== null).sort();
  const first = froms[0];
  const last = tos[tos.length - 1];
  if (first !== undefined && last !== undefined) {
    out.push({ kind: 'logs-span', text: `the logs cover ${first.slice(0, 10)} .. ${last.slice(0, 10)} only: earlier and later activity cannot be judged`, items: [] });
  }
  const notChecked = new Map<string, string>();
  for (const e of report.errors) if (e.notChecked !== undefined && !notChecked.has(e.notChecked)) notChecked.set(e.notChecked, e.message);
  for (const [what, why] of notChecked) out.push({ kind: 'not-checked', text: `not checked: ${what} (${why})`, items: [what] });
  if (report.errors.length > 0) {
    const n = report.errors.length;
    out.push({ kind: 'errors', text: `${n} ${n === 1 ? 'file or record' : 'files or records'} could not be examined (see errors)`, items: [] });
  }
  return out;
}

export function computeVerdict(report: Report, opts: VerdictOptions = {}): Verdict {
  const parts = examinedParts(report);
  const hunted = parts === null || parts.some((p) => HUNT_PARTS.includes(p));
  const c = compromisePart(report.findings, hunted);
  const e = exposurePart(report.posture, report.findings);
  const gaps = coverageGaps(report, parts);
  const gapReasons = gaps
    .filter((g) => g.kind !== 'logs-span')
    .map((g) => ({ about: 'coverage' as const, text: `Not covered: ${g.text}`, findings: [] }));
  const steps = nextSteps(report, {
    compromise: c.compromise,
    exposure: e.exposure,
    noFixesSince: e.noFixesSince,
    jsonReport: opts.jsonReport ?? null,
    gaps,
  });
  return {
    compromise: c.compromise,
    exposure: e.exposure,
    compromiseFindings: c.compromiseFindings,
    suspiciousFindings: c.suspiciousFindings,
    openCves: e.openCves,
    noFixesSince: e.noFixesSince,
    reasons: [...c.reasons, ...e.reasons, ...gapReasons],
    nextSteps: steps,
    coverageGaps: gaps,
  };
}

/** The report with its verdict (and the top-level `nextSteps`, the same list, kept for readers of it). */
export function withVerdict(report: Report, opts: VerdictOptions = {}): Report {
  const verdict = computeVerdict(report, opts);
  return { ...report, verdict, nextSteps: verdict.nextSteps };
}
