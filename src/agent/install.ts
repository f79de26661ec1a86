/**
 * `exhunt agent install` / `uninstall` (Windows): enrols the host with its state in
 * `%ProgramData%\exhunt` and registers the scheduled task of win-task.ts; uninstall deletes the
 * task (and with `--purge` the state). Everything the host is asked to do goes through `deps`
 * (the command runner, the file system calls, enrolment), so the whole sequence is tested on
 * Linux; what was run on a real Windows server is listed in the README.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { joinWinArgs } from './win-args.js';
import { createTaskArgs, deleteTaskArgs, mustRun, restrictAclArgs, taskXml, taskXmlBytes, TASK_NAME, type TaskProgram } from './win-task.js';
import type { CommandRunner } from '../platform/command.js';

const win = path.win32;

export interface InstallDeps {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly run: CommandRunner;
  /** True when running as the single executable (then it is copied beside the state). */
  readonly isSea: boolean;
  /** process.execPath, and the bin script when run through node. */
  readonly execPath: string;
  readonly script: string | undefined;
  readonly mkdir: (dir: string) => Promise<void>;
  readonly copyFile: (from: string, to: string) => Promise<void>;
  readonly writeFile: (file: string, data: Buffer) => Promise<void>;
  readonly remove: (p: string) => Promise<void>;
  /** Enrols with the fleet server, writing the credential under `home`. */
  readonly enroll: (home: string) => Promise<void>;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export interface InstallOptions {
  readonly intervalMs: number;
  /** What the task scans (default: the system drive, e.g. `C:\`). */
  readonly root?: string;
  readonly exchangePath?: string;
}

export class InstallError extends Error {
  override readonly name = 'InstallError';
}

function requireWindows(deps: InstallDeps, what: string): void {
  if (deps.platform !== 'win32') {
    throw new InstallError(`agent ${what} manages a Windows scheduled task and runs on Windows only; elsewhere run \`exhunt agent run ROOT --once\` from a systemd timer or cron (README "Windows and the single executable")`);
  }
}

/** `%ProgramData%\exhunt`: the agent's state (credential, spool) and the executable it runs. */
export function stateDir(env: NodeJS.ProcessEnv): string {
  const pd = env.ProgramData ?? env.PROGRAMDATA ?? env.ALLUSERSPROFILE ?? 'C:\\ProgramData';
  return win.join(pd, 'exhunt');
}

function systemRoot(env: NodeJS.ProcessEnv): string {
  const d = (env.SystemDrive ?? env.SYSTEMDRIVE ?? 'C:').replace(/[\\/]+$/, '');
  return `${d}\\`;
}

/** Local time as the task schema's StartBoundary wants it (`2026-12-08T03:00:00`). */
function localStamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export async function installAgentTask(opts: InstallOptions, deps: InstallDeps): Promise<{ home: string; program: TaskProgram; args: string[] }> {
  requireWindows(deps, 'install');
  if (opts.intervalMs % 60_000 !== 0) throw new InstallError('--interval: the scheduled task repeats in whole minutes (e.g. 30m, 6h, 1d)');
  const home = stateDir(deps.env);
  // The folder first, cut down to SYSTEM and Administrators, then the credential and the program.
  await deps.mkdir(home);
  await mustRun(deps.run, 'icacls', restrictAclArgs(home));
  let program: TaskProgram;
  if (deps.isSea) {
    const exe = win.join(home, 'exhunt.exe');
    if (win.resolve(deps.execPath).toLowerCase() !== exe.toLowerCase()) await deps.copyFile(deps.execPath, exe);
    program = { command: exe, prefix: [] };
  } else {
    if (deps.script === undefined) throw new InstallError('cannot tell which script to run (process.argv[1] is empty)');
    program = { command: deps.execPath, prefix: [deps.script] };
    deps.log(`warning: the task runs ${deps.execPath} ${deps.script} as SYSTEM; make sure only administrators can change them (the single executable is copied into ${home} instead)`);
  }
  await deps.enroll(home);
  const args = ['agent', 'run', opts.root ?? systemRoot(deps.env), '--once', '--quiet', '--home', home];
  if (opts.exchangePath !== undefined) args.push('--exchange-path', opts.exchangePath);
  const xml = taskXml({
    program,
    args,
    intervalMs: opts.intervalMs,
    start: localStamp(new Date(deps.now().getTime() + 60_000)),
    description: 'exhunt agent: scans this Exchange server and uploads the report to the fleet server (exhunt agent uninstall removes this task)',
  });
  const tmp = win.join(home, `task-${randomBytes(6).toString('hex')}.xml`);
  await deps.writeFile(tmp, taskXmlBytes(xml));
  try {
    await mustRun(deps.run, 'schtasks', createTaskArgs(tmp));
  } finally {
    await deps.remove(tmp);
  }
  deps.log(`registered task "${TASK_NAME}" (as SYSTEM): ${joinWinArgs([program.command, ...program.prefix, ...args])}`);
  return { home, program, args };
}

export async function uninstallAgentTask(purge: boolean, deps: InstallDeps): Promise<void> {
  requireWindows(deps, 'uninstall');
  await mustRun(deps.run, 'schtasks', deleteTaskArgs());
  const home = stateDir(deps.env);
  if (purge) {
    await deps.remove(home);
    deps.log(`deleted task "${TASK_NAME}" and ${home}`);
  } else {
    deps.log(`deleted task "${TASK_NAME}"; the enrolment and any reports not yet sent stay in ${home} (--purge removes them)`);
  }
}
