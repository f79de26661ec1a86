/**
 * `exhunt ioc import FILE [--name N] [--tlp T]`, `exhunt ioc list [--format json]`,
 * `exhunt ioc remove NAME|ID`: the local store of IOC feeds ($EXHUNT_HOME/iocs), applied to
 * every scan. Import exits 2 on a bad feed and then has stored nothing.
 */
import { Option, type Command } from 'commander';
import { FeedError, TLP_LEVELS, type Tlp } from '../iocs/types.js';
import { defaultHome, importFeed, listFeeds, removeFeed, StoreError, type FeedMeta, type StoredFeed } from '../iocs/store.js';
import { parseTlp } from '../iocs/normalize.js';
import { oneLine, terminalSafeJson } from '../report/escape.js';
import { EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';

type Write = (s: string) => void;

async function asUsage<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof FeedError || e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  }
}

function counts(m: FeedMeta): string {
  return Object.entries(m.counts).map(([t, n]) => `${t} ${n}`).join(', ');
}

export async function runIocImport(home: string, file: string, opts: { name?: string; tlp?: string }, write: Write): Promise<number> {
  let tlp: Tlp | undefined;
  if (opts.tlp !== undefined) {
    const t = parseTlp(opts.tlp);
    if (t === null) throw new UsageError(`--tlp must be one of ${TLP_LEVELS.join(', ')} (or white)`);
    tlp = t;
  }
  const f: StoredFeed = await asUsage(importFeed(home, file, { ...(opts.name !== undefined ? { name: opts.name } : {}), ...(tlp !== undefined ? { tlp } : {}) }));
  const m = f.meta;
  const lines = [`Imported "${oneLine(m.name)}" (${m.id}, ${m.format}): ${f.indicators.length} indicator(s): ${counts(m)}; TLP ${m.tlp.join(', ')}`];
  if (f.unsupported.length > 0) lines.push(`${f.unsupported.length} not applied (unsupported or skipped):`);
  for (const u of f.unsupported.slice(0, 20)) lines.push(`  ${oneLine(u.sourceId)}: ${oneLine(u.reason)} (${oneLine(u.what.slice(0, 100))})`);
  if (f.unsupported.length > 20) lines.push(`  ... and ${f.unsupported.length - 20} more (exhunt ioc list --format json)`);
  write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

export async function runIocList(home: string, opts: { format: 'text' | 'json' }, write: Write, warn: Write): Promise<number> {
  const { feeds, errors } = await listFeeds(home);
  for (const e of errors) warn(`exhunt: ${oneLine(e.path)}: ${oneLine(e.message)}\n`);
  if (opts.format === 'json') {
    const out = feeds.map((f) => ({ ...f.meta, unsupportedItems: f.unsupported }));
    write(`${terminalSafeJson(JSON.stringify(out, null, 2))}\n`);
    return EXIT_OK;
  }
  if (feeds.length === 0) {
    write('No IOC feeds imported (exhunt ioc import FILE).\n');
    return EXIT_OK;
  }
  const lines: string[] = [];
  for (const { meta: m } of feeds) {
    lines.push(`${m.id}  ${oneLine(m.name)}  (${m.format}, TLP ${m.tlp.join('/')}, imported ${m.importedAt}, expires ${m.expires ?? 'never'})`);
    lines.push(`              from ${oneLine(m.file)} sha256 ${m.sha256}`);
    lines.push(`              ${counts(m)}${m.unsupported > 0 ? `; ${m.unsupported} not applied` : ''}`);
  }
  lines.push(`${feeds.length} feed(s), ${feeds.reduce((n, f) => n + f.indicators.length, 0)} indicator(s)`);
  write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

export async function runIocRemove(home: string, nameOrId: string, write: Write): Promise<number> {
  const m = await asUsage(removeFeed(home, nameOrId));
  write(`Removed "${oneLine(m.name)}" (${m.id}).\n`);
  return EXIT_OK;
}

export function registerIoc(program: Command): string[] {
  const ioc = program.command('ioc').description('the local store of IOC feeds (MSTIC CSV/JSON, STIX 2.1, MISP, plain lists), applied to every scan');
  const out: Write = (s) => process.stdout.write(s);
  ioc.command('import')
    .description('import a feed, detecting its format; all of it or nothing')
    .argument('<file>', 'the feed file')
    .option('--name <name>', 'feed name (default: the file name)')
    .option('--tlp <level>', 'TLP for indicators the feed does not mark (default amber)')
    .action(action(async (file: string, opts: { name?: string; tlp?: string }) => runIocImport(defaultHome(), file, opts, out)));
  ioc.command('list')
    .description('imported feeds with provenance, counts per type, TLP and expiry')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(action(async (opts: { format: 'text' | 'json' }) => runIocList(defaultHome(), opts, out, (s) => process.stderr.write(s))));
  ioc.command('remove')
    .description('remove an imported feed')
    .argument('<name-or-id>', 'feed name or id (see ioc list)')
    .action(action(async (n: string) => runIocRemove(defaultHome(), n, out)));
  return ['ioc'];
}
