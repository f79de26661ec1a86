/**
 * Commands whose capability is tracked in an open issue. They are listed in --help so the
 * command line is complete, and say plainly that they are not available yet (exit 2).
 */
import type { Command } from 'commander';
import { NotAvailableError } from './errors.js';
import { action } from './run.js';

interface Planned {
  readonly name: string;
  readonly args: string;
  readonly summary: string;
  readonly issue: number;
}

export const PLANNED: readonly Planned[] = [
  { name: 'serve', args: '', summary: 'the fleet server and its dashboard', issue: 8 },
  { name: 'user', args: '<add> <name>', summary: 'add a person (admin, analyst, viewer) to the fleet server', issue: 8 },
];

export function registerPlanned(program: Command, skip: ReadonlySet<string>): void {
  for (const p of PLANNED) {
    if (skip.has(p.name)) continue;
    program
      .command(`${p.name} ${p.args}`.trim())
      .description(`${p.summary} [not yet available: issue #${p.issue}]`)
      .allowUnknownOption(true)
      .action(
        action(() => {
          throw new NotAvailableError(`${p.name}: not available in this version yet (tracked in issue #${p.issue})`);
        }),
      );
  }
}
