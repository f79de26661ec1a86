/**
 * Next steps for one server, from its report, in the order a responder should take them:
 * contain (mitigations), remove what was planted (quarantine, persistence), install the update,
 * reset what was exposed (credentials), review what was touched (mailboxes, accounts, logs),
 * verify. Pure: the report writers render the list (text summary, HTML, JSON).
 */
import { atLeast, type Finding, type Report } from '../findings/types.js';

export interface NextStep {
  /** 1-based position in the order given. */
  readonly order: number;
  readonly kind: 'mitigate' | 'quarantine' | 'persistence' | 'update' | 'credentials' | 'review-mailboxes' | 'review-access' | 'logs' | 'verify';
  readonly text: string;
  /** Evidence paths, finding ids, CVEs or addresses the step is about (raw: writers escape). */
  readonly items: readonly string[];
}

const MAX_ITEMS = 10;
const QUARANTINE_CATEGORIES = new Set(['webshell', 'artifact', 'persistence']);

function medium(f: Finding): boolean {
  return atLeast(f.severity, 'medium');
}

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)].slice(0, MAX_ITEMS);
}

function clientIps(fs: readonly Finding[]): string[] {
  return uniq(fs.flatMap((f) => {
    const agg = f.details.aggregated as { clientIp?: unknown } | undefined;
    return typeof agg?.clientIp === 'string' && /[0-9a-f]/i.test(agg.clientIp) ? [agg.clientIp] : [];
  }));
}

type Draft = Omit<NextStep, 'order'>;

function containAndRemove(report: Report, file: readonly Finding[], reportName: string): Draft[] {
  const out: Draft[] = [];
  const mit = report.findings.filter((f) => f.ruleId.startsWith('mitigation.') && medium(f));
  if (mit.length > 0) out.push({ kind: 'mitigate', text: 'Until the update is installed, add or fix the IIS URL Rewrite mitigation rules (see the mitigation findings for the exact rules)', items: uniq(mit.flatMap((f) => f.cves)) });
  const toQuarantine = file.filter((f) => QUARANTINE_CATEGORIES.has(f.category) && f.category !== 'persistence');
  if (toQuarantine.length > 0) {
    out.push({ kind: 'quarantine', text: `Quarantine the planted files into an evidence vault: exhunt quarantine ${reportName} --vault DIR (review the plan), then again with --apply`, items: uniq(toQuarantine.map((f) => f.evidence.path)) });
  }
  const persistence = report.findings.filter((f) => f.category === 'persistence' && medium(f));
  if (persistence.length > 0) out.push({ kind: 'persistence', text: 'Remove the persistence found (quarantine its files; unregister modules, agents, tasks, services; disable accounts it created)', items: uniq(persistence.map((f) => f.evidence.path)) });
  return out;
}

function updateStep(report: Report): Draft[] {
  const p = report.posture;
  if (!p || p.openCves.length === 0) return [];
  const fb = p.fixedBy;
  const target = [fb?.su ? `${fb.su}` : null, fb?.build ? `build ${fb.build}` : null].filter(Boolean).join(', ');
  const note = typeof fb?.note === 'string' ? ` ${fb.note}` : '';
  const text = `Install the security update that closes the open CVEs${target ? `: ${target}` : ''}${p.supported === false ? ' (this version is out of support)' : ''}.${note}`;
  return [{ kind: 'update', text, items: uniq([...p.openCves]) }];
}

function reviewSteps(report: Report, file: readonly Finding[]): Draft[] {
  const out: Draft[] = [];
  const exploited = report.findings.filter((f) => (f.category === 'exploitation' || f.category === 'webshell') && medium(f));
  const dump = file.some((f) => /lsass|dump/i.test(`${f.ruleId} ${f.title}`) && medium(f));
  if (dump || exploited.length > 0) {
    out.push({ kind: 'credentials', text: dump
      ? 'Treat the credentials of every account that signed in to this server as stolen (a credential dump was found): reset them, service accounts included'
      : 'Reset the credentials of administrators and service accounts used on this server (an exploited Exchange server exposes the credentials used on it)', items: [] });
  }
  const exfil = report.findings.filter((f) => f.category === 'exfiltration' && medium(f));
  if (exfil.length > 0) out.push({ kind: 'review-mailboxes', text: 'Review mailbox export requests and the mailboxes accessed; remove unknown export requests and files', items: uniq(exfil.map((f) => f.evidence.path)) });
  if (exploited.length > 0) {
    out.push({ kind: 'review-access', text: 'Review what the attacking addresses did (ECP/PowerShell cmdlets, role assignments, new accounts) and block them at the perimeter', items: clientIps(exploited) });
  }
  return out;
}

function logSteps(report: Report): Draft[] {
  const gaps = report.coverage.filter((c) => c.gaps.length > 0).map((c) => c.source);
  const earliest = report.coverage.map((c) => c.from).filter((x): x is string => x !== null).sort()[0] ?? null;
  const out: Draft[] = [];
  if (report.coverage.length === 0) out.push({ kind: 'logs', text: 'No logs were found in the evidence: collect the IIS and Exchange logs and scan again before concluding anything', items: [] });
  else if (gaps.length > 0 || earliest) {
    out.push({ kind: 'logs', text: `The logs reach back to ${earliest ?? 'an unknown date'}${gaps.length ? ' with gaps' : ''}: collect older logs (backups, SIEM) to cover the time since the first exposure`, items: uniq(gaps) });
  }
  out.push({ kind: 'verify', text: 'Scan again after clean-up and keep the vault verifiable: exhunt vault verify DIR', items: [] });
  return out;
}

/** The ordered next steps for the server a report describes. `reportName` is shown in commands. */
export function nextSteps(report: Report, reportName = 'REPORT.json'): NextStep[] {
  const file = report.findings.filter((f) => f.evidence.kind === 'file' && medium(f));
  const drafts = [...containAndRemove(report, file, reportName), ...updateStep(report), ...reviewSteps(report, file), ...logSteps(report)];
  return drafts.map((d, i) => ({ order: i + 1, ...d }));
}
