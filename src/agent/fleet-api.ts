/**
 * The fleet server's API v1 as the agent and the upload commands use it: enrolment, API tokens
 * and report uploads. Each answer is turned into a plain outcome; what is worth retrying
 * (network errors, 5xx, 408, 429) is kept apart from what the server refused for good.
 */
import { createHash } from 'node:crypto';
import { ClientError, request, type ClientOptions, type ClientResponse } from './http-client.js';

export class FleetError extends Error {
  override readonly name = 'FleetError';
}

/** The server's base URL (http/https, no credentials, no query), always ending in `/`. */
export function parseServerUrl(text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new FleetError(`--server: not a URL: ${text.slice(0, 200)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new FleetError(`--server: expected an https:// (or http://) URL, got ${u.protocol}`);
  if (u.username !== '' || u.password !== '') throw new FleetError('--server: credentials in the URL are not supported');
  if (u.search !== '' || u.hash !== '') throw new FleetError('--server: the URL must not carry a query or fragment');
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

/** True for a plain-HTTP server that is not on this machine (secrets would cross the network in clear). */
export function cleartextRemote(server: URL): boolean {
  return server.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(server.hostname);
}

export function apiUrl(server: URL, path: string, query: Readonly<Record<string, string | undefined>> = {}): URL {
  const u = new URL(`api/v1/${path}`, server);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, v);
  return u;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The server's `error` text (and the first details), cut to one printable line. */
export function errorText(res: ClientResponse): string {
  const j = res.json as { error?: unknown; details?: unknown } | undefined;
  let msg = typeof j?.error === 'string' ? j.error : res.text.slice(0, 200);
  if (Array.isArray(j?.details)) {
    const d = (j.details as unknown[]).slice(0, 3).map((x) => {
      const o = x as { path?: unknown; message?: unknown } | null;
      return `${typeof o?.path === 'string' ? o.path : ''} ${typeof o?.message === 'string' ? o.message : ''}`.trim();
    });
    if (d.length > 0) msg += `: ${d.join('; ')}`;
  }
  return `HTTP ${res.status}${msg !== '' ? ` ${msg}` : ''}`.replace(/\s+/g, ' ').slice(0, 500);
}

function retryAfterMs(res: ClientResponse): number | undefined {
  const v = res.headers['retry-after'];
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 86_400) * 1000 : undefined;
}

export interface Stored {
  readonly reportId: string;
  readonly serverId: string;
  readonly findings: number;
}

export type UploadOutcome =
  | { readonly kind: 'stored'; readonly reportId: string; readonly serverId: string; readonly findings: number }
  | { readonly kind: 'duplicate'; readonly reportId: string; readonly serverId: string; readonly findings: number }
  /** Refused for good (4xx other than 401/403/404/405/408/429): the report will never be accepted as it is. */
  | { readonly kind: 'refused'; readonly status: number; readonly error: string; readonly answer: unknown }
  /** Refused because of who sent it (401/403): the report itself may be fine. */
  | { readonly kind: 'unauthorized'; readonly status: number; readonly error: string }
  /** Worth another attempt later: network error, 5xx, 408, 429, and 404/405 (wrong or half-deployed server). */
  | { readonly kind: 'retry'; readonly error: string; readonly retryAfterMs?: number | undefined };

function stored(res: ClientResponse): Stored {
  const j = (res.json ?? {}) as { reportId?: unknown; serverId?: unknown; findings?: unknown };
  const findings = typeof j.findings === 'number' ? j.findings : Array.isArray(j.findings) ? j.findings.length : 0;
  const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return { reportId: str(j.reportId), serverId: str(j.serverId), findings };
}

export function uploadOutcome(res: ClientResponse): UploadOutcome {
  const s = res.status;
  if (s === 201 || s === 200) {
    const dup = (res.json as { duplicate?: unknown } | undefined)?.duplicate === true;
    return s === 200 && dup ? { kind: 'duplicate', ...stored(res) } : { kind: 'stored', ...stored(res) };
  }
  if (s === 408 || s === 429 || s >= 500 || s < 200) return { kind: 'retry', error: errorText(res), retryAfterMs: retryAfterMs(res) };
  if (s === 401 || s === 403) return { kind: 'unauthorized', status: s, error: errorText(res) };
  // No such route: the URL is not (or not yet) the fleet server's API; the report is not at fault.
  if (s === 404 || s === 405) return { kind: 'retry', error: `${errorText(res)} (is this the exhunt fleet server's URL?)` };
  if (s >= 400) return { kind: 'refused', status: s, error: errorText(res), answer: res.json ?? res.text.slice(0, 4000) };
  return { kind: 'retry', error: `unexpected answer ${errorText(res)}` };
}

export interface UploadRequest {
  readonly server: URL;
  /** `exa_…` agent credential or `exu_…` API token. */
  readonly bearer: string;
  readonly body: Buffer;
  /** `server=` and `source=` (users only; the server ignores them for agents). */
  readonly query?: Readonly<Record<string, string | undefined>>;
}

/** POST /api/v1/reports with `Idempotency-Key: sha256(body)`. Never throws for network errors. */
export async function uploadReport(u: UploadRequest, opts: ClientOptions): Promise<UploadOutcome> {
  const headers = { Authorization: `Bearer ${u.bearer}`, 'Idempotency-Key': sha256Hex(u.body) };
  try {
    return uploadOutcome(await request('POST', apiUrl(u.server, 'reports', u.query), u.body, headers, opts));
  } catch (e) {
    if (e instanceof ClientError) return { kind: 'retry', error: e.message };
    throw e;
  }
}

function jsonBody(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v), 'utf8');
}

async function postJson(server: URL, path: string, body: unknown, opts: ClientOptions): Promise<ClientResponse> {
  try {
    return await request('POST', apiUrl(server, path), jsonBody(body), {}, opts);
  } catch (e) {
    if (e instanceof ClientError) throw new FleetError(e.message);
    throw e;
  }
}

export interface Enrolment {
  readonly agentId: string;
  readonly credential: string;
  readonly serverName: string;
}

/** POST /api/v1/agents/enroll: the enrolment token exchanged for this agent's credential. */
export async function enroll(server: URL, token: string, hostname: string, opts: ClientOptions): Promise<Enrolment> {
  const res = await postJson(server, 'agents/enroll', { token, hostname }, opts);
  if (res.status === 403) throw new FleetError(`the server refused the enrolment token (unknown, used up or expired): ${errorText(res)}`);
  if (res.status === 404 || res.status === 405) throw new FleetError(`enrolment failed: ${errorText(res)} for POST /api/v1/agents/enroll; is ${server.href} the exhunt fleet server?`);
  if (res.status !== 201 && res.status !== 200) throw new FleetError(`enrolment failed: ${errorText(res)}`);
  const j = (res.json ?? {}) as { agentId?: unknown; credential?: unknown; serverName?: unknown };
  if (typeof j.agentId !== 'string' || typeof j.credential !== 'string' || j.credential === '') {
    throw new FleetError('enrolment failed: the server answered without an agent id and credential');
  }
  return { agentId: j.agentId, credential: j.credential, serverName: typeof j.serverName === 'string' ? j.serverName : hostname };
}

/** POST /api/v1/tokens: a user's name and password exchanged for an API token. */
export async function createToken(server: URL, name: string, password: string, label: string, opts: ClientOptions): Promise<string> {
  const res = await postJson(server, 'tokens', { name, password, label }, opts);
  if (res.status === 401) throw new FleetError(`the server refused the name or password for ${name}`);
  if (res.status === 403) throw new FleetError(`${name} may not upload reports (analyst or admin role needed): ${errorText(res)}`);
  if (res.status === 429) throw new FleetError(`too many failed sign-ins; try again later: ${errorText(res)}`);
  if (res.status !== 201 && res.status !== 200) throw new FleetError(`token request failed: ${errorText(res)}`);
  const t = (res.json as { token?: unknown } | undefined)?.token;
  if (typeof t !== 'string' || t === '') throw new FleetError('token request failed: the server answered without a token');
  return t;
}
