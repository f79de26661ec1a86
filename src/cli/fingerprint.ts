/**
 * `exhunt fingerprint TARGET… [--targets FILE] [--concurrency N] [--timeout S] [--retries N]
 * [--insecure] [--proxy URL] [--upload URL --token T]`: remote, non-intrusive build detection
 * of Exchange front ends; with --upload, one report per target is sent to the fleet server.
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
import { EXIT_FAILED, UsageError } from './errors.js';
import type { Report } from '../findings/types.js';
import type { TargetReport } from '../fingerprint/types.js';
import type { UploadTarget } from '../agent/upload.js';
import { stripControl } from '../report/escape.js';

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

/** --upload URL --token T (or EXHUNT_TOKEN), checked before any target is probed; null without --upload. */
async function uploadTarget(raw: Record<string, unknown>): Promise<UploadTarget | null> {
  if (typeof raw.upload !== 'string') {
    if (raw.token !== undefined) throw new UsageError('fingerprint: --token is for --upload URL');
    return null;
  }
  const token = (raw.token as string | undefined) ?? process.env.EXHUNT_TOKEN ?? '';
  if (token === '') throw new UsageError('fingerprint --upload: give --token TOKEN (an API token, exu_…; or EXHUNT_TOKEN)');
  const { cleartextRemote, parseServerUrl } = await import('../agent/fleet-api.js');
  const { clientOptions } = await import('../agent/client-config.js');
  const server = parseServerUrl(raw.upload);
  if (cleartextRemote(server)) process.stderr.write(`exhunt: warning: ${server.host} is plain HTTP; the token and results cross the network unencrypted\n`);
  const client = clientOptions({ ca: raw.uploadCa as string | undefined, insecure: raw.uploadInsecure === true }, 'fingerprint upload');
  return { server, token, client, retries: 2, backoffMs: 1000 };
}

/** Sends one report per target; false when some upload was refused or failed. */
async function upload(report: Report, targets: readonly TargetReport[], to: UploadTarget, quiet: boolean): Promise<boolean> {
  const { uploadTargets } = await import('../agent/fingerprint-upload.js');
  const done = await uploadTargets(report, targets, to, (line) => {
    if (!quiet || /upload (refused|failed)/.test(line)) process.stderr.write(`exhunt: ${stripControl(line)}\n`);
  });
  return done.every((d) => d.result === null || d.result.kind === 'stored' || d.result.kind === 'duplicate');
}

async function runFingerprint(args: string[], raw: Record<string, unknown>): Promise<number> {
  const to = await uploadTarget(raw);
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
  const uploaded = to === null || (await upload(report, targets, to, opts.quiet));
  if (allUnreachable(targets)) {
    if (!opts.quiet) process.stderr.write('exhunt: fingerprint: no target was reachable\n');
    return EXIT_FAILED;
  }
  if (!uploaded) {
    process.stderr.write('exhunt: fingerprint --upload: some results were not stored by the fleet server\n');
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
    .option('--upload <url>', 'send one report per target to the fleet server at URL (source fingerprint)')
    .option('--token <token>', 'with --upload: API token (exu_…; default: EXHUNT_TOKEN)')
    .option('--upload-ca <file>', 'with --upload: PEM file of the CA that issued the fleet server certificate')
    .option('--upload-insecure', 'with --upload: do not check the fleet server certificate', false);
  addReportOptions(cmd).action(action(async (targets: string[], raw: Record<string, unknown>) => runFingerprint(targets, raw)));
  return ['fingerprint'];
}
