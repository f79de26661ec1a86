/**
 * `exhunt user add NAME --role admin|analyst|viewer [--data DIR] [--db URL]` and
 * `exhunt user list`: the people of the fleet server, straight in its database (the first
 * admin is created this way). The password is typed twice at a prompt without echo, or read
 * from the first line of stdin when stdin is not a terminal.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { defaultHome } from '../iocs/store.js';
import { oneLine, terminalSafeJson } from '../report/escape.js';
import { openStore, SQLITE_FILE } from '../server/store/open.js';
import { MIN_PASSWORD_LENGTH, userNameProblem } from '../server/store/people.js';
import { StoreError } from '../server/store/context.js';
import { ROLES, type Actor, type FleetStore, type Role } from '../server/store/types.js';
import { EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';

type Write = (s: string) => void;

export interface DbOptions {
  readonly data?: string;
  readonly db?: string;
}

/** The server's data folder: --data, else $EXHUNT_HOME/server. */
export function serverDataDir(opts: DbOptions, env: NodeJS.ProcessEnv = process.env): string {
  return opts.data ?? join(defaultHome(env), 'server');
}

/** Where the store lives, for messages: the SQLite file, or the PostgreSQL host and database (never the password). */
export function describeStore(opts: DbOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.db === undefined || opts.db === '') return join(serverDataDir(opts, env), SQLITE_FILE);
  try {
    const u = new URL(opts.db);
    return `postgresql://${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** Reads a line without echo from a terminal; Ctrl-C or Ctrl-D on an empty line cancels. */
export function promptHidden(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf: string[] = [];
    const finish = (err: Error | null): void => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (err !== null) reject(err);
      else resolve(buf.join(''));
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003' || (ch === '\u0004' && buf.length === 0)) return finish(new UsageError('cancelled'));
        if (ch === '\u0004') return finish(null);
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else if (ch >= ' ') buf.push(ch);
      }
    };
    output.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** The first line of a non-terminal stdin (at most 64 KiB read), without its line ending. */
export async function firstLineOf(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n') || text.length > 65536) break;
  }
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/** A new password: typed twice at a terminal prompt, or the first line of stdin. */
export async function readNewPassword(): Promise<string> {
  if (process.stdin.isTTY !== true) return firstLineOf();
  const first = await promptHidden('Password: ');
  if ([...first].length < MIN_PASSWORD_LENGTH) return first;
  const second = await promptHidden('Password again: ');
  if (first !== second) throw new UsageError('the two passwords differ; nothing was changed');
  return first;
}

function cliActor(): Actor {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // no passwd entry (containers): keep 'unknown'
  }
  return { kind: 'system', id: null, name: `cli:${who}` };
}

async function withStore<T>(opts: DbOptions, fn: (s: FleetStore) => Promise<T>): Promise<T> {
  const store = await openStore({ ...(opts.db !== undefined ? { url: opts.db } : {}), dataDir: serverDataDir(opts) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function runUserAdd(name: string, opts: DbOptions & { role: Role }, readPassword: () => Promise<string>, write: Write): Promise<number> {
  const problem = userNameProblem(name);
  if (problem !== null) throw new UsageError(problem);
  return withStore(opts, async (store) => {
    if ((await store.listUsers()).some((u) => u.name.toLowerCase() === name.toLowerCase())) {
      throw new UsageError(`user "${oneLine(name)}" already exists; nothing was changed`);
    }
    const password = await readPassword();
    if ([...password].length < MIN_PASSWORD_LENGTH) throw new UsageError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters; nothing was changed`);
    try {
      const u = await store.addUser(name, opts.role, password, cliActor());
      write(`Added user "${oneLine(u.name)}" (role ${u.role}) to ${oneLine(describeStore(opts))}.\n`);
    } catch (err) {
      if (err instanceof StoreError) throw new UsageError(`${err.message}; nothing was changed`);
      throw err;
    }
    return EXIT_OK;
  });
}

export async function runUserList(opts: DbOptions & { format: 'text' | 'json' }, write: Write): Promise<number> {
  return withStore(opts, async (store) => {
    const users = await store.listUsers();
    if (opts.format === 'json') {
      write(`${terminalSafeJson(JSON.stringify(users.map((u) => ({ name: u.name, role: u.role, createdAt: u.createdAt, disabled: u.disabled })), null, 2))}\n`);
      return EXIT_OK;
    }
    if (users.length === 0) {
      write(`No users in ${oneLine(describeStore(opts))} (exhunt user add NAME --role admin).\n`);
      return EXIT_OK;
    }
    for (const u of users) write(`${oneLine(u.name).padEnd(24)} ${u.role.padEnd(8)} created ${u.createdAt}${u.disabled ? '  (disabled)' : ''}\n`);
    write(`${users.length} user(s) in ${oneLine(describeStore(opts))}\n`);
    return EXIT_OK;
  });
}

function dbOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'the server data folder (default $EXHUNT_HOME/server)')
    .option('--db <url>', 'a postgres:// URL instead of the SQLite file in the data folder');
}

export function registerUser(program: Command): string[] {
  const user = program.command('user').description('the people of the fleet server (admin, analyst, viewer)');
  const out: Write = (s) => process.stdout.write(s);
  dbOptions(user.command('add')
    .description('add a person; the password is typed at a prompt (twice, no echo) or read from the first line of stdin')
    .argument('<name>', 'user name (letters, digits, . _ @ -)')
    .addOption(new Option('--role <role>', 'what the person may do').choices([...ROLES]).makeOptionMandatory()))
    .action(action(async (name: string, opts: DbOptions & { role: Role }) => runUserAdd(name, opts, readNewPassword, out)));
  dbOptions(user.command('list')
    .description('the users of the fleet server')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text')))
    .action(action(async (opts: DbOptions & { format: 'text' | 'json' }) => runUserList(opts, out)));
  return ['user'];
}
