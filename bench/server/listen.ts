/**
 * Starts the real fleet server (`buildApp` from src/server/app.ts, dashboard included) on
 * 127.0.0.1:0 over a bench store, with the options `exhunt serve` uses by default (32 MiB
 * upload limit, 12 h sessions, 5 failed logins / 15 min), and logs the bench user in.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import type { FleetStore } from '../../src/server/store/types.js';
import { BENCH_PASSWORD, BENCH_USER } from './bench-db.js';

export interface Running {
  readonly app: FastifyInstance;
  readonly base: string;
  close(): Promise<void>;
}

export async function listen(store: FleetStore): Promise<Running> {
  const app = await buildApp({
    store, maxUploadBytes: 32 * 1024 * 1024, secureCookies: false, sessionTtlSeconds: 12 * 3600,
    loginLimit: { max: 5, windowSeconds: 15 * 60 }, trustProxy: false, asOf: () => '2026-11-27',
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: address, close: () => app.close() };
}

/** Logs in as the bench user; returns the Cookie header value. */
export async function loginCookie(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: BENCH_USER, password: BENCH_PASSWORD }) });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
  const set = r.headers.getSetCookie().find((c) => c.startsWith('exhunt_session='));
  if (set === undefined) throw new Error('login set no session cookie');
  return set.split(';')[0] ?? '';
}

export interface Child {
  readonly base: string;
  /** Stops the server; resolves with its CPU seconds and peak RSS (MB). */
  stop(): Promise<{ readonly serverCpuSeconds: number; readonly serverMaxRssMb: number } | null>;
}

/** Starts serve-child.ts on the bench database in `stateFile` and waits for its address. */
export function startChild(stateFile: string, pool = 10): Promise<Child> {
  const here = import.meta.dirname;
  const prof = process.env.BENCH_SERVER_CPU_PROF; // a folder: profile the server (--cpu-prof)
  const child = spawn(process.execPath, [...(prof !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), '--import', 'tsx', join(here, 'serve-child.ts'), '--state', stateFile, '--pool', String(pool)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`server exited (${String(code)}): ${err}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /LISTEN (\S+)/.exec(out);
      if (m?.[1] === undefined) return;
      child.removeAllListeners('exit');
      resolve({
        base: m[1],
        stop: () => new Promise((done) => {
          child.once('exit', () => {
            const line = err.trim().split('\n').pop() ?? '';
            try { done(JSON.parse(line) as { serverCpuSeconds: number; serverMaxRssMb: number }); } catch { done(null); }
          });
          child.kill('SIGTERM');
        }),
      });
    });
  });
}
