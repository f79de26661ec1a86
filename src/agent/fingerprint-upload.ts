/**
 * `fingerprint --upload`: the run split into one report per target (target.kind 'remote',
 * target.hostname the target's host, that target's posture and findings), each posted with
 * `source=fingerprint` so remote-only servers appear in the fleet inventory. Targets that gave
 * no answer, or answered but are not Exchange, are not uploaded: an empty report would hide
 * what the server knew before, and a web server that is not Exchange has no place in it.
 */
import { SCHEMA_VERSION, type Report } from '../findings/types.js';
import type { TargetReport } from '../fingerprint/types.js';
import { postReport, type UploadResult, type UploadTarget } from './upload.js';

export interface TargetUpload {
  readonly target: TargetReport;
  readonly host: string;
  /** null when the target was not uploaded (unreachable or not Exchange). */
  readonly result: UploadResult | null;
}

function hostOf(t: TargetReport): string {
  try {
    return new URL(t.url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return t.target;
  }
}

/** The report of one target, as if it had been fingerprinted alone. */
export function targetReport(run: Report, t: TargetReport): Report {
  const { findings, ...rest } = t;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: run.tool,
    asOf: run.asOf,
    target: { kind: 'remote', root: t.url, hostname: hostOf(t) },
    posture: t.posture,
    targets: [{ ...rest, findingIds: findings.map((f) => f.id) }],
    coverage: [],
    findings,
    errors: t.error !== null ? [{ path: t.url, line: null, message: `${t.error.kind}: ${t.error.message}` }] : [],
    stats: { files: 0, bytes: 0, records: 0, skippedRecords: 0, seconds: run.stats.seconds, targets: 1, reachable: t.reachable ? 1 : 0 },
  };
}

export async function uploadTargets(run: Report, targets: readonly TargetReport[], to: UploadTarget, line: (s: string) => void): Promise<TargetUpload[]> {
  const out: TargetUpload[] = [];
  for (const t of targets) {
    const host = hostOf(t);
    if (!t.reachable || t.error?.kind === 'not-exchange') {
      line(`${host}: not uploaded: ${t.reachable ? 'not Exchange' : `unreachable (${t.error?.kind ?? 'no answer'})`}`);
      out.push({ target: t, host, result: null });
      continue;
    }
    const bytes = Buffer.from(JSON.stringify(targetReport(run, t)), 'utf8');
    const result = await postReport(bytes, { server: host, source: 'fingerprint' }, to);
    out.push({ target: t, host, result });
    line(`${host}: ${describe(result)}`);
  }
  return out;
}

function describe(r: UploadResult): string {
  switch (r.kind) {
    case 'stored':
      return `uploaded as report ${r.reportId}`;
    case 'duplicate':
      return `already uploaded as report ${r.reportId}`;
    case 'refused':
      return `upload refused: ${r.reason}`;
    case 'failed':
      return `upload failed: ${r.reason}`;
  }
}
