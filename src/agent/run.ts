/**
 * `agent run`: scan, spool, send. `runOnce` is one scan and one send round (the exit code is
 * the scan's); `runLoop` repeats every interval, sending the spool before each scan as well,
 * and between scans retries a failed round with backoff. The scan, the clock and sleeping are
 * passed in so that tests drive the loop without waiting.
 */
import { atLeast, type Report, type Severity } from '../findings/types.js';
import type { AgentCredential } from './credential.js';
import type { ClientOptions } from './http-client.js';
import { parseServerUrl } from './fleet-api.js';
import { backoffMs, formatDuration } from './schedule.js';
import { sendSpool, type SendResult } from './send.js';
import { spoolReport } from './spool.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILED = 2;

export interface AgentRunDeps {
  readonly spool: string;
  readonly credential: AgentCredential;
  readonly client: ClientOptions;
  /** Runs the scan (the CLI passes runScan on ROOT). */
  readonly scan: () => Promise<Report>;
  readonly failOn: Severity;
  /** One status line (no newline) for stderr. */
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

export interface OnceResult {
  /** The scan's exit code: 0 nothing at or above --fail-on, 1 findings, 2 the scan failed. */
  readonly code: number;
  readonly send: SendResult;
}

function clock(d: AgentRunDeps): Date {
  return d.now?.() ?? new Date();
}

/** Scans and spools the report; the scan's exit code. A failed scan is logged and returns 2. */
export async function scanAndSpool(d: AgentRunDeps): Promise<number> {
  let report: Report;
  try {
    report = await d.scan();
  } catch (e) {
    d.log(`scan failed: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILED;
  }
  const named: Report = { ...report, target: { ...report.target, hostname: report.target.hostname ?? d.credential.hostname } };
  const bytes = Buffer.from(JSON.stringify(named), 'utf8');
  const entry = await spoolReport(d.spool, bytes, clock(d));
  d.log(`scan done: ${report.findings.length} finding(s); spooled ${entry.name}`);
  return report.findings.some((f) => atLeast(f.severity, d.failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

export function sendRound(d: AgentRunDeps): Promise<SendResult> {
  return sendSpool(d.spool, {
    server: parseServerUrl(d.credential.server),
    bearer: d.credential.credential,
    client: d.client,
    log: d.log,
    ...(d.now !== undefined ? { now: d.now } : {}),
  });
}

export async function runOnce(d: AgentRunDeps): Promise<OnceResult> {
  const code = await scanAndSpool(d);
  const send = await sendRound(d);
  return { code, send };
}

export interface LoopDeps extends AgentRunDeps {
  readonly intervalMs: number;
  /** Waits `ms` (resolves early when `signal` aborts). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly signal: AbortSignal;
  /** Random number in [0, 1) for backoff jitter. */
  readonly random?: () => number;
}

/** Retries a failed round with backoff until it succeeds or the next scan is due. */
async function retryUntil(d: LoopDeps, first: SendResult, nextScanAt: number): Promise<void> {
  let last = first;
  let failures = 1;
  while (last.stopped !== null && !d.signal.aborted) {
    const left = nextScanAt - clock(d).getTime();
    if (left <= 0) return;
    const wait = backoffMs(failures, left, last.retryAfterMs, d.random?.() ?? 0);
    if (wait < left) d.log(`next send attempt in ${formatDuration(wait)}`);
    await d.sleep(wait, d.signal);
    if (wait >= left || d.signal.aborted) return;
    last = await safeRound(d);
    failures += 1;
  }
}

/** A send round that cannot fail the loop: a local error (spool unreadable) is logged and retried later. */
async function safeRound(d: AgentRunDeps): Promise<SendResult> {
  try {
    return await sendRound(d);
  } catch (e) {
    const why = `upload failed: ${e instanceof Error ? e.message : String(e)}`;
    d.log(why);
    return { sent: 0, duplicates: 0, rejected: 0, remaining: 0, stopped: why, unauthorized: false };
  }
}

/** Runs until `signal` aborts; each round: send the spool, scan, spool, send. */
export async function runLoop(d: LoopDeps): Promise<void> {
  while (!d.signal.aborted) {
    const nextScanAt = clock(d).getTime() + d.intervalMs;
    const before = await safeRound(d);
    let after = before;
    if (!d.signal.aborted) {
      await scanAndSpool(d).catch((e: unknown) => d.log(`scan failed: could not spool the report: ${e instanceof Error ? e.message : String(e)}`));
      if (before.stopped === null && !d.signal.aborted) after = await safeRound(d);
    }
    if (d.signal.aborted) return;
    if (after.stopped !== null) await retryUntil(d, after, nextScanAt);
    const left = nextScanAt - clock(d).getTime();
    if (left > 0 && !d.signal.aborted) {
      d.log(`next scan in ${formatDuration(left)}`);
      await d.sleep(left, d.signal);
    }
  }
}

/** A real sleep that ends early on abort. */
export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
