/**
 * exhunt's command line: one file per command; this file only assembles them. A run that names
 * a command loads only that command's module (start-up stays short: `parse` and `scan` do not
 * load the fleet, fingerprint or vault code); `--help` and anything unknown load them all.
 */
import type { Command as CommandType } from 'commander';
import { Command } from 'commander';
import { TOOL_VERSION } from '../version.js';

type Register = (program: CommandType) => string[];

/** Command name → how to load its registration (in the order --help lists them). */
const COMMANDS: readonly (readonly [string, () => Promise<Register>])[] = [
  ['scan', async () => (await import('./scan.js')).registerScan],
  ['posture', async () => (await import('./posture.js')).registerPosture],
  ['hunt', async () => (await import('./hunt.js')).registerHunt],
  ['parse', async () => (await import('./parse.js')).registerParse],
  ['rules', async () => (await import('./rules.js')).registerRules],
  ['kb', async () => (await import('./kb.js')).registerKb],
  ['quarantine', async () => (await import('./quarantine.js')).registerQuarantine],
  ['restore', async () => (await import('./restore.js')).registerRestore],
  ['vault', async () => (await import('./vault.js')).registerVault],
  ['fingerprint', async () => (await import('./fingerprint.js')).registerFingerprint],
  ['baseline', async () => (await import('./baseline.js')).registerBaseline],
  ['ioc', async () => (await import('./ioc.js')).registerIoc],
  ['report', async () => (await import('./report.js')).registerReport],
  ['agent', async () => (await import('./agent.js')).registerAgent],
  ['timeline', async () => (await import('./timeline.js')).registerTimeline],
  ['scope', async () => (await import('./scope.js')).registerScope],
  ['user', async () => (await import('./user.js')).registerUser],
  ['serve', async () => (await import('./serve.js')).registerServe],
];

/** The program with every command, or only `only` when it names one. */
export async function buildProgram(only?: string): Promise<CommandType> {
  const program = new Command('exhunt')
    .description('Hunts on-premises Microsoft Exchange servers: exposure, exploitation, planted files, clean-up.')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run exhunt --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.exitOverride((err) => {
    // commander's own exits: help/version are 0, usage errors are 2 (DESIGN.md).
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
  const chosen = COMMANDS.filter(([name]) => name === only);
  for (const [, load] of chosen.length > 0 ? chosen : COMMANDS) (await load())(program);
  return program;
}
