/**
 * Programs exhunt runs on the host (Windows: schtasks, icacls, wevtutil, reg), always through a
 * `CommandRunner` so that tests inject their own and check the exact command lines.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
/** Runs a program with arguments (no shell); tests pass their own. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

/** Runs a program without a shell (Node quotes the arguments for Windows); output captured. */
export const runCommand: CommandRunner = (file, args) => {
  return new Promise((resolve) => {
    execFile(file, [...args], { windowsHide: true, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 127;
      resolve({ code, stdout, stderr: err !== null && stderr === '' ? err.message : stderr });
    });
  });
};

/** True inside the single executable (`npm run package`); node:sea exists from Node 20.12. */
export function isSingleExecutable(): boolean {
  try {
    const sea = createRequire(import.meta.url)('node:sea') as { isSea(): boolean };
    return sea.isSea();
  } catch {
    return false;
  }
}
