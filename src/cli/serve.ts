/**
 * `exhunt serve`: the fleet server (API + dashboard). SQLite in `--data` by default, PostgreSQL
 * with `--db postgres://…` (or EXHUNT_DB_URL, which keeps the password out of `ps`); HTTPS
 * with `--tls-cert/--tls-key`. Plain HTTP is refused on anything but a loopback address unless
 * `--insecure-http` says a TLS-terminating proxy is in front. Stops cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultHome } from '../iocs/store.js';
import { oneLine } from '../report/escape.js';
import { buildApp } from '../server/app.js';
import type { ServerOptions } from '../server/http/types.js';
import { openStore, SQLITE_FILE } from '../server/store/open.js';
import { EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';

export const DEFAULT_LISTEN = '127.0.0.1:8443';

export interface Listen { readonly host: string; readonly port: number }

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (all interfaces). */
export function parseListen(s: string): Listen {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(s.trim());
  const port = Number(m?.[3]);
  if (m === null || !Number.isInteger(port) || port > 65535) throw new UsageError(`serve: --listen takes HOST:PORT (e.g. ${DEFAULT_LISTEN} or [::1]:8443), not ${oneLine(s)}`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export interface ServeFlags {
  readonly listen: string;
  readonly data?: string;
  readonly db?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly insecureHttp?: boolean;
  readonly trustProxy?: string | boolean;
  readonly secureCookies?: boolean;
  readonly maxUploadMb: string;
  readonly sessionHours: string;
  readonly logLevel: string;
}

/** Why this configuration must not start (null when it may). */
export function refusal(listen: Listen, tls: boolean, insecureHttp: boolean): string | null {
  if (tls || insecureHttp || isLoopback(listen.host)) return null;
  return `serve: refusing plain HTTP on ${listen.host}: passwords, session cookies and agent credentials would cross the network unencrypted. `
    + 'Give --tls-cert FILE --tls-key FILE, or --insecure-http when a TLS-terminating proxy or load balancer sits in front (then also --trust-proxy and --secure-cookies).';
}

function positive(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`serve: ${what} must be a positive number, not ${oneLine(v)}`);
  return n;
}

function trustProxyOf(v: string | boolean | undefined): boolean | string {
  if (v === undefined || v === false) return false;
  return v === true || v === '' ? true : v;
}

function readTls(flags: ServeFlags): { key: Buffer; cert: Buffer } | undefined {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new UsageError('serve: --tls-cert and --tls-key go together');
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) return undefined;
  try {
    return { cert: readFileSync(flags.tlsCert), key: readFileSync(flags.tlsKey) };
  } catch (err) {
    throw new UsageError(`serve: cannot read the TLS certificate or key: ${oneLine(err instanceof Error ? err.message : String(err))}`);
  }
}

function urlOf(listen: Listen, port: number, tls: boolean): string {
  const host = listen.host === '0.0.0.0' || listen.host === '::' ? 'localhost' : listen.host;
  return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

/** Runs the server until SIGINT/SIGTERM; `ready` receives the URL once it listens. */
export async function runServe(flags: ServeFlags, ready: (url: string) => void = () => undefined): Promise<number> {
  const listen = parseListen(flags.listen);
  const https = readTls(flags);
  const why = refusal(listen, https !== undefined, flags.insecureHttp === true);
  if (why !== null) throw new UsageError(why);
  const dataDir = flags.data ?? join(defaultHome(), 'server');
  const url = flags.db ?? process.env.EXHUNT_DB_URL;
  const store = await openStore({ dataDir, ...(url !== undefined && url !== '' ? { url } : {}) });
  const opts: ServerOptions = {
    store, maxUploadBytes: Math.floor(positive(flags.maxUploadMb, '--max-upload-mb') * 1024 * 1024),
    secureCookies: https !== undefined || flags.secureCookies === true, sessionTtlSeconds: Math.floor(positive(flags.sessionHours, '--session-hours') * 3600),
    loginLimit: { max: 5, windowSeconds: 15 * 60 }, trustProxy: trustProxyOf(flags.trustProxy),
  };
  let app;
  try {
    app = await buildApp(opts, { ...(https !== undefined ? { https } : {}), logger: { level: flags.logLevel, stream: process.stderr } });
    await app.listen({ host: listen.host, port: listen.port });
  } catch (err) {
    await app?.close();
    await store.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : listen.port;
  const where = store.dialect === 'postgres' ? 'PostgreSQL' : `SQLite ${join(dataDir, SQLITE_FILE)}`;
  const served = urlOf(listen, port, https !== undefined);
  const hint = await store.countUsers() === 0 ? 'exhunt: no users yet: add the first admin with `exhunt user add NAME --role admin`\n' : '';
  process.stdout.write(`exhunt: serving ${served} (${oneLine(where)})\n${hint}`);
  ready(served);
  const started = app;
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      process.stdout.write(`exhunt: ${sig}: shutting down\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void started.close().then(() => store.close()).then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT_OK;
}

export function registerServe(program: Command): string[] {
  program.command('serve')
    .description('the fleet server: JSON API (/api/v1) and dashboard; SQLite by default, PostgreSQL with --db')
    .option('--listen <host:port>', 'address to listen on', DEFAULT_LISTEN)
    .option('--data <dir>', 'data folder (SQLite database), default $EXHUNT_HOME/server')
    .option('--db <url>', 'PostgreSQL URL postgres://… (or set EXHUNT_DB_URL)')
    .option('--tls-cert <file>', 'PEM certificate (chain): serve HTTPS')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--insecure-http', 'allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)')
    .option('--trust-proxy [proxies]', 'trust X-Forwarded-For/-Proto from a load balancer (all, or the given addresses/CIDRs, comma-separated)')
    .option('--secure-cookies', 'mark cookies Secure although this process speaks HTTP (TLS ends at the proxy)')
    .option('--max-upload-mb <n>', 'largest report upload accepted', '32')
    .option('--session-hours <n>', 'browser session lifetime', '12')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(action(async (raw: ServeFlags) => runServe(raw)));
  return ['serve'];
}

export const register = registerServe;
