
/** exhunt's command line: one file per command; this file only assembles them. */
import { Command } from 'commander';
import { TOOL_VERSION } from '../version.js';
import { registerPlanned } from './planned.js';
import { registerScan } from './scan.js';
import { registerParse } from './parse.js';
import { registerHunt } from './hunt.js';
import { registerPosture } from './posture.js';
import { registerKb } from './kb.js';
import { registerRules } from './rules.js';
import { registerQuarantine } from './quarantine.js';
import { registerRestore } from './restore.js';
import { registerVault } from './vault.js';
import { registerFingerprint } from './fingerprint.js';
import { registerBaseline } from './baseline.js';
import { registerIoc } from './ioc.js';
import { registerReport } from './report.js';

export function buildProgram(): Command {
  const program = new Command('exhunt')
    .description('Hunts on-premises Microsoft Exchange servers: exposure, exploitation, planted files, clean-up.')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run exhunt --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.exitOverride((err) => {
    // commander's own exits: help/version are 0, usage errors are 2 (DESIGN.md).
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
  const registered = new Set<string>();
  for (const reg of [
    registerScan,
    registerPosture,
    registerHunt,
    registerParse,
    registerRules,
    registerKb,
    registerQuarantine,
    registerRestore,
    registerVault,
    registerFingerprint,
    registerBaseline,
    registerIoc,
    registerReport,
  ]) {
    for (const name of reg(program)) registered.add(name);
  }
  registerPlanned(program, registered);
  return program;
}


