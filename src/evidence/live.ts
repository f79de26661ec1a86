/**
 * Live Windows mode (`exhunt scan C:\` on the server itself): what the running system holds
 * that a collected tree would not need.
 *
 * - Event logs: the EventLog service keeps the `.evtx` files of active channels open without
 *   read sharing, so opening one fails (EBUSY, a sharing violation). Such a log is exported by
 *   the service itself — `wevtutil epl CHANNEL FILE` (Microsoft, "wevtutil",
 *   https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/wevtutil)
 *   — into a private temporary folder, read from there and removed with the folder at the end.
 *   A log that can be opened is read in place; one that can be neither read nor exported is an
 *   error entry naming it.
 * - Registry: the Exchange Setup key (install path `MsiInstallPath`, the `Msi*` build values)
 *   is exported with `reg export KEY FILE /y` (read-only for the registry) into the same folder
 *   and read as the `.reg` exports of a collected tree are.
 *
 * Nothing else is written: the temporary folder is the run's only trace besides its report.
 * The commands go through an injected runner, so all of this is tested on Linux.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandRunner } from '../platform/command.js';
import type { FoundPath } from './sources.js';
import type { ParseIssue } from '../parsers/types.js';

export interface LiveHost {
  readonly run: CommandRunner;
  /** True when the file can be opened for reading now. */
  canRead(abs: string): Promise<boolean>;
  /** The run's private temporary folder (made on first use). */
  tempDir(): Promise<string>;
  /** Removes the temporary folder and everything in it. */
  close(): Promise<void>;
}

/** Open errors that mean "held open by someone else", not "missing". */
const IN_USE = new Set(['EBUSY', 'EPERM', 'EACCES']);

export function createLiveHost(run: CommandRunner, parent = tmpdir()): LiveHost {
  let dir: Promise<string> | null = null;
  return {
    run,
    async canRead(abs) {
      try {
        const fh = await open(abs, 'r');
        await fh.close();
        return true;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (IN_USE.has(code)) return false;
        throw err;
      }
    },
    tempDir() {
      dir ??= mkdtemp(path.join(parent, 'exhunt-live-'));
      return dir;
    },
    async close() {
      if (dir !== null) await rm(await dir, { recursive: true, force: true });
      dir = null;
    },
  };
}

/**
 * The channel an `.evtx` file of `winevt\Logs` holds: the file name without `.evtx`, with `%4`
 * for `/` (`Microsoft-Windows-PowerShell%4Operational.evtx`).
 */
export function eventLogChannel(fileName: string): string {
  return fileName.replace(/\.evtx$/i, '').replace(/%4/g, '/');
}

function said(r: { stdout: string; stderr: string }): string {
  return `${r.stderr} ${r.stdout}`.replace(/\s+/g, ' ').trim().slice(0, 200);
}

let exportSeq = 0;

/**
 * The file to read for event log `file`: the file itself when it can be opened, else a fresh
 * export of its channel. Throws (with the command and its answer) when neither works.
 */
export async function readableEventLog(host: LiveHost, file: FoundPath): Promise<string> {
  if (await host.canRead(file.abs)) return file.abs;
  const channel = eventLogChannel(path.win32.basename(file.abs));
  const dest = path.join(await host.tempDir(), `evtx-${++exportSeq}.evtx`);
  const args = ['epl', channel, dest, '/ow:true'];
  const r = await host.run('wevtutil', args);
  if (r.code !== 0) throw new Error(`event log in use and its export failed: wevtutil ${args.join(' ')} exit ${r.code}: ${said(r)}`);
  return dest;
}

/** The Exchange Setup keys (2013 and later; 2010) as `reg export` names them. */
export const EXCHANGE_SETUP_KEYS = [
  'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup',
  'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup',
] as const;

/**
 * `reg export` of the Exchange Setup keys into the temporary folder, as `.reg` files for
 * discovery (evidence path `registry/HKLM/...`). A key that does not exist is skipped quietly
 * (no Exchange of that version); any other failure is an error entry.
 */
export async function exportExchangeSetup(host: LiveHost, onError: (e: ParseIssue) => void): Promise<FoundPath[]> {
  const out: FoundPath[] = [];
  for (const key of EXCHANGE_SETUP_KEYS) {
    const dest = path.join(await host.tempDir(), `${key.split('\\').slice(-2).join('-')}.reg`);
    const args = ['export', key, dest, '/y'];
    const r = await host.run('reg', args);
    const evidencePath = `registry/${key.replace(/\\/g, '/')}`;
    if (r.code === 0) out.push({ abs: dest, evidencePath });
    else if (!/unable to find|cannot find|not find the specified/i.test(said(r))) {
      onError({ path: evidencePath, line: null, message: `live registry not read: reg ${args.join(' ')} exit ${r.code}: ${said(r)}` });
    }
  }
  return out;
}
