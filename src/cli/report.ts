/**
 * `exhunt report export REPORT.json --format stix|misp [--tlp LEVEL] [--output FILE]`: a
 * report's findings as a STIX 2.1 bundle or a MISP event, nothing above the chosen TLP
 * (default amber). The summary (what was exported, what was withheld) goes to stderr.
 *
 * `exhunt report upload FILE… --server URL (--token T | --user NAME) [--host NAME]`: each
 * report checked against the schema, then sent to the fleet server; one result line per file.
 */
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { Option, type Command } from 'commander';
import { exportMisp, exportStix } from '../iocs/export.js';
import { parseTlp } from '../iocs/normalize.js';
import { TLP_LEVELS } from '../iocs/types.js';
import { stripControl, terminalSafeJson } from '../report/escape.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';
import { loadReport } from './load-report.js';
import { addClientOptions } from './agent.js';
import type { ClientOptions } from '../agent/http-client.js';

export interface ReportExportOptions {
  format: 'stix' | 'misp';
  tlp: string;
  output?: string;
  producer?: string;
}

export async function runReportExport(file: string, opts: ReportExportOptions, write: (s: string) => void, note: (s: string) => void, now?: Date): Promise<number> {
  const tlp = parseTlp(opts.tlp);
  if (tlp === null) throw new UsageError(`--tlp must be one of ${TLP_LEVELS.join(', ')} (or white)`);
  const report = await loadReport(file);
  const o = { tlp, ...(opts.producer !== undefined ? { producer: opts.producer } : {}), ...(now !== undefined ? { now } : {}) };
  const r = opts.format === 'stix' ? exportStix(report, o) : exportMisp(report, o);
  const text = `${terminalSafeJson(JSON.stringify(r.document, null, 2))}\n`;
  if (opts.output !== undefined) await writeFile(opts.output, text, { mode: 0o600 });
  else write(text);
  note(`exhunt: exported ${r.sightings} matched indicator(s) and ${r.files} file(s) at TLP:${tlp.toUpperCase()}; ${r.withheld} finding(s) withheld (marked above TLP:${tlp.toUpperCase()})\n`);
  return EXIT_OK;
}

export interface ReportUploadOptions {
  server: string;
  token?: string;
  user?: string;
  host?: string;
  ca?: string;
  insecure?: boolean;
  proxy?: string;
  timeout?: string;
}

export interface UploadIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Where the password of --user comes from (a terminal: prompt without echo; else its first line). */
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_UPLOAD_IO: UploadIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), stdin: process.stdin, env: process.env };

/** The API token: --token, EXHUNT_TOKEN, or one made from --user and a password (POST /api/v1/tokens). */
async function uploadToken(opts: ReportUploadOptions, server: URL, io: UploadIo, client: ClientOptions): Promise<string> {
  const token = opts.token ?? (opts.user === undefined ? io.env.EXHUNT_TOKEN : undefined);
  if (token !== undefined && opts.user !== undefined) throw new UsageError('report upload: give --token or --user, not both');
  if (token !== undefined && token !== '') return token;
  if (opts.user === undefined) throw new UsageError('report upload: give --token TOKEN (or EXHUNT_TOKEN) or --user NAME');
  const { readPassword } = await import('../agent/password-input.js');
  const { createToken } = await import('../agent/fleet-api.js');
  const password = await readPassword(`password for ${opts.user} on ${server.host}`, { input: io.stdin as unknown as Readable, prompt: io.err });
  return createToken(server, opts.user, password, `exhunt report upload from ${hostname()}`, client);
}

export async function runReportUpload(files: string[], opts: ReportUploadOptions, io: UploadIo = PROCESS_UPLOAD_IO): Promise<number> {
  const { cleartextRemote, parseServerUrl } = await import('../agent/fleet-api.js');
  const { clientOptions } = await import('../agent/client-config.js');
  const { uploadFiles } = await import('../agent/upload.js');
  const server = parseServerUrl(opts.server);
  if (cleartextRemote(server)) io.err(`exhunt: warning: ${server.host} is plain HTTP; the token and reports cross the network unencrypted\n`);
  const client = clientOptions(opts, 'upload');
  const token = await uploadToken(opts, server, io, client);
  const results = await uploadFiles(files, opts.host, { server, token, client, retries: 2, backoffMs: 1000 }, (line) => io.out(`${stripControl(line)}\n`));
  const ok = results.filter((r) => r.kind === 'stored' || r.kind === 'duplicate').length;
  if (ok < results.length) io.err(`exhunt: ${results.length - ok} of ${results.length} report(s) not stored\n`);
  return ok === results.length ? EXIT_OK : EXIT_FAILED;
}

export function registerReport(program: Command): string[] {
  const report = program.command('report').description('work with a saved JSON report');
  report.command('export')
    .description('export the findings as a STIX 2.1 bundle or a MISP event, nothing above the chosen TLP')
    .argument('<report>', 'a JSON report (exhunt scan --format json)')
    .addOption(new Option('-f, --format <format>', 'export format').choices(['stix', 'misp']).makeOptionMandatory())
    .option('--tlp <level>', 'highest TLP exported (clear, green, amber, amber+strict, red)', 'amber')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--producer <name>', 'producer name in the export', 'exhunt')
    .action(action(async (file: string, opts: ReportExportOptions) =>
      runReportExport(file, opts, (s) => process.stdout.write(s), (s) => process.stderr.write(s))));
  addClientOptions(report.command('upload')
    .description('send saved JSON reports to the fleet server (each checked against the schema first)')
    .argument('<files...>', 'JSON reports (exhunt scan --format json)')
    .requiredOption('--server <url>', 'fleet server URL, e.g. https://fleet.example:8443')
    .option('--token <token>', 'API token (exu_…; default: EXHUNT_TOKEN)')
    .option('--user <name>', 'sign in as NAME instead (password at a prompt, or the first line of stdin)')
    .option('--host <name>', 'the server the reports are about (default: the report\'s target.hostname)'))
    .action(action(async (files: string[], opts: ReportUploadOptions) => runReportUpload(files, opts)));
  return ['report'];
}
