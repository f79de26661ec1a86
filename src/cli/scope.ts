/** `exhunt scope ROOT`: which mailboxes the attacker touched and took, per mailbox and per attacker address. */
import type { Command } from 'commander';
import { addReportOptions, readReportOptions, scanOptionsOf } from './common.js';
import { action } from './run.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit-report.js';
import { UsageError } from './errors.js';
import { parseSuspectIp } from '../engines/scope/identities.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function suspectIps(values: unknown): string[] {
  const list = Array.isArray(values) ? (values as string[]) : [];
  return list.map((v) => {
    const r = parseSuspectIp(v);
    if (!r.ok) throw new UsageError(`--suspect-ip: ${r.error}`);
    return r.value;
  });
}

function suspectUsers(values: unknown): string[] {
  const list = Array.isArray(values) ? (values as string[]) : [];
  return list.map((v) => {
    const u = v.trim();
    if (u === '') throw new UsageError('--suspect-user: empty name');
    return u;
  });
}

export function registerScope(program: Command): string[] {
  const cmd = program
    .command('scope <root>')
    .description('mailboxes touched and data taken, per attacker address (scan first, then the scope)')
    .option('--suspect-ip <address>', 'an attacker address or CIDR you know of (repeatable)', collect)
    .option('--suspect-user <name>', 'an account the attacker used (repeatable)', collect)
    .option('--exchange-path <path>', 'Exchange install folder when not in the default place (Windows or evidence path)')
    .option('--build <build>', 'Exchange build to assume when the evidence does not show it')
    .option('--max-scan-size <mb>', 'files above this size (MB) are hashed but not content-scanned', '20');
  addReportOptions(cmd).action(
    action(async (root: string, raw: Record<string, unknown>) => {
      const opts = readReportOptions(raw);
      const ips = suspectIps(raw.suspectIp);
      const users = suspectUsers(raw.suspectUser);
      const progress = createProgress(!opts.quiet);
      const { runScope } = await import('../engines/scope/run-scope.js');
      const report = await runScope(root, {
        ...scanOptionsOf(opts, raw),
        suspectIps: ips,
        suspectUsers: users,
      }, progress);
      progress.done();
      return emitReport(report, opts);
    }),
  );
  return ['scope'];
}
