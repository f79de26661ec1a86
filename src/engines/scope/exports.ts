/**
 * Mailbox export requests (New-MailboxExportRequest) from the MSExchange Management event log
 * and from CmdletInfra / ECP logs, and whether the file each wrote is in the evidence: a
 * `-FilePath` on an administrative share (`\\host\c$\x.pst`) or a local path is mapped onto
 * the evidence root (through EvidenceRoot.resolveWin, the one place that knows Windows paths).
 */
import { stat } from 'node:fs/promises';
import type { EvidenceRoot } from '../../evidence/root.js';
import type { FoundPath } from '../../evidence/sources.js';
import { readEvtx } from '../../parsers/evtx/index.js';
import type { EventRecord, LogRecord, ParseIssue } from '../../parsers/types.js';
import { ecpCommand, isExportRequest, paramValue } from './cmdlet-params.js';
import type { ScopeExport, ScopePlace } from './types.js';

type Unresolved = Omit<ScopeExport, 'file' | 'fileNote' | 'alsoAt'>;

/** An export request from a cmdlet log record (Rps_Cmdlet, ECP Server/Activity), or null. */
export function exportFromLog(rec: LogRecord): Unresolved | null {
  let cmdlet: string;
  let params: string;
  let user: string | null = null;
  if (rec.source === 'rps-cmdlet') {
    cmdlet = rec.fields['Cmdlet'] ?? '';
    params = rec.fields['Parameters'] ?? '';
    user = rec.fields['AuthenticatedUser'] || null;
  } else if (rec.source === 'ecp-server' || rec.source === 'ecp-activity') {
    const cmd = ecpCommand(rec.fields['EventData'] ?? '');
    if (!cmd) return null;
    ({ cmdlet, params } = cmd);
  } else return null;
  if (!isExportRequest(cmdlet)) return null;
  return {
    mailbox: paramValue(params, 'Mailbox'),
    filePath: paramValue(params, 'FilePath'),
    time: rec.time,
    user,
    source: rec.source,
    cmdlet,
    at: { path: rec.location.path, line: rec.location.line ?? null },
  };
}

/** An export request from an MSExchange CmdletLogs event (1: ran, 6: failed), or null. */
export function exportFromEvent(rec: EventRecord): Unresolved | null {
  if (rec.provider !== 'MSExchange CmdletLogs' || (rec.eventId !== 1 && rec.eventId !== 6)) return null;
  const [cmdlet = '', params = '', user = ''] = rec.dataUnnamed.map((v) => v ?? '');
  if (!isExportRequest(cmdlet)) return null;
  return {
    mailbox: paramValue(params, 'Mailbox'),
    filePath: paramValue(params, 'FilePath'),
    time: rec.time,
    user: user || null,
    source: 'event',
    cmdlet: rec.eventId === 6 ? `${cmdlet} (failed)` : cmdlet,
    at: { path: rec.location.path, recordId: rec.recordId },
  };
}

/** The MSExchange Management event logs among the `.evtx` files. */
export function managementLogs(files: readonly FoundPath[]): FoundPath[] {
  return files.filter((f) => /msexchange management\.evtx$/i.test(f.evidencePath));
}

/** Export requests in the MSExchange Management event logs. */
export async function exportsFromEvents(files: readonly FoundPath[], onIssue: (i: ParseIssue) => void): Promise<Unresolved[]> {
  const out: Unresolved[] = [];
  for (const f of managementLogs(files)) {
    try {
      for await (const rec of readEvtx(f.abs, f.evidencePath, { onIssue })) {
        const e = exportFromEvent(rec);
        if (e) out.push(e);
      }
    } catch (err) {
      onIssue({ path: f.evidencePath, line: null, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/**
 * `\\host\c$\dir\x.pst` → `C:\dir\x.pst`; a local path unchanged; null for other shares
 * (a file server's share is not in this evidence).
 */
export function exportTargetWinPath(filePath: string): string | null {
  const p = filePath.trim().replace(/\//g, '\\');
  const admin = /^\\\\[^\\]+\\([A-Za-z])\$(\\.*)?$/.exec(p);
  if (admin?.[1]) return `${admin[1].toUpperCase()}:${admin[2] ?? '\\'}`;
  if (/^[A-Za-z]:\\/.test(p)) return p;
  return null;
}

type Merged = Unresolved & { readonly alsoAt: ScopePlace[] };

/** ISO time as `toISOString` writes it (so times from events and logs compare as strings). */
function normalTime(t: string | null): string | null {
  const ms = t === null ? NaN : Date.parse(t);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : t;
}

/** One entry per request: the same mailbox and file within the same minute is one export seen twice. */
export function mergeExports(list: readonly Unresolved[]): Merged[] {
  const sorted = list.map((e) => ({ ...e, time: normalTime(e.time) })).sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const out: Merged[] = [];
  const byKey = new Map<string, Merged>();
  for (const e of sorted) {
    const key = [e.mailbox?.toLowerCase() ?? '', e.filePath?.toLowerCase() ?? '', e.time?.slice(0, 16) ?? ''].join('|');
    const prev = byKey.get(key);
    if (prev) {
      prev.alsoAt.push(e.at);
      continue;
    }
    const m = { ...e, alsoAt: [] };
    byKey.set(key, m);
    out.push(m);
  }
  return out;
}

async function resolveFile(root: EvidenceRoot, e: Merged): Promise<ScopeExport> {
  if (e.filePath === null) return { ...e, file: null, fileNote: 'no -FilePath logged' };
  const win = exportTargetWinPath(e.filePath);
  if (win === null) return { ...e, file: null, fileNote: 'not a local path or administrative share: the file is not in this evidence' };
  const abs = await root.resolveWin(win);
  if (abs === null) return { ...e, file: null, fileNote: `${win} is not in the evidence (deleted, or not collected)` };
  try {
    const st = await stat(abs);
    if (!st.isFile()) return { ...e, file: null, fileNote: `${win} is not a file in the evidence` };
    const mtime = Number.isFinite(st.mtime.getTime()) ? st.mtime.toISOString() : null;
    return { ...e, file: { path: root.toEvidencePath(abs), size: st.size, mtime }, fileNote: null };
  } catch (err) {
    return { ...e, file: null, fileNote: err instanceof Error ? err.message : String(err) };
  }
}

/** Adds the evidence file of each export, in time order. */
export async function resolveExports(root: EvidenceRoot, list: readonly Unresolved[]): Promise<ScopeExport[]> {
  const out: ScopeExport[] = [];
  for (const e of mergeExports(list)) out.push(await resolveFile(root, e));
  return out;
}

export type { Unresolved as UnresolvedExport };
