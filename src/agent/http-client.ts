/**
 * The fleet server client's one request primitive: a JSON request over node:http / node:https,
 * optionally through an HTTP proxy (CONNECT tunnel; HTTPS_PROXY minus NO_PROXY, or --proxy),
 * with one deadline for connect + TLS + response, an extra trusted CA (--ca) and --insecure.
 * Network and TLS failures become a ClientError with a clear message (the TLS one says how to
 * trust the server); an HTTP answer of any status is a response, never an error.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { classify } from '../fingerprint/errors.js';
import { proxyFor } from '../fingerprint/proxy.js';

/** Answers are read up to this size (the API's answers are small JSON documents). */
export const MAX_ANSWER = 1024 * 1024;

export interface ClientOptions {
  /** Extra trusted CA certificates (PEM text). */
  readonly ca?: string | undefined;
  readonly insecure: boolean;
  /** Deadline for one request, connect to last byte of the answer. */
  readonly timeoutMs: number;
  /** `http://proxy:port` or null. */
  readonly proxy: string | null;
  readonly noProxy?: readonly string[];
  readonly userAgent: string;
}

export interface ClientResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
  /** The parsed JSON answer, or undefined when the answer is not JSON. */
  readonly json: unknown;
}

export type ClientErrorKind = 'dns' | 'refused' | 'tls' | 'timeout' | 'network';

/** A request that got no HTTP answer. All kinds but `tls` and `dns` are worth retrying later. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(readonly kind: ClientErrorKind, message: string) {
    super(message);
  }
}

const TLS_HINT = 'pass --ca FILE with the CA that issued the server certificate, or --insecure to accept a self-signed certificate';

function toClientError(err: unknown, where: string): ClientError {
  if (err instanceof ClientError) return err;
  const p = classify(err, where);
  const kind: ClientErrorKind = p.kind === 'dns' || p.kind === 'refused' || p.kind === 'tls' || p.kind === 'timeout' ? p.kind : 'network';
  const message = kind === 'tls' && /certificate|CERT|self.signed/i.test(p.message)
    ? `${p.message.replace(/ \(use --insecure[^)]*\)$/, '')} (${TLS_HINT})`
    : p.message;
  return new ClientError(kind, message);
}

function waitFor(s: Duplex, event: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    s.once(event, () => resolve());
    s.once('error', reject);
  });
}

function bareHost(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '');
}

function defaultPort(u: URL): number {
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}

function tunnel(target: URL, proxy: URL, track: (s: Duplex) => void): Promise<Socket> {
  const host = bareHost(target);
  const authority = `${host.includes(':') ? `[${host}]` : host}:${defaultPort(target)}`;
  return new Promise<Socket>((resolve, reject) => {
    const req = httpRequest({ host: bareHost(proxy), port: defaultPort(proxy), method: 'CONNECT', path: authority, headers: { host: authority }, setHost: false });
    req.once('socket', track);
    req.once('connect', (res, socket) => {
      track(socket);
      if (res.statusCode === 200) resolve(socket);
      else reject(new ClientError('network', `proxy ${proxy.host} refused the tunnel to ${authority}: HTTP ${res.statusCode ?? '?'}`));
    });
    req.once('error', (e) => reject(toClientError(e, `proxy ${proxy.host}`)));
    req.end();
  });
}

async function openSocket(target: URL, opts: ClientOptions, track: (s: Duplex) => void): Promise<Duplex> {
  const host = bareHost(target);
  const proxy = proxyFor(host, opts.proxy, opts.noProxy);
  let tcp: Socket;
  if (proxy !== null) {
    tcp = await tunnel(target, new URL(proxy), track);
  } else {
    tcp = netConnect({ host, port: defaultPort(target) });
    track(tcp);
    await waitFor(tcp, 'connect').catch((e: unknown) => { throw toClientError(e, target.host); });
  }
  if (target.protocol === 'http:') return tcp;
  const sock = tlsConnect({
    socket: tcp,
    host,
    servername: isIP(host) === 0 ? host : undefined,
    rejectUnauthorized: !opts.insecure,
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
  });
  track(sock);
  await waitFor(sock, 'secureConnect').catch((e: unknown) => { throw toClientError(e, target.host); });
  return sock;
}

function readAnswer(res: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size < MAX_ANSWER) chunks.push(c);
      size += c.length;
    });
    res.once('end', () => resolve(Buffer.concat(chunks).subarray(0, MAX_ANSWER).toString('utf8')));
    res.once('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function exchange(method: string, url: URL, body: Buffer | null, headers: Record<string, string>, opts: ClientOptions, track: (s: Duplex) => void): Promise<ClientResponse> {
  const sock = await openSocket(url, opts, track);
  const all: Record<string, string> = {
    Host: url.host,
    'User-Agent': opts.userAgent,
    Accept: 'application/json',
    Connection: 'close',
    ...(body !== null ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
    ...headers,
  };
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest({ createConnection: () => sock, method, path: `${url.pathname}${url.search}`, headers: all, setHost: false });
    req.once('response', resolve);
    req.once('error', (e) => reject(toClientError(e, url.host)));
    req.end(body ?? undefined);
  });
  const text = await readAnswer(res).catch((e: unknown) => { throw toClientError(e, url.host); });
  return { status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) };
}

/** One request; `body` is sent as JSON bytes exactly as given. Sockets are always closed. */
export async function request(method: 'GET' | 'POST', url: URL, body: Buffer | null, headers: Record<string, string>, opts: ClientOptions): Promise<ClientResponse> {
  const sockets: Duplex[] = [];
  const track = (s: Duplex): void => {
    if (sockets.includes(s)) return;
    sockets.push(s);
    s.on('error', () => {}); // reported through the request; never an uncaught 'error' event
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClientError('timeout', `${url.host} did not answer ${method} ${url.pathname} within ${opts.timeoutMs / 1000}s`)), opts.timeoutMs);
  });
  try {
    const work = exchange(method, url, body, headers, opts, track);
    work.catch(() => {}); // a late failure after the deadline is already reported as the timeout
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    for (const s of sockets) s.destroy();
  }
}
