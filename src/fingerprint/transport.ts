/**
 * One GET over node:net / node:tls / node:http, optionally through an HTTP proxy (CONNECT
 * tunnel), with one deadline for connect + TLS + response. Records the peer certificate.
 * Every request is checked against the allowed list (allowed.ts) before it is written.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { assertAllowed } from './allowed.js';
import { classify, ProbeError } from './errors.js';
import { proxyFor } from './proxy.js';
import type { FetchOptions, TargetSpec, TlsInfo } from './types.js';

/** Bodies are read up to this size; the pages we read are a few kilobytes. */
export const MAX_BODY = 1024 * 1024;
const DAY_MS = 86_400_000;

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly tls: TlsInfo | null;
}

function hostHeader(spec: TargetSpec): string {
  const h = isIP(spec.hostname) === 6 ? `[${spec.hostname}]` : spec.hostname;
  const dflt = spec.protocol === 'https:' ? 443 : 80;
  return spec.port === dflt ? h : `${h}:${spec.port}`;
}

function dn(x: Readonly<Record<string, string | string[] | undefined>> | undefined): string | null {
  if (x === undefined) return null;
  const parts = Object.entries(x).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : (v ?? '')}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

export function tlsInfoOf(cert: PeerCertificate | null, sock: TLSSocket, now: Date): TlsInfo | null {
  if (cert === null || Object.keys(cert).length === 0) return null;
  const to = new Date(cert.valid_to);
  const ok = !Number.isNaN(to.getTime());
  const err: unknown = sock.authorizationError;
  return {
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    validTo: ok ? to.toISOString() : null,
    daysLeft: ok ? Math.floor((to.getTime() - now.getTime()) / DAY_MS) : null,
    authorized: sock.authorized,
    authorizationError: err instanceof Error ? err.message : typeof err === 'string' ? err : null,
  };
}

function once<T>(emitter: Duplex, okEvent: string, pick: (...a: unknown[]) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    emitter.once(okEvent, (...a: unknown[]) => resolve(pick(...a)));
    emitter.once('error', reject);
  });
}

function tunnel(spec: TargetSpec, proxy: URL, track: (s: Duplex) => void): Promise<Socket> {
  const authority = `${spec.hostname.includes(':') ? `[${spec.hostname}]` : spec.hostname}:${spec.port}`;
  return new Promise<Socket>((resolve, reject) => {
    const req = httpRequest({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority },
      setHost: false,
    });
    req.once('socket', (s) => track(s));
    req.once('connect', (res, socket) => {
      track(socket);
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new ProbeError('network', `proxy ${proxy.host} refused the tunnel to ${authority}: HTTP ${res.statusCode ?? '?'}`, false));
      }
    });
    req.once('error', (e) => reject(classify(e, `proxy ${proxy.host}`)));
    req.end();
  });
}

async function openSocket(spec: TargetSpec, opts: FetchOptions, track: (s: Duplex) => void, now: Date): Promise<{ sock: Duplex; tls: TlsInfo | null }> {
  let tcp: Socket;
  const proxy = proxyFor(spec.hostname, opts.proxy, opts.noProxy);
  if (proxy !== null) {
    tcp = await tunnel(spec, new URL(proxy), track);
  } else {
    tcp = netConnect({ host: spec.hostname, port: spec.port });
    track(tcp);
    await once(tcp, 'connect', () => undefined).catch((e: unknown) => { throw classify(e, spec.hostname); });
  }
  track(tcp);
  if (spec.protocol === 'http:') return { sock: tcp, tls: null };
  const sock = tlsConnect({
    socket: tcp,
    host: spec.hostname, // the name the certificate is checked against (default would be localhost)
    servername: isIP(spec.hostname) === 0 ? spec.hostname : undefined,
    rejectUnauthorized: !opts.insecure,
    ca: opts.ca as string | string[] | undefined,
  });
  track(sock);
  await once(sock, 'secureConnect', () => undefined).catch((e: unknown) => { throw classify(e, spec.hostname); });
  return { sock, tls: tlsInfoOf(sock.getPeerCertificate(false), sock, now) };
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size >= MAX_BODY) return;
      chunks.push(c);
      size += c.length;
      if (size >= MAX_BODY) resolve(Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'));
    });
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}

async function exchange(spec: TargetSpec, path: string, opts: FetchOptions, track: (s: Duplex) => void, now: Date): Promise<RawResponse> {
  const headers = { Host: hostHeader(spec), 'User-Agent': opts.userAgent, Accept: '*/*', Connection: 'close' };
  assertAllowed('GET', path, Object.keys(headers));
  const { sock, tls } = await openSocket(spec, opts, track, now);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest({ createConnection: () => sock, method: 'GET', path, headers, setHost: false });
    req.once('response', resolve);
    req.once('error', (e) => reject(classify(e, spec.hostname)));
    req.end();
  });
  const body = await readBody(res).catch((e: unknown) => { throw classify(e, spec.hostname); });
  return { status: res.statusCode ?? 0, headers: res.headers, body, tls };
}

/** One GET of `path` on the target, within `opts.timeoutMs`; sockets are always closed. */
export async function getOnce(spec: TargetSpec, path: string, opts: FetchOptions, now: Date = new Date()): Promise<RawResponse> {
  const sockets: Duplex[] = [];
  const track = (s: Duplex): void => {
    if (sockets.includes(s)) return;
    sockets.push(s);
    s.on('error', () => {}); // errors are reported through the request; never an uncaught 'error' event
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeError('timeout', `${spec.hostname} did not answer GET ${path} within ${opts.timeoutMs / 1000}s`, true)), opts.timeoutMs);
  });
  try {
    const work = exchange(spec, path, opts, track, now);
    work.catch(() => {}); // a late failure after the deadline is already reported as the timeout
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    for (const s of sockets) s.destroy();
  }
}
