/**
 * Uploads of reports made elsewhere (`report upload`) and of fingerprint results: each report
 * is checked against the schema here first, then posted with the user's API token; a network
 * error, 5xx, 408 or 429 is retried a few times with backoff, always with the same bytes and so
 * the same Idempotency-Key. One result per report, never an exception for a refused one.
 */
import { readFile } from 'node:fs/promises';
import { validateReport } from '../findings/schema.js';
import type { ClientOptions } from './http-client.js';
import { uploadReport, type UploadOutcome } from './fleet-api.js';

export interface UploadTarget {
  readonly server: URL;
  /** `exu_…` API token. */
  readonly token: string;
  readonly client: ClientOptions;
  /** Attempts after the first for retryable failures. */
  readonly retries: number;
  readonly backoffMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type UploadResult =
  | { readonly kind: 'stored' | 'duplicate'; readonly reportId: string; readonly serverId: string; readonly findings: number }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

function realSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Posts one report's bytes (already validated) with `server=` / `source=`. */
export async function postReport(bytes: Buffer, query: Readonly<Record<string, string | undefined>>, t: UploadTarget): Promise<UploadResult> {
  let last: UploadOutcome | null = null;
  for (let attempt = 0; attempt <= t.retries; attempt++) {
    if (attempt > 0 && last?.kind === 'retry') {
      await (t.sleep ?? realSleep)(Math.max(Math.min(last.retryAfterMs ?? 0, 60_000), t.backoffMs * 2 ** (attempt - 1)));
    }
    last = await uploadReport({ server: t.server, bearer: t.token, body: bytes, query }, t.client);
    if (last.kind !== 'retry') break;
  }
  if (last === null) return { kind: 'failed', reason: 'not sent' };
  switch (last.kind) {
    case 'stored':
    case 'duplicate':
      return { kind: last.kind, reportId: last.reportId, serverId: last.serverId, findings: last.findings };
    case 'refused':
    case 'unauthorized':
      return { kind: 'refused', reason: last.error };
    case 'retry':
      return { kind: 'failed', reason: last.error };
  }
}

/** The report's bytes when the file holds a valid report, else why not (the file is not sent). */
export async function readValidReport(file: string, host: string | undefined): Promise<{ bytes: Buffer } | { problem: string }> {
  let bytes: Buffer;
  let doc: unknown;
  try {
    bytes = await readFile(file);
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { problem: `cannot read a JSON report: ${e instanceof Error ? e.message : String(e)}` };
  }
  const problems = validateReport(doc);
  if (problems.length > 0) return { problem: `not a valid exhunt report: ${problems.slice(0, 3).join('; ')}` };
  const named = (doc as { target?: { hostname?: unknown } }).target?.hostname;
  if (host === undefined && (typeof named !== 'string' || named === '')) {
    return { problem: 'the report names no host (target.hostname); pass --host NAME' };
  }
  return { bytes };
}

/** One line per result: `FILE: stored as report R (N findings)`, `… duplicate …`, `… refused: …`. */
export function resultLine(file: string, r: UploadResult): string {
  switch (r.kind) {
    case 'stored':
      return `${file}: stored as report ${r.reportId} (${r.findings} finding(s))`;
    case 'duplicate':
      return `${file}: duplicate, already stored as report ${r.reportId}`;
    case 'refused':
      return `${file}: refused: ${r.reason}`;
    case 'failed':
      return `${file}: not sent: ${r.reason}`;
  }
}

/** Validates and uploads each file in turn; `line` receives one result line per file. */
export async function uploadFiles(files: readonly string[], host: string | undefined, t: UploadTarget, line: (s: string) => void): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  for (const file of files) {
    const v = await readValidReport(file, host);
    const r: UploadResult = 'problem' in v
      ? { kind: 'refused', reason: `${v.problem} (checked locally, not sent)` }
      : await postReport(v.bytes, { server: host, source: 'upload' }, t);
    results.push(r);
    line(resultLine(file, r));
  }
  return results;
}
