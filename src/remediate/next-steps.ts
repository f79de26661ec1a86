/**
 * Next steps for one server, from its report and its verdict, in the order a responder should
 * take them. Compromised: contain (off the internet), preserve evidence (a JSON report, memory,
 * logs), remove what was planted (quarantine, persistence), close the way in (mitigations,
 * update), reset what was exposed (credentials), review what was touched, verify. Otherwise:
 * close the exposure, review attempts, fill coverage gaps, verify. Keyed on declared properties
 * only: category and its class, severity, confidence, ATT&CK ids, `details.kind`.
 * Pure: the report writers render the list (text, HTML, JSON).
 */
import { atLeast, type CompromiseVerdict, type ExposureVerdict, type Finding, type Report } from '../findings/types.js';
import { compromiseWeight, isCredentialDump } from '../verdict/compromise.js';
import { cveEntries } from '../verdict/exposure.js';

export interface NextStep {
  /** 1-based position in the order given. */
  readonly order: number;
  readonly kind:
    | 'contain' | 'preserve' | 'mitigate' | 'quarantine' | 'persistence' | 'update' | 'disconnect' | 'identify-build'
    | 'configure' | 'credentials' | 'review-mailboxes' | 'review-access' | 'review-attempts' | 'collect' | 'logs' | 'verify';
  readonly text: string;
  /** Evidence paths, finding ids, CVEs or addresses the step is about (raw: writers escape). */
  readonly items: readonly string[];
}

/** What the steps depend on besides the findings: the verdict's two answers and where the JSON report is. */
export interface StepContext {
  readonly compromise: CompromiseVerdict;
  readonly exposure: ExposureVerdict;
  readonly noFixesSince: string | null;
  /** The JSON report being written (scan --format json --output FILE), else null: a step says to write one. */
  readonly jsonReport: string | null;
  /** Coverage gaps of the verdict (kind, text) to turn into a collection step. */
  readonly gaps: readonly { readonly kind: string; readonly text: string }[];
}

const MAX_ITEMS = 10;
const PLANTED = new Set(['webshell', 'artifact']);

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)].slice(0, MAX_ITEMS);
}

function strong(f: Finding): boolean {
  return compromiseWeight(f) === 'compromise';
}

function clientIps(fs: readonly Finding[]): string[] {
  return uniq(fs.flatMap((f) => {
    const agg = f.details.aggregated as { clientIp?: unknown } | undefined;
    return typeof agg?.clientIp === 'string' && /[0-9a-f]/i.test(agg.clientIp) ? [agg.clientIp] : [];
  }));
}

/** A shell word: quoted when it holds anything a POSIX shell or cmd would split or expand. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:\\-]+$/.test(s) ? s : `"${s.replace(/["\\$`]/g, '\\$&')}"`;
}

function reportCommand(report: Report): string {
  const t = report.target;
  return t.kind === 'paths' ? `exhunt hunt files ${t.root}` : `exhunt scan ${shellWord(t.root)}`;
}

type Draft = Omit<NextStep, 'order'>;

function containment(report: Report, ctx: StepContext): Draft[] {
  const json = ctx.jsonReport ?? 'REPORT.json';
  const write = ctx.jsonReport === null
    ? `; and the full report as JSON, which the quarantine step needs: ${reportCommand(report)} --format json --output ${json}`
    : ` (the JSON report ${json} is part of it)`;
  return [
    { kind: 'contain', text: 'Contain first: take the server off the internet (block inbound HTTPS at the firewall or load balancer) but keep it running; do not reboot, reinstall or delete anything yet', items: [] },
    { kind: 'preserve', text: `Preserve evidence before changing anything: a memory image, the event logs, the IIS and Exchange logs, a copy of the web folders${write}`, items: [] },
  ];
}

function removal(report: Report, ctx: StepContext): Draft[] {
  const out: Draft[] = [];
  const planted = report.findings.filter((f) => PLANTED.has(f.category) && f.evidence.kind === 'file' && strong(f));
  const json = ctx.jsonReport ?? 'REPORT.json';
  if (planted.length > 0) {
    out.push({ kind: 'quarantine', text: `Quarantine the planted files into an evidence vault: exhunt quarantine ${json} --vault DIR (review the plan), then again with --apply`, items: uniq(planted.map((f) => f.evidence.path)) });
  }
  const persistence = report.findings.filter((f) => f.category === 'persistence' && strong(f));
  if (persistence.length > 0) out.push({ kind: 'persistence', text: 'Remove the persistence found (quarantine its files; unregister modules, agents, tasks, services; disable accounts it created)', items: uniq(persistence.map((f) => f.evidence.path)) });
  return out;
}

function mitigationStep(report: Report): Draft[] {
  const mit = report.findings.filter((f) => f.details.kind === 'mitigation' && atLeast(f.severity, 'medium'));
  if (mit.length === 0) return [];
  return [{ kind: 'mitigate', text: 'Until the update is installed, add or fix the IIS URL Rewrite mitigation rules (see the mitigation findings for the exact rules)', items: uniq(mit.flatMap((f) => f.cves)) }];
}

function exposureSteps(report: Report, ctx: StepContext): Draft[] {
  const p = report.posture;
  if (ctx.exposure === 'unknown') {
    const status = typeof p?.status === 'string' ? p.status : null;
    const text = status === 'newer'
      ? 'The build is newer than the knowledge base: import a current one (exhunt kb import FILE) and judge the build again'
      : p === null || p.build === null
        ? 'Find the build: read ExSetup.exe\'s file version on the server (or Get-ExchangeServer) and run exhunt posture --build BUILD'
        : 'Confirm the exposure: check the configuration the open-if-configured CVEs need, or the exact build, then judge it again with exhunt posture --build BUILD';
    return [{ kind: status === 'newer' ? 'identify-build' : p === null || p.build === null ? 'identify-build' : 'configure', text, items: p ? uniq([...p.openCvesIfConfigured]) : [] }];
  }
  if (ctx.exposure !== 'exposed' || p === null) return [];
  const fb = p.fixedBy;
  const target = [fb?.su ? `${fb.su}` : null, fb?.build ? `build ${fb.build}` : null].filter(Boolean).join(', ');
  const note = typeof fb?.note === 'string' && fb.note !== '' ? ` ${fb.note}` : '';
  const out: Draft[] = [];
  if (p.supported === false && ctx.compromise !== 'compromised') {
    const since = ctx.noFixesSince ? ` (no security fixes since ${ctx.noFixesSince})` : '';
    out.push({ kind: 'disconnect', text: `This version no longer receives security fixes${since}: disconnect it from the internet until it runs a supported version, as emergency directives require`, items: [] });
  }
  if (p.openCves.length > 0) {
    // Exploited CVEs first: they are the ones the items list must not leave out.
    const exploited = new Set(cveEntries(p).filter((c) => c.exploited === true || c.kev === true).map((c) => c.id));
    const ordered = [...p.openCves.filter((c) => exploited.has(c)), ...p.openCves.filter((c) => !exploited.has(c))];
    out.push({ kind: 'update', text: `Install the security update that closes the open CVEs${target ? `: ${target}` : ''}${p.supported === false ? ' (this version is out of support)' : ''}.${note}`, items: uniq(ordered) });
  }
  return out;
}

function reviewSteps(report: Report): Draft[] {
  const out: Draft[] = [];
  const attack = report.findings.filter((f) => (f.category === 'exploitation' || f.category === 'webshell') && strong(f));
  const dump = report.findings.some((f) => isCredentialDump(f) && strong(f));
  if (dump || attack.length > 0) {
    out.push({ kind: 'credentials', text: dump
      ? 'Treat the credentials of every account that signed in to this server as stolen (a credential dump was found): reset them, service accounts included'
      : 'Reset the credentials of administrators and service accounts used on this server (an exploited Exchange server exposes the credentials used on it)', items: [] });
  }
  const exfil = report.findings.filter((f) => f.category === 'exfiltration' && strong(f));
  if (exfil.length > 0) out.push({ kind: 'review-mailboxes', text: 'Review mailbox export requests and the mailboxes accessed; remove unknown export requests and files', items: uniq(exfil.map((f) => f.evidence.path)) });
  if (attack.length > 0) {
    out.push({ kind: 'review-access', text: 'Review what the attacking addresses did (exhunt scope ROOT: ECP/PowerShell cmdlets, role assignments, new accounts, mailboxes) and block them at the perimeter', items: clientIps(attack) });
  }
  return out;
}

function attemptSteps(report: Report): Draft[] {
  const weak = report.findings.filter((f) => compromiseWeight(f) === 'suspicious');
  if (weak.length === 0) return [];
  return [{ kind: 'review-attempts', text: 'Review the attempts and weaker evidence found (did a request succeed, is the file known?): confirm or rule out compromise', items: uniq(weak.map((f) => f.evidence.path)) }];
}

function coverageSteps(report: Report, ctx: StepContext): Draft[] {
  const out: Draft[] = [];
  if (ctx.gaps.some((g) => g.kind === 'no-hunt')) {
    out.push({ kind: 'collect', text: 'Hunt for compromise too: collect the server\'s logs, event logs and web folders (or run on the server) and run exhunt scan ROOT', items: [] });
  }
  const missing = ctx.gaps.filter((g) => g.kind === 'not-found' || g.kind === 'not-examined' || g.kind === 'no-logs');
  if (missing.length > 0) out.push({ kind: 'collect', text: 'Collect what could not be examined and scan again before concluding anything', items: uniq(missing.map((g) => g.text)) });
  const earliest = report.coverage.map((c) => c.from).filter((x): x is string => x !== null).sort()[0] ?? null;
  const gaps = report.coverage.filter((c) => c.gaps.length > 0).map((c) => c.source);
  if (earliest !== null) {
    out.push({ kind: 'logs', text: `The logs reach back to ${earliest}${gaps.length ? ' with gaps' : ''}: collect older logs (backups, SIEM) to cover the time since the first exposure`, items: uniq(gaps) });
  }
  return out;
}

/** The ordered next steps for the server a report describes. */
export function nextSteps(report: Report, ctx: StepContext): NextStep[] {
  const compromised = ctx.compromise === 'compromised';
  const drafts: Draft[] = compromised
    ? [...containment(report, ctx), ...removal(report, ctx), ...mitigationStep(report), ...exposureSteps(report, ctx), ...reviewSteps(report), ...coverageSteps(report, ctx)]
    : [...exposureSteps(report, ctx), ...mitigationStep(report), ...attemptSteps(report), ...removal(report, ctx), ...coverageSteps(report, ctx)];
  const verify = compromised
    ? 'Scan again after clean-up and keep the vault verifiable: exhunt vault verify DIR'
    : 'Scan again after any change (and on a schedule: exhunt agent) to keep the answer current';
  drafts.push({ kind: 'verify', text: verify, items: [] });
  return drafts.map((d, i) => ({ order: i + 1, ...d }));
}
