/**
 * `exhunt fingerprint TARGET… [--targets FILE] [--concurrency N] [--timeout S] [--retries N]
 * [--insecure] [--proxy URL]`: remote, non-intrusive build detection of Exchange front ends.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { indexKb, type KbIndex } from '../engines/posture/kb-index.js';
import { loadKb } from '../engines/posture/kb-load.js';
import { TOOL_VERSION } from '../version.js';
import { allUnreachable, fingerprintReport, fingerprintTargets } from '../fingerprint/run.js';
import { parseTarget, targetsFromText } from '../fingerprint/targets.js';
import { noProxyFromEnv, proxyFromEnv, proxyProblem } from '../fingerprint/proxy.js';
import { fingerprintText, targetLine } from '../fingerprint/text.js';
import { addReportOptions, readReportOptions } from './common.js';
import { emitReport } from './emit-report.js';
import { action } from './run.js';
import { EXIT_FAILED, NotAvailableError, UsageError } from './errors.js';

function positiveInt(name: string, v: unknown, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name}: expected a whole number from ${min} to ${max}, got ${String(v)}`);
  return n;
}

function seconds(name: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new UsageError(`${name}: expected seconds (more than 0, at most 600), got ${String(v)}`);
  return Math.round(n * 1000);
}

function readTargets(args: readonly string[], file: string | undefined): string[] {
  const list = [...args];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--targets: cannot read ${file}: ${(err as Error).message}`);
    }
    list.push(...targetsFromText(text));
  }
  if (list.length === 0) throw new UsageError('fingerprint: give at least one TARGET (host name or URL) or --targets FILE');
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const t of list) {
    const s = parseTarget(t);
    if (typeof s === 'string') throw new UsageError(`fingerprint: ${s}`);
    if (!seen.has(s.origin.toLowerCase())) unique.push(t);
    seen.add(s.origin.toLowerCase());
  }
  return unique;
}

async function runFingerprint(args: string[], raw: Record<string, unknown>): Promise<number> {
  if (raw.upload === true) throw new NotAvailableError('fingerprint --upload: not available until the fleet server lands (issue #8)');
  const opts = readReportOptions(raw);
  const inputs = readTargets(args, raw.targets as string | undefined);
  const proxy = (raw.proxy as string | undefined) ?? proxyFromEnv();
  const problem = proxy !== null ? proxyProblem(proxy) : null;
  if (problem !== null) throw new UsageError(problem);
  const concurrency = positiveInt('--concurrency', raw.concurrency, 1, 256);
  const timeoutMs = seconds('--timeout', raw.timeout);
  const retries = positiveInt('--retries', raw.retries, 0, 10);
  const started = Date.now();
  const progress = process.stderr.isTTY && !opts.quiet;
  const kb = (): KbIndex => indexKb(loadKb({ warn: (m) => process.stderr.write(`exhunt: ${m}\n`) }).bundle);
  const targets = await fingerprintTargets(inputs, {
    concurrency,
    timeoutMs,
    retries,
    backoffMs: 500,
    insecure: raw.insecure === true,
    proxy,
    noProxy: raw.proxy !== undefined ? [] : noProxyFromEnv(),
    userAgent: `exhunt/${TOOL_VERSION} (fingerprint)`,
    asOf: opts.asOf,
    kb,
    onTarget: progress ? (t) => process.stderr.write(`exhunt: ${targetLine(t)}\n`) : undefined,
  });
  const report = fingerprintReport(targets, opts.asOf, (Date.now() - started) / 1000);
  const code = await emitReport(report, opts, fingerprintText(targets));
  if (allUnreachable(targets)) {
    if (!opts.quiet) process.stderr.write('exhunt: fingerprint: no target was reachable\n');
    return EXIT_FAILED;
  }
  return code;
}

export function registerFingerprint(program: Command): string[] {
  const cmd = program
    .command('fingerprint [targets...]')
    .description('remote, non-intrusive build detection: what any visitor of the OWA sign-in page sees')
    .option('--targets <file>', 'read targets from FILE, one host name or URL per line (# comments)')
    .option('--concurrency <n>', 'targets probed at the same time', '8')
    .option('--timeout <seconds>', 'per-request timeout', '10')
    .option('--retries <n>', 'retries on network errors and 5xx (exponential backoff)', '2')
    .option('--insecure', 'accept self-signed or otherwise untrusted TLS certificates', false)
    .option('--proxy <url>', 'http:// proxy for a CONNECT tunnel (default: HTTPS_PROXY, minus NO_PROXY)')
    .option('--upload', 'send the results to the fleet server (not available yet: issue #8)', false);
  addReportOptions(cmd).action(action(async (targets: string[], raw: Record<string, unknown>) => runFingerprint(targets, raw)));
  return ['fingerprint'];
}
