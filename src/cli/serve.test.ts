/**
 * `exhunt serve`: listen-address parsing, the refusal of plain HTTP off loopback, and a real
 * start over HTTPS (a throwaway self-signed certificate from openssl; skipped without it) that
 * answers /healthz and shuts down cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLoopback, parseListen, refusal } from './serve.js';

const MAIN = join(import.meta.dirname, '..', 'server', 'http', 'testing', 'serve-main.ts');

test('parseListen', () => {
  assert.deepEqual(parseListen('127.0.0.1:8443'), { host: '127.0.0.1', port: 8443 });
  assert.deepEqual(parseListen('[::1]:9000'), { host: '::1', port: 9000 });
  assert.deepEqual(parseListen(':8443'), { host: '0.0.0.0', port: 8443 });
  for (const bad of ['8443', 'host:', 'host:99999', '::1:80', 'a b:1']) assert.throws(() => parseListen(bad), /--listen/, bad);
});

test('plain HTTP only on loopback unless --insecure-http', () => {
  for (const h of ['127.0.0.1', '127.5.5.5', '::1', 'localhost']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '192.0.2.1', '127.example.com']) assert.equal(isLoopback(h), false, h);
  assert.match(refusal({ host: '0.0.0.0', port: 80 }, false, false) ?? '', /unencrypted.*--tls-cert.*--insecure-http/s);
  assert.equal(refusal({ host: '0.0.0.0', port: 80 }, true, false), null);
  assert.equal(refusal({ host: '0.0.0.0', port: 80 }, false, true), null);
  assert.equal(refusal({ host: '127.0.0.1', port: 80 }, false, false), null);
});

function run(args: string[], env: NodeJS.ProcessEnv) {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('serve refuses 0.0.0.0 over plain HTTP (exit 2, says why)', async () => {
  const home = mkdtempSync(join(tmpdir(), 'exhunt-serve-'));
  try {
    const p = run(['--listen', '0.0.0.0:0'], { EXHUNT_HOME: home });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
    assert.equal(code, 2);
    assert.match(err, /refusing plain HTTP on 0\.0\.0\.0/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serve over HTTPS: prints the URL, answers, stops on SIGTERM', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'exhunt-serve-'));
  try {
    const key = join(home, 'key.pem');
    const cert = join(home, 'cert.pem');
    const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key,
      '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    if (ssl.status !== 0) {
      t.skip('openssl not available to make a test certificate');
      return;
    }
    const p = run(['--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key, '--log-level', 'warn'], { EXHUNT_HOME: home });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving (https:\/\/\S+)/.exec(out);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      p.on('close', () => reject(new Error(`serve exited early: ${out}`)));
    });
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(out, /no users yet/);
    const r = await get(`${url}healthz`);
    assert.deepEqual([r.status, r.body], [200, '{"ok":true}']);
    const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
    p.kill('SIGTERM');
    assert.equal(await closed, 0);
    assert.match(out, /shutting down/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
