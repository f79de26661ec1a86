/**
 * One send round over the spool: oldest first, each file posted with the agent's credential
 * and `Idempotency-Key: sha256(bytes)`. Stored or duplicate → deleted; refused for good →
 * `rejected/`; anything worth retrying (network, 5xx, 408, 429, 404) or an unauthorised agent stops
 * the round so the order is kept, and the rest waits for the next round.
 */
import { unlink } from 'node:fs/promises';
import type { ClientOptions } from './http-client.js';
import { syncDir } from './durable-file.js';
import { uploadReport } from './fleet-api.js';
import { listSpool, readSpooled, rejectSpooled } from './spool.js';

export interface SendOptions {
  readonly server: URL;
  readonly bearer: string;
  readonly client: ClientOptions;
  /** One status line (no newline) for stderr. */
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

export interface SendResult {
  readonly sent: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Files still in the spool after the round. */
  readonly remaining: number;
  /** Why the round stopped before the spool was empty; null when nothing is left to retry. */
  readonly stopped: string | null;
  /** The server asked to wait this long (Retry-After). */
  readonly retryAfterMs?: number | undefined;
  /** The server refused the credential (revoked, or enrolled elsewhere): enrol again. */
  readonly unauthorized: boolean;
}

/** ENOENT → null (another `agent run` on this host handled the file first); anything else is rethrown. */
function gone(e: unknown): null {
  if ((e as { code?: unknown } | null)?.code === 'ENOENT') return null;
  throw e;
}

export async function sendSpool(spool: string, o: SendOptions): Promise<SendResult> {
  const entries = await listSpool(spool);
  let sent = 0;
  let duplicates = 0;
  let rejected = 0;
  const stop = (i: number, stopped: string | null, extra: Partial<SendResult> = {}): SendResult =>
    ({ sent, duplicates, rejected, remaining: entries.length - i, stopped, unauthorized: false, ...extra });
  for (const [i, e] of entries.entries()) {
    const body = await readSpooled(e).catch(gone);
    if (body === null) continue; // sent meanwhile by another agent process
    const r = await uploadReport({ server: o.server, bearer: o.bearer, body }, o.client);
    if (r.kind === 'stored' || r.kind === 'duplicate') {
      await unlink(e.path).catch(gone);
      await syncDir(spool);
      if (r.kind === 'duplicate') duplicates += 1;
      else sent += 1;
      o.log(`sent ${e.name}: ${r.kind === 'duplicate' ? 'already stored' : 'stored'} as report ${r.reportId} (${r.findings} finding(s))`);
    } else if (r.kind === 'refused') {
      const dest = await rejectSpooled(spool, e, r, o.now?.());
      rejected += 1;
      o.log(`refused ${e.name}: ${r.error}; moved to ${dest}`);
    } else if (r.kind === 'unauthorized') {
      const why = `the server refused this agent's credential (${r.error}); reports stay spooled; enrol again (exhunt agent enroll)`;
      o.log(why);
      return stop(i, why, { unauthorized: true });
    } else {
      const left = entries.length - i;
      const why = `upload failed: ${r.error}; ${left} report(s) stay spooled for the next round`;
      o.log(why);
      return stop(i, why, { retryAfterMs: r.retryAfterMs });
    }
  }
  return stop(entries.length, null);
}
