/**
 * Users named by the log lines of attacker findings: the finding keeps the first matching line
 * (path + line), so those lines are read again (only the files that hold them, each up to the
 * last line wanted) and their `cs-username` / `AuthenticatedUser` taken, minus system accounts.
 */
import { openLog } from '../../parsers/logs/index.js';
import type { Finding } from '../../findings/types.js';
import type { ParseIssue } from '../../parsers/types.js';
import type { LogJob } from '../logs/process-file.js';
import { requestView } from './classify.js';
import { isIdentitySource, usableUser } from './identities.js';

interface Wanted {
  /** line → finding ids */
  readonly lines: Map<number, string[]>;
  /** evidence path of the records (`a.zip!member` for archive members) */
  readonly path: string;
}

function wantedByJob(findings: readonly Finding[], jobs: readonly LogJob[]): Map<LogJob, Wanted[]> {
  const byPath = new Map(jobs.map((j) => [j.path, j]));
  const out = new Map<LogJob, Wanted[]>();
  for (const f of findings) {
    const ev = f.evidence;
    if (!isIdentitySource(f) || ev.kind !== 'log' || typeof ev.line !== 'number') continue;
    const job = byPath.get(ev.path) ?? byPath.get(ev.path.split('!')[0] ?? '');
    if (!job) continue;
    const list = out.get(job) ?? [];
    let w = list.find((x) => x.path === ev.path);
    if (!w) {
      w = { lines: new Map(), path: ev.path };
      list.push(w);
    }
    w.lines.set(ev.line, [...(w.lines.get(ev.line) ?? []), f.id]);
    out.set(job, list);
  }
  return out;
}

/** Finding id → the users its log line names. */
export async function usersOfFindings(
  findings: readonly Finding[],
  jobs: readonly LogJob[],
  onIssue: (i: ParseIssue) => void,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [job, wanted] of wantedByJob(findings, jobs)) {
    let left = wanted.reduce((n, w) => n + w.lines.size, 0);
    const recs = openLog(job.abs, job.path, { ...(job.family ? { family: job.family } : {}), onIssue });
    for await (const rec of recs) {
      const w = wanted.find((x) => x.path === rec.location.path);
      const ids = w && rec.location.line !== undefined ? w.lines.get(rec.location.line) : undefined;
      if (!ids) continue;
      const user = rec.source === 'iis' || rec.source === 'httpproxy' ? usableUser(requestView(rec).user ?? undefined) : usableUser(rec.fields['AuthenticatedUser']);
      if (user) for (const id of ids) out.set(id, [...new Set([...(out.get(id) ?? []), user])]);
      if (--left === 0) break;
    }
  }
  return out;
}
