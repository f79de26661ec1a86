/**
 * `--directive ID` for `posture` and `scan`: judges the report's build against an emergency
 * directive of the knowledge base; the result goes into `posture.directive` (shown with the
 * verdict by the text and HTML reports) and, when not compliant, one high finding.
 */
import type { Finding, Report } from '../findings/types.js';
import { evaluateDirective, findDirective, type DirectiveResult } from '../engines/posture/directive.js';
import { buildNoteFinding } from '../engines/posture/findings.js';
import type { KbIndex } from '../engines/posture/kb-index.js';
import { UsageError } from './errors.js';

/** The directive of the KB named `id`; a usage error naming the known ones when there is none. */
export function directiveOf(kb: KbIndex, id: string, command: string): NonNullable<ReturnType<typeof findDirective>> {
  const d = findDirective(kb, id);
  if (d !== null) return d;
  const known = (kb.bundle.directives ?? []).map((x) => x.id).join(', ');
  throw new UsageError(`${command}: unknown directive ${id} (known: ${known || 'none'})`);
}

export function directiveFinding(d: DirectiveResult, evidencePath: string): Finding | null {
  if (d.compliant === true) return null;
  const f = buildNoteFinding({ evidence: { kind: 'remote', path: evidencePath }, time: null }, `posture.directive.${d.id}`,
    `${d.name}: ${d.compliant === null ? 'compliance unknown' : 'not compliant'} — ${d.reason}`, { directive: d });
  return { ...f, severity: 'high' };
}

/** The report with the directive judged on its build (a report without a build: compliance unknown). */
export function withDirective(kb: KbIndex, report: Report, id: string, command: string): Report {
  const d = directiveOf(kb, id, command);
  const p = report.posture;
  const build = p?.build ?? null;
  const result: DirectiveResult = build !== null
    ? evaluateDirective(kb, d, build, report.asOf)
    : { id: d.id, name: d.name, deadline: d.deadline, pastDeadline: report.asOf > d.deadline, source: kb.bundle.meta.sources[d.source] ?? d.source,
      compliant: null, reason: 'no Exchange build was found; treat as not compliant until the build is confirmed' };
  const where = report.findings.find((f) => f.details.kind === 'exposure')?.evidence.path ?? `build:${build ?? 'unknown'}`;
  const f = directiveFinding(result, where);
  const posture = p === null ? null : { ...p, directive: result };
  return { ...report, posture, findings: f === null ? report.findings : [...report.findings, f], ...(p === null ? { directive: result } : {}) };
}
