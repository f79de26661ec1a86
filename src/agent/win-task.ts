/**
 * `exhunt agent install|uninstall` on Windows: a Task Scheduler task that runs `agent run ROOT
 * --once` as SYSTEM every interval, with the agent's state in `%ProgramData%\exhunt` (its ACL
 * cut down to SYSTEM and Administrators before anything is written there, since ProgramData
 * folders are readable — and creatable — by every user by default).
 *
 * The task is registered from an XML definition (`schtasks /Create /XML`) rather than `/TR`:
 * `/TR` is limited to 261 characters and takes one command-line string, while the XML keeps the
 * program and its arguments apart and states the principal (S-1-5-18, LocalSystem), the run
 * level and what happens when a run is still going (IgnoreNew). Schema: Microsoft's "Task
 * Scheduler Schema" (https://learn.microsoft.com/en-us/windows/win32/taskschd/task-scheduler-schema).
 * Every command goes through an injected runner, so the command lines are tested on Linux.
 */
import type { CommandResult, CommandRunner } from '../platform/command.js';
import { joinWinArgs } from './win-args.js';

export const TASK_NAME = 'exhunt agent';
/** LocalSystem; Administrators (for the state folder's ACL). */
const SID_SYSTEM = 'S-1-5-18';
const SID_ADMINS = 'S-1-5-32-544';


/** The program the task starts: the single executable, or node with the bin script. */
export interface TaskProgram {
  readonly command: string;
  /** Arguments before `agent run` (the script path for `node bin/exhunt.js`). */
  readonly prefix: readonly string[];
}

export interface TaskSpec {
  readonly program: TaskProgram;
  /** Arguments after the program (`agent run C:\ --once --home ...`). */
  readonly args: readonly string[];
  readonly intervalMs: number;
  /** ISO local time of the first run (`2026-01-01T00:00:00`). */
  readonly start: string;
  readonly description: string;
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An interval as an XML duration (`PT6H`, `P1D`, `PT30M`): whole minutes only. */
export function xmlDuration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min % 1440 === 0) return `P${min / 1440}D`;
  if (min % 60 === 0) return `PT${min / 60}H`;
  return `PT${min}M`;
}

/**
 * The task definition. The time trigger repeats every interval with no end; a run still going
 * when the next is due makes the next one wait its turn (IgnoreNew); a run is stopped after a
 * day; runs missed while the server was off start as soon as it is up (StartWhenAvailable).
 */
export function taskXml(spec: TaskSpec): string {
  const args = joinWinArgs([...spec.program.prefix, ...spec.args]);
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>${xmlText(spec.description)}</Description>
    <URI>\\${xmlText(TASK_NAME)}</URI>
  </RegistrationInfo>
  <Triggers>
    <TimeTrigger>
      <Repetition>
        <Interval>${xmlDuration(spec.intervalMs)}</Interval>
        <StopAtDurationEnd>false</StopAtDurationEnd>
      </Repetition>
      <StartBoundary>${xmlText(spec.start)}</StartBoundary>
      <Enabled>true</Enabled>
    </TimeTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${SID_SYSTEM}</UserId>
      <RunLevel>HighestAvailable</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <ExecutionTimeLimit>P1D</ExecutionTimeLimit>
    <Priority>7</Priority>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xmlText(spec.program.command)}</Command>
      <Arguments>${xmlText(args)}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}

/** What schtasks reads: UTF-16 little-endian with a byte order mark, as the declaration says. */
export function taskXmlBytes(xml: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace(/\r?\n/g, '\r\n'), 'utf16le')]);
}

/** `icacls DIR` arguments: no inherited entries; SYSTEM and Administrators get full control. */
export function restrictAclArgs(dir: string): string[] {
  return [dir, '/inheritance:r', '/grant:r', `*${SID_SYSTEM}:(OI)(CI)F`, `*${SID_ADMINS}:(OI)(CI)F`];
}

export function createTaskArgs(xmlFile: string): string[] {
  return ['/Create', '/TN', TASK_NAME, '/XML', xmlFile, '/F'];
}

export function deleteTaskArgs(): string[] {
  return ['/Delete', '/TN', TASK_NAME, '/F'];
}

export function queryTaskArgs(): string[] {
  return ['/Query', '/TN', TASK_NAME, '/XML'];
}

/** Runs a command; a non-zero exit is an error that names the command and what it said. */
export async function mustRun(run: CommandRunner, file: string, args: readonly string[]): Promise<CommandResult> {
  const r = await run(file, args);
  if (r.code !== 0) {
    const said = `${r.stderr}\n${r.stdout}`.replace(/\s+/g, ' ').trim().slice(0, 300);
    throw new Error(`${file} ${joinWinArgs(args)} failed with exit code ${r.code}${said !== '' ? `: ${said}` : ''}`);
  }
  return r;
}
