/**
 * A small fake fleet server for the agent tests (loopback only, node:http or node:https): the
 * enrolment, token and report routes of API v1 as the spec describes them, with scripted
 * failures (a status code, or dropping the connection) for the next report requests. It
 * records every request and counts what it stored, so tests can prove nothing was lost or
 * stored twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { validateReport } from '../../findings/schema.js';

/** A scripted answer for the next POST /api/v1/reports: an HTTP status, or `drop` (close the socket unanswered). */
export type Scripted = number | 'drop';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | null;
  readonly idempotencyKey: string | null;
  readonly sha256: string;
  readonly bytes: number;
  status: number | 'dropped';
}

export interface StoredReport {
  readonly id: string;
  readonly sha256: string;
  readonly server: string;
  readonly source: string;
  readonly body: Buffer;
}

export interface FakeFleetOptions {
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly maxBytes?: number;
  readonly enrolmentTokens?: readonly string[];
  /** name → password (role analyst). */
  readonly users?: Readonly<Record<string, string>>;
}

export interface FakeFleet {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Stored reports in arrival order (each body at most once). */
  readonly stored: StoredReport[];
  /** How often each body (by SHA-256) was answered 201. Never above 1. */
  readonly created: Map<string, number>;
  /** Agent credentials issued: credential → host name. */
  readonly agents: Map<string, string>;
  /** API tokens issued. */
  readonly tokens: Set<string>;
  /** Queues scripted answers for the next report requests. */
  script(...next: Scripted[]): void;
  close(): Promise<void>;
}

interface State {
  readonly o: Required<Pick<FakeFleetOptions, 'maxBytes'>> & FakeFleetOptions;
  readonly fleet: Omit<FakeFleet, 'url' | 'close' | 'script'>;
  readonly queue: Scripted[];
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.once('end', () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

function reports(s: State, req: IncomingMessage, res: ServerResponse, body: Buffer, rec: RecordedRequest): void {
  const who = bearer(req);
  const agentHost = who !== null ? s.fleet.agents.get(who) : undefined;
  if (who === null || (agentHost === undefined && !s.fleet.tokens.has(who))) return send(res, 401, { error: 'authentication required' });
  const doc = parse(body);
  if (doc === undefined) return send(res, 400, { error: 'body is not JSON', details: [] });
  const problems = validateReport(doc);
  if (problems.length > 0) return send(res, 400, { error: 'not a valid report', details: problems.map((p) => ({ path: p.split(':')[0] ?? '/', message: p })) });
  const prior = s.fleet.stored.find((r) => r.sha256 === rec.sha256);
  const named = (doc as { target: { hostname: string | null } }).target.hostname;
  const server = agentHost ?? rec.query.server ?? named ?? '';
  if (prior !== undefined) return send(res, 200, { reportId: prior.id, serverId: prior.server, duplicate: true, findings: 0 });
  const stored: StoredReport = { id: `r${s.fleet.stored.length + 1}`, sha256: rec.sha256, server, source: agentHost !== undefined ? 'agent' : (rec.query.source ?? 'upload'), body };
  s.fleet.stored.push(stored);
  s.fleet.created.set(rec.sha256, (s.fleet.created.get(rec.sha256) ?? 0) + 1);
  send(res, 201, { reportId: stored.id, serverId: server, duplicate: false, findings: (doc as { findings: unknown[] }).findings.length });
}

function enroll(s: State, res: ServerResponse, body: Buffer): void {
  const j = parse(body) as { token?: unknown; hostname?: unknown } | undefined;
  if (typeof j?.token !== 'string' || typeof j.hostname !== 'string') return send(res, 400, { error: 'token and hostname required' });
  if (!(s.o.enrolmentTokens ?? ['exe_good']).includes(j.token)) return send(res, 403, { error: 'invalid or expired enrolment token' });
  const credential = `exa_${randomBytes(32).toString('base64url')}`;
  s.fleet.agents.set(credential, j.hostname);
  send(res, 201, { agentId: `a${s.fleet.agents.size}`, credential, serverName: j.hostname });
}

function tokens(s: State, res: ServerResponse, body: Buffer): void {
  const j = parse(body) as { name?: unknown; password?: unknown } | undefined;
  const users = s.o.users ?? {};
  if (typeof j?.name !== 'string' || typeof j.password !== 'string' || users[j.name] !== j.password) return send(res, 401, { error: 'invalid name or password' });
  const token = `exu_${randomBytes(32).toString('base64url')}`;
  s.fleet.tokens.add(token);
  send(res, 201, { token });
}

async function handle(s: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const rec: RecordedRequest = {
    method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams),
    authorization: req.headers.authorization ?? null, idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
    sha256: '', bytes: 0, status: 0,
  };
  s.fleet.requests.push(rec);
  const body = await readBody(req, s.o.maxBytes);
  if (body === null) {
    rec.status = 413;
    return send(res, 413, { error: 'report too large' });
  }
  Object.assign(rec, { sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length });
  const isReports = req.method === 'POST' && url.pathname === '/api/v1/reports';
  const scripted = isReports ? s.queue.shift() : undefined;
  res.once('finish', () => { rec.status = res.statusCode; });
  if (scripted === 'drop') {
    rec.status = 'dropped';
    req.socket.destroy();
  } else if (scripted !== undefined) {
    send(res, scripted, { error: `scripted ${scripted}` }, scripted === 429 ? { 'retry-after': '1' } : {});
  } else if (isReports) reports(s, req, res, body, rec);
  else if (req.method === 'POST' && url.pathname === '/api/v1/agents/enroll') enroll(s, res, body);
  else if (req.method === 'POST' && url.pathname === '/api/v1/tokens') tokens(s, res, body);
  else send(res, 404, { error: 'not found' });
}

export async function startFakeFleet(o: FakeFleetOptions = {}): Promise<FakeFleet> {
  const fleet = { requests: [], stored: [], created: new Map<string, number>(), agents: new Map<string, string>(), tokens: new Set<string>() };
  const s: State = { o: { maxBytes: 1024 * 1024, ...o }, fleet, queue: [] };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(s, req, res).catch(() => send(res, 500, { error: 'fake server error' }));
  };
  const server: Server = o.tls !== undefined ? createHttpsServer({ key: o.tls.key, cert: o.tls.cert }, listener) : createHttpServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (c: Socket) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${o.tls !== undefined ? 'https' : 'http'}://127.0.0.1:${port}`,
    ...fleet,
    script: (...next) => { s.queue.push(...next); },
    close: () => new Promise<void>((r) => { for (const c of sockets) c.destroy(); server.close(() => r()); }),
  };
}
