/**
 * `exhunt agent enroll|run|status`: enrol this host with the fleet server, scan and upload on a
 * schedule (reports spooled on disk until the server has them), and show the enrolment and the
 * spool. Status lines go to stderr with a UTC time; nothing goes to stdout but `status`.
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { SEVERITIES, type Severity } from '../findings/types.js';
import { defaultHome } from '../iocs/store.js';
import { stripControl } from '../report/escape.js';
import { clientOptions, readCaFile, type ClientFlags } from '../agent/client-config.js';
import { credentialPath, readCredential, spoolDir, type AgentCredential } from '../agent/credential.js';
import { enrollAgent } from '../agent/enroll.js';
import { installAgentTask, InstallError, uninstallAgentTask, type InstallDeps } from '../agent/install.js';
import { isSingleExecutable, runCommand } from '../platform/command.js';
import { cleartextRemote, parseServerUrl } from '../agent/fleet-api.js';
import { runLoop, runOnce, sleepFor, type AgentRunDeps } from '../agent/run.js';
import { parseInterval } from '../agent/schedule.js';
import { rejectedDir, spoolStatus } from '../agent/spool.js';
import { maxScanBytes } from './common.js';
import { EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';
import { createProgress } from './progress.js';

/** Where status lines go; tests pass their own. */
export interface AgentIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_IO: AgentIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env };

function logger(io: AgentIo, quiet: boolean): (line: string) => void {
  return (line) => {
    if (!quiet || /^(upload failed|refused|the server refused|scan failed)/.test(line)) io.err(`${new Date().toISOString()} exhunt agent: ${stripControl(line)}\n`);
  };
}

function flags(raw: Record<string, unknown>): ClientFlags {
  return { ca: raw.ca as string | undefined, insecure: raw.insecure === true, proxy: raw.proxy as string | undefined, timeout: raw.timeout as string | undefined };
}

export async function runEnroll(raw: Record<string, unknown>, io: AgentIo = PROCESS_IO, home = homeOf(raw, io)): Promise<number> {
  const server = parseServerUrl(String(raw.server));
  if (cleartextRemote(server)) io.err(`exhunt: warning: ${server.host} is plain HTTP; the credential crosses the network unencrypted\n`);
  const f = flags(raw);
  const client = clientOptions({ ...f, ca: undefined }, 'agent');
  const r = await enrollAgent({
    server: server.href,
    token: String(raw.token),
    hostname: raw.hostname as string | undefined,
    home,
    ca: f.ca !== undefined ? readCaFile(f.ca) : undefined,
    insecure: f.insecure === true,
  }, client);
  io.err(`exhunt: enrolled ${r.credential.hostname} with ${server.origin} as agent ${stripControl(r.credential.agentId)} (server name ${stripControl(r.serverName)}); credential in ${r.file}\n`);
  return EXIT_OK;
}

/** --home, else $EXHUNT_HOME, else ~/.exhunt. */
function homeOf(raw: Record<string, unknown>, io: AgentIo): string {
  return typeof raw.home === 'string' && raw.home !== '' ? raw.home : defaultHome(io.env);
}

async function enrolled(raw: Record<string, unknown>, io: AgentIo): Promise<{ home: string; cred: AgentCredential }> {
  const home = homeOf(raw, io);
  const cred = await readCredential(home);
  if (cred === null) throw new UsageError(`this host is not enrolled (no ${credentialPath(home)}): run exhunt agent enroll --server URL --token T first`);
  return { home, cred };
}

function scanner(root: string, raw: Record<string, unknown>, quiet: boolean): AgentRunDeps['scan'] {
  const extra = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
  return async () => {
    const { runScan } = await import('../engines/scan/run-scan.js');
    const progress = createProgress(!quiet);
    try {
      return await runScan(root, {
        asOf: new Date().toISOString().slice(0, 10),
        raw: false,
        rules: extra(raw.rules),
        ioc: extra(raw.ioc),
        since: undefined,
        until: undefined,
        exchangePath: raw.exchangePath as string | undefined,
        build: raw.build as string | undefined,
        maxScanBytes: maxScanBytes(raw.maxScanSize),
      }, progress);
    } finally {
      progress.done();
    }
  };
}

export async function runAgent(root: string, raw: Record<string, unknown>, io: AgentIo = PROCESS_IO, scan?: AgentRunDeps['scan']): Promise<number> {
  const interval = parseInterval(typeof raw.interval === 'string' ? raw.interval : '6h');
  if (typeof interval === 'string') throw new UsageError(interval);
  maxScanBytes(raw.maxScanSize); // a bad value is a usage error now, not at the first scan
  const { home, cred } = await enrolled(raw, io);
  const quiet = raw.quiet === true;
  const deps: AgentRunDeps = {
    spool: spoolDir(home),
    credential: cred,
    client: clientOptions(flags(raw), 'agent', cred),
    scan: scan ?? scanner(root, raw, quiet),
    failOn: (raw.failOn as Severity | undefined) ?? 'medium',
    log: logger(io, quiet),
  };
  if (raw.once === true) {
    const { code, send } = await runOnce(deps);
    if (send.stopped !== null) io.err(`exhunt: upload failed; ${send.remaining} report(s) stay spooled in ${deps.spool} and are sent on the next run\n`);
    return code;
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runLoop({ ...deps, intervalMs: interval, sleep: sleepFor, signal: stop.signal, random: Math.random });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT_OK;
}

export async function runStatus(io: AgentIo = PROCESS_IO, raw: Record<string, unknown> = {}): Promise<number> {
  const home = homeOf(raw, io);
  const cred = await readCredential(home);
  const lines: string[] = [];
  if (cred === null) lines.push(`enrolment: not enrolled (no ${credentialPath(home)})`);
  else {
    lines.push(`enrolment: ${cred.hostname} as agent ${cred.agentId} with ${cred.server}${cred.enrolledAt !== undefined ? ` since ${cred.enrolledAt}` : ''}`);
    lines.push(`tls: ${cred.insecure === true ? 'certificate NOT checked (--insecure)' : cred.ca !== undefined ? 'checked against the CA given at enrolment' : 'checked against the system CAs'}`);
  }
  const spool = spoolDir(home);
  const s = await spoolStatus(spool);
  lines.push(`spool: ${s.count} report(s) waiting (${s.bytes} bytes)${s.oldest !== null ? `, oldest spooled ${s.oldest}` : ''} in ${spool}`);
  if (s.rejected > 0) lines.push(`rejected: ${s.rejected} report(s) refused by the server, with its reasons, in ${rejectedDir(spool)}`);
  io.out(`${lines.map((l) => stripControl(l)).join('\n')}\n`);
  return EXIT_OK;
}

/** The real host: commands through execFile (no shell), files through node:fs. */
export function hostInstallDeps(io: AgentIo, raw: Record<string, unknown>): InstallDeps {
  return {
    platform: process.platform,
    env: io.env,
    run: runCommand,
    isSea: isSingleExecutable(),
    execPath: process.execPath,
    script: process.argv[1],
    mkdir: async (d) => { await mkdir(d, { recursive: true }); },
    copyFile: (a, b) => copyFile(a, b),
    writeFile: (f, data) => writeFile(f, data, { mode: 0o600 }),
    remove: (p) => rm(p, { recursive: true, force: true }),
    enroll: async (home) => { await runEnroll(raw, io, home); },
    now: () => new Date(),
    log: (line) => io.err(`exhunt: ${stripControl(line)}\n`),
  };
}

export async function runInstall(raw: Record<string, unknown>, io: AgentIo = PROCESS_IO, deps: InstallDeps = hostInstallDeps(io, raw)): Promise<number> {
  const interval = parseInterval(typeof raw.interval === 'string' ? raw.interval : '6h');
  if (typeof interval === 'string') throw new UsageError(interval);
  parseServerUrl(String(raw.server));
  try {
    await installAgentTask({ intervalMs: interval, root: raw.root as string | undefined, exchangePath: raw.exchangePath as string | undefined }, deps);
  } catch (err) {
    if (err instanceof InstallError) throw new UsageError(err.message);
    throw err;
  }
  return EXIT_OK;
}

export async function runUninstall(raw: Record<string, unknown>, io: AgentIo = PROCESS_IO, deps: InstallDeps = hostInstallDeps(io, raw)): Promise<number> {
  try {
    await uninstallAgentTask(raw.purge === true, deps);
  } catch (err) {
    if (err instanceof InstallError) throw new UsageError(err.message);
    throw err;
  }
  return EXIT_OK;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** --ca, --insecure, --proxy, --timeout (shared by every command that talks to the fleet server). */
export function addClientOptions(cmd: Command): Command {
  return cmd
    .option('--ca <file>', 'PEM file of the CA that issued the fleet server certificate')
    .option('--insecure', 'do not check the fleet server certificate (self-signed; off by default)', false)
    .option('--proxy <url>', 'http:// proxy for a CONNECT tunnel (default: HTTPS_PROXY, minus NO_PROXY)')
    .option('--timeout <seconds>', 'per-request timeout', '120');
}

export function registerAgent(program: Command): string[] {
  const agent = program.command('agent').description('enrol this host with the fleet server; scan and upload on a schedule');
  addClientOptions(agent.command('enroll')
    .description('exchange an enrolment token for this host\'s agent credential ($EXHUNT_HOME/agent/agent.json)')
    .requiredOption('--server <url>', 'fleet server URL, e.g. https://fleet.example:8443')
    .requiredOption('--token <token>', 'enrolment token (exe_…) made by an admin')
    .option('--hostname <name>', 'name to enrol this host under (default: the machine name)'))
    .action(action(async (raw: Record<string, unknown>) => runEnroll(raw)));
  addClientOptions(agent.command('run <root>')
    .description('scan ROOT (as exhunt scan) and upload the report; spooled on disk until the server has it')
    .option('--once', 'one scan and one send round, then exit with the scan\'s exit code', false)
    .option('--interval <duration>', 'time between scans (30m, 6h, 1d)', '6h')
    .addOption(new Option('--fail-on <severity>', 'with --once: exit 1 when a finding is at or above SEVERITY').choices(SEVERITIES).default('medium'))
    .option('--exchange-path <path>', 'Exchange install folder when not in the default place')
    .option('--build <build>', 'Exchange build to assume when the evidence does not show it')
    .option('--max-scan-size <mb>', 'files above this size (MB) are hashed but not content-scanned', '20')
    .option('--rules <path>', 'extra rule file or folder (repeatable)', collect)
    .option('--ioc <file>', 'extra IOC file (repeatable)', collect)
    .option('-q, --quiet', 'only failures on stderr', false)
    .option('--home <dir>', 'state folder (default: $EXHUNT_HOME, else ~/.exhunt; the Windows task uses %ProgramData%\\exhunt)'))
    .action(action(async (root: string, raw: Record<string, unknown>) => runAgent(root, raw)));
  agent.command('status')
    .description('the enrolment and the reports waiting in the spool')
    .option('--home <dir>', 'state folder (default: $EXHUNT_HOME, else ~/.exhunt)')
    .action(action(async (raw: Record<string, unknown>) => runStatus(PROCESS_IO, raw)));
  addClientOptions(agent.command('install')
    .description('Windows: enrol this host and register a scheduled task that runs `agent run --once` as SYSTEM every interval, state in %ProgramData%\\exhunt')
    .requiredOption('--server <url>', 'fleet server URL, e.g. https://fleet.example:8443')
    .requiredOption('--token <token>', 'enrolment token (exe_…) made by an admin')
    .option('--hostname <name>', 'name to enrol this host under (default: the machine name)')
    .option('--interval <duration>', 'time between scans, whole minutes (30m, 6h, 1d)', '6h')
    .option('--root <path>', 'what the task scans (default: the system drive, e.g. C:\\)')
    .option('--exchange-path <path>', 'Exchange install folder when not in the default place'))
    .action(action(async (raw: Record<string, unknown>) => runInstall(raw)));
  agent.command('uninstall')
    .description('Windows: delete the scheduled task; --purge also deletes %ProgramData%\\exhunt (enrolment, unsent reports)')
    .option('--purge', 'also delete the state folder', false)
    .action(action(async (raw: Record<string, unknown>) => runUninstall(raw)));
  return ['agent'];
}
