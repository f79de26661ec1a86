/**
 * The second streaming pass over the logs the scan discovered: IIS and HttpProxy requests from
 * the attacker identities become mailbox access; CmdletInfra Rps_Cmdlet and ECP logs give
 * cmdlets run by attacker users and every New-MailboxExportRequest. Reuses the log parsers
 * (openLog) with a literal pre-screen of the identities on IIS and HttpProxy logs, so lines
 * naming none are not parsed.
 *
 * One request is logged up to three times (front-end IIS, HttpProxy/<protocol>, back-end IIS).
 * HttpProxy names the mailbox, so HttpProxy files are read first and the hours each protocol
 * folder covers are noted; an IIS request counts only when HttpProxy has no records for its
 * protocol in that hour (then IIS is the only witness). Back-end requests come from the
 * front end's address, which is never an attacker identity.
 */
import { createParseStats, openLog, type ParseStats } from '../../parsers/logs/index.js';
import type { LogFamily, LogRecord, ParseIssue } from '../../parsers/types.js';
import { clientIpOf } from '../logs/finding.js';
import type { LogJob } from '../logs/process-file.js';
import { AccessAggregator } from './access.js';
import { classifyAccess, proxyFolderOfPath, proxyFolderOfStem, requestView, statusClass } from './classify.js';
import { cmdletMailbox } from './cmdlet-params.js';
import { exportFromLog, type UnresolvedExport } from './exports.js';
import { localPart, type IdentityMatcher } from './identities.js';
import type { Identity } from './types.js';

const HOUR_MS = 3_600_000;
const ACCESS_FAMILIES = new Set<LogFamily>(['iis', 'httpproxy']);
const CMDLET_FAMILIES = new Set<LogFamily>(['rps-cmdlet', 'ecp-server', 'ecp-activity']);

export interface PassInput {
  readonly files: readonly LogJob[];
  readonly identities: readonly Identity[];
  readonly matcher: IdentityMatcher;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly onIssue: (i: ParseIssue) => void;
  readonly onFile?: (path: string) => void;
}

export interface PassResult {
  readonly access: AccessAggregator;
  readonly exports: UnresolvedExport[];
  readonly stats: ParseStats;
  /** Requests counted from HttpProxy, from IIS alone, and IIS requests left to HttpProxy. */
  readonly counted: { proxy: number; iis: number; iisSeenInProxy: number };
}

/**
 * Literals every selected line contains: the addresses and the users' local parts. Null (read
 * every line) when an identity cannot be a literal: a CIDR, an IPv6 address (logged in more than
 * one spelling), a very short user name.
 */
export function identityNeedles(identities: readonly Identity[]): string[] | null {
  const out: string[] = [];
  for (const id of identities) {
    if (id.kind === 'address') {
      if (id.value.includes('/') || id.value.includes(':')) return null;
      out.push(id.value);
    } else {
      const local = localPart(id.value);
      if (local.length < 3) return null;
      out.push(local);
    }
  }
  return out;
}

function hourOf(time: string | null): number | null {
  const ms = time === null ? NaN : Date.parse(time);
  return Number.isFinite(ms) ? Math.floor(ms / HOUR_MS) : null;
}

/** ISO time as `toISOString` writes it, so times from every log compare as strings. */
function normalTime(t: string | null): string | null {
  const ms = t === null ? NaN : Date.parse(t);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : t;
}

function familyOrder(j: LogJob): number {
  return j.family === 'httpproxy' ? 0 : j.family === 'iis' ? 1 : 2;
}

class Pass {
  readonly access = new AccessAggregator();
  readonly exports: UnresolvedExport[] = [];
  readonly stats = createParseStats();
  readonly counted = { proxy: 0, iis: 0, iisSeenInProxy: 0 };
  private readonly proxyHours = new Set<string>();

  constructor(private readonly input: PassInput) {}

  private inWindow(time: string | null): boolean {
    if (time === null) return true;
    const { since, until } = this.input;
    return !((since !== undefined && time < since) || (until !== undefined && time > until));
  }

  noteProxyHour(path: string, time: string | null): void {
    const folder = proxyFolderOfPath(path);
    const hour = hourOf(time);
    if (folder !== null && hour !== null) this.proxyHours.add(`${folder}|${hour}`);
  }

  request(rec: LogRecord): void {
    if (rec.source === 'httpproxy') this.noteProxyHour(rec.location.path, rec.time);
    if (!this.inWindow(rec.time)) return;
    const view = requestView(rec);
    const address = this.input.matcher.address(clientIpOf(rec));
    const user = this.input.matcher.user(view.user);
    if (address === null && user === null) return;
    if (rec.source === 'iis') {
      const folder = proxyFolderOfStem(view.stem);
      const hour = hourOf(rec.time);
      if (folder !== null && hour !== null && this.proxyHours.has(`${folder}|${hour}`)) {
        this.counted.iisSeenInProxy++;
        return;
      }
      this.counted.iis++;
    } else this.counted.proxy++;
    const access = classifyAccess(view);
    const identities = [
      ...(address !== null ? [{ kind: 'address' as const, value: address }] : []),
      ...(user !== null ? [{ kind: 'user' as const, value: user }] : []),
    ];
    this.access.add({
      identities,
      time: normalTime(rec.time),
      protocol: access?.protocol ?? null,
      mailbox: access?.mailbox ?? null,
      user: view.user,
      device: access?.device ?? null,
      statusClass: statusClass(view.status),
      bytes: view.bytes,
      at: { path: rec.location.path, line: rec.location.line ?? null },
    });
  }

  cmdletRecord(rec: LogRecord): void {
    if (!this.inWindow(rec.time)) return;
    const e = exportFromLog(rec);
    if (e) this.exports.push(e);
    if (rec.source !== 'rps-cmdlet') return;
    const user = this.input.matcher.user(rec.fields['AuthenticatedUser'] ?? null);
    const cmdlet = rec.fields['Cmdlet'] ?? '';
    if (user === null || cmdlet === '') return;
    const mailbox = cmdletMailbox(cmdlet, rec.fields['Parameters'] ?? '');
    this.access.cmdlet({ kind: 'user', value: user }, cmdlet, mailbox?.toLowerCase() ?? null, normalTime(rec.time), {
      path: rec.location.path,
      line: rec.location.line ?? null,
    });
  }

  needlesFor(family: LogFamily): readonly string[] | null {
    const ids = this.input.identities;
    const base = identityNeedles(ids);
    if (ACCESS_FAMILIES.has(family)) return ids.length === 0 ? [] : base;
    // Cmdlet logs quote parameters across lines (a continuation line names no identity and
    // no cmdlet): a line pre-screen would cut records in half, so every line is read.
    if (CMDLET_FAMILIES.has(family)) return null;
    return [];
  }

  async file(job: LogJob): Promise<void> {
    this.input.onFile?.(job.path);
    const recs = openLog(job.abs, job.path, {
      ...(job.family ? { family: job.family } : {}),
      stats: this.stats,
      onIssue: this.input.onIssue,
      needles: (f) => this.needlesFor(f),
      onDroppedTime: (time, path, f) => {
        if (f === 'httpproxy') this.noteProxyHour(path, time);
      },
    });
    for await (const rec of recs) {
      if (ACCESS_FAMILIES.has(rec.source)) this.request(rec);
      else if (CMDLET_FAMILIES.has(rec.source)) this.cmdletRecord(rec);
    }
  }
}

/** Whether a log file can matter to the scope (by the family its folder gave it). */
function wanted(j: LogJob, identities: boolean): boolean {
  if (j.family === undefined) return true;
  return (identities && ACCESS_FAMILIES.has(j.family)) || CMDLET_FAMILIES.has(j.family);
}

export async function runScopePass(input: PassInput): Promise<PassResult> {
  const pass = new Pass(input);
  const files = input.files.filter((j) => wanted(j, input.identities.length > 0)).sort((a, b) => familyOrder(a) - familyOrder(b));
  for (const job of files) {
    try {
      await pass.file(job);
    } catch (err) {
      input.onIssue({ path: job.path, line: null, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { access: pass.access, exports: pass.exports, stats: pass.stats, counted: pass.counted };
}
