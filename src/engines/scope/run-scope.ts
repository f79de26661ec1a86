/**
 * `scope ROOT`: the scan first (its exploitation, web shell and IOC findings name the attacker),
 * then the scope: identities, a second pass over the logs for their mailbox access and the
 * export requests, the MSExchange Management events, staged archives, and what the logs
 * cannot answer. The report carries the identity findings, the scope's `exfiltration`
 * findings and the additive `scope` object.
 */
import { performance } from 'node:perf_hooks';
import { openEvidenceRoot } from '../../evidence/root.js';
import { discoverSources } from '../../evidence/discover.js';
import type { Finding, Report, ReportError } from '../../findings/types.js';
import { sortFindings } from '../../findings/order.js';
import type { ParseIssue } from '../../parsers/types.js';
import { runScan } from '../scan/run-scan.js';
import { ScanContext, type ProgressSink, type ScanOptions } from '../scan/context.js';
import { discoverLogFiles } from '../scan/logs-stage.js';
import { usersOfFindings } from './finding-users.js';
import { collectIdentities, createIdentityMatcher, isIdentitySource, localPart, type IdentityMatcher } from './identities.js';
import { runScopePass, type PassResult } from './pass.js';
import { exportsFromEvents, resolveExports } from './exports.js';
import { findStaged } from './staged.js';
import { attackWindow, scopeGaps, windowAround } from './gaps.js';
import { exportFinding, mailboxFinding, stagedFinding } from './findings.js';
import type { AccessAggregator } from './access.js';
import type { Identity, ScopeExport, ScopeSection, ScopeStaged, ScopeWindow } from './types.js';

export interface ScopeOptions extends ScanOptions {
  /** `--suspect-ip` values, already checked (address or CIDR). */
  readonly suspectIps: readonly string[];
  readonly suspectUsers: readonly string[];
}

function isLiveDrive(input: string): boolean {
  return process.platform === 'win32' && /^[A-Za-z]:[\\/]?$/.test(input);
}

function mailboxKey(m: string): string {
  return localPart(m);
}

/** An export is the attacker's when an identity user ran it or it falls in the attack window. */
function byAttacker(e: ScopeExport, matcher: IdentityMatcher, window: ScopeWindow | null): boolean {
  if (e.user !== null && matcher.user(e.user) !== null) return true;
  return window !== null && e.time !== null && e.time >= window.from && e.time <= window.to;
}

function notesFor(identities: readonly Identity[], window: ScopeWindow | null, counted: { proxy: number; iis: number; iisSeenInProxy: number }): string[] {
  const notes: string[] = [];
  if (identities.length === 0) {
    notes.push('No attacker identities: no exploitation, web shell or IOC finding at medium or above names a client address or user. '
      + 'Give what you know with --suspect-ip ADDRESS[/BITS] or --suspect-user NAME to see which mailboxes they touched.');
  }
  if (window === null && identities.length > 0) notes.push('No dated attacker finding or request: the attack window (and log coverage of it) is unknown.');
  if (counted.iisSeenInProxy > 0) {
    notes.push(`${counted.iisSeenInProxy} IIS request(s) were left out because HttpProxy logged the same protocol in the same hour (one request, two logs).`);
  }
  return notes;
}

function identityFindings(findings: readonly Finding[], identities: readonly Identity[]): Finding[] {
  const used = new Set(identities.flatMap((i) => i.from));
  return findings.filter((f) => isIdentitySource(f) || used.has(f.id));
}

function scopeFindings(access: AccessAggregator, section: Omit<ScopeSection, 'notes'>, attackerExports: ReadonlySet<ScopeExport>): Finding[] {
  return [
    ...section.mailboxes.map((m) => mailboxFinding(m, access.firstPlace(m.mailbox))),
    ...section.exports.map((e) => exportFinding(e, attackerExports.has(e))),
    ...section.staged.map(stagedFinding),
  ];
}

interface Parts {
  readonly identities: readonly Identity[];
  readonly window: ScopeWindow | null;
  readonly pass: PassResult;
  readonly exports: readonly ScopeExport[];
  readonly attackerExports: ReadonlySet<ScopeExport>;
  readonly staged: readonly ScopeStaged[];
  readonly errors: readonly ReportError[];
  readonly started: number;
}

/** The scan report with the scope: its section, its findings, its errors and statistics. */
function finish(report: Report, p: Parts): Report {
  const { identities, pass } = p;
  for (const id of identities) pass.access.ensure(id.kind, id.value);
  const exportedKeys = new Set(p.exports.filter((e) => e.mailbox).map((e) => mailboxKey(e.mailbox ?? '')));
  const fromOf = (kind: Identity['kind'], value: string): readonly string[] =>
    identities.find((i) => i.kind === kind && i.value.toLowerCase() === value.toLowerCase())?.from ?? [];
  const core = {
    identities,
    window: p.window,
    attackers: pass.access.attackerResults(fromOf),
    mailboxes: pass.access.mailboxResults((m) => exportedKeys.has(mailboxKey(m))),
    exports: p.exports,
    staged: p.staged,
    gaps: scopeGaps(p.window, report.coverage),
  };
  const scope: ScopeSection = { ...core, notes: notesFor(identities, p.window, pass.counted) };
  const findings = sortFindings([...identityFindings(report.findings, identities), ...scopeFindings(pass.access, core, p.attackerExports)]);
  const stats = report.stats;
  return {
    ...report,
    findings,
    errors: [...report.errors, ...p.errors],
    stats: {
      ...stats,
      files: stats.files + pass.stats.files,
      records: stats.records + pass.stats.records,
      bytes: stats.bytes + pass.stats.bytes,
      seconds: Math.round(performance.now() - p.started) / 1000,
    },
    scope,
  };
}

export async function runScope(input: string, options: ScopeOptions, progress: ProgressSink): Promise<Report> {
  const started = performance.now();
  const report = await runScan(input, options, progress);
  // The scope reads files the scan read: a problem it already listed is not listed again.
  const errors: ReportError[] = [];
  const known = new Set(report.errors.map((e) => `${e.path}\u0000${e.line}\u0000${e.message}`));
  const onIssue = (i: ParseIssue): void => {
    const key = `${i.path}\u0000${i.line}\u0000${i.message}`;
    if (known.has(key)) return;
    known.add(key);
    errors.push({ path: i.path, line: i.line, message: i.message });
  };
  const root = await openEvidenceRoot(input, { live: isLiveDrive(input) });
  const sources = await discoverSources(root, { ...(options.exchangePath ? { exchangePath: options.exchangePath } : {}), onError: () => {} });
  const logFiles = await discoverLogFiles(root, sources, new ScanContext(options, progress));

  progress.update('scope: attacker identities');
  const findingUsers = await usersOfFindings(report.findings, logFiles, onIssue);
  const identities = collectIdentities({ findings: report.findings, findingUsers, suspectIps: options.suspectIps, suspectUsers: options.suspectUsers });
  const matcher = createIdentityMatcher(identities);
  const pass = await runScopePass({
    files: logFiles, identities, matcher, since: options.since, until: options.until, onIssue,
    onFile: (p) => progress.update('scope: logs', p),
  });
  progress.update('scope: event logs');
  const exports = await resolveExports(root, [...pass.exports, ...(await exportsFromEvents(sources.evtxFiles, onIssue))]);
  // Without a dated attacker finding (only --suspect-ip/--suspect-user), their requests set the window.
  const window = attackWindow(report.findings.filter(isIdentitySource))
    ?? windowAround(pass.access.attackerResults(() => []).flatMap((a) => [a.firstSeen, a.lastSeen]));
  const attackerExports = new Set(exports.filter((e) => byAttacker(e, matcher, window)));
  for (const e of attackerExports) if (e.mailbox) pass.access.exported(e.mailbox.toLowerCase(), e.user, e.time, e.at);
  progress.update('scope: staged archives');
  const staged = await findStaged(root, sources, onIssue);

  return finish(report, { identities, window, pass, exports, attackerExports, staged, errors, started });
}
