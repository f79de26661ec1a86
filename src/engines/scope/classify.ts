/**
 * Classifies one IIS or HttpProxy request as mailbox access: the protocol, the mailbox it
 * reached and how we know, the authenticated user, status and bytes sent. Pure string work
 * on the parser's field names (src/parsers/logs/w3c.ts and exchange-csv.ts).
 *
 * Sources for the fields and parameters used:
 * - IIS W3C fields `cs-uri-stem`, `cs-uri-query`, `cs-username`, `sc-status`, `sc-bytes`
 *   ("bytes sent by the server"): learn.microsoft.com/windows/win32/http/w3c-logging. A custom
 *   logged request header shows under the name IIS gave it (`X-AnchorMailbox` or
 *   `cs(X-AnchorMailbox)`).
 * - HttpProxy columns `UrlStem`, `UrlQuery`, `AuthenticatedUser`, `AnchorMailbox`,
 *   `HttpStatus`, `ResponseBytes` (the response size the proxy logged; the bytes sent for an
 *   HttpProxy request), `TargetServer`: the `#Fields` line of Exchange 2013–2019 HttpProxy logs,
 *   as read by microsoft/CSS-Exchange `Security/Test-ProxyLogon.ps1` and the parser's sources
 *   (src/parsers/logs/exchange-csv.ts).
 *   `AnchorMailbox` is `Smtp~user@domain`, `Sid~S-1-…`, `ServerInfo~…` (a server, not a mailbox).
 * - `X-AnchorMailbox` routes a request to the named mailbox rather than the authenticated
 *   user's (microsoft/CSS-Exchange issue 1569: EWS impersonation sets it per target mailbox).
 * - MAPI over HTTP: `/mapi/emsmdb/?MailboxId=<mailbox guid>@<domain>` ([MS-OXCMAPIHTTP] 2.2.1).
 * - ActiveSync: `/Microsoft-Server-ActiveSync?Cmd=…&User=…&DeviceId=…&DeviceType=…`
 *   ([MS-ASHTTP] 2.2.1.1.1.1, request line query parameters).
 * - ProxyShell / ProxyNotShell reach back ends through `/autodiscover/autodiscover.json?@x/
 *   powershell/…` or `…/EWS/…`, `…/mapi/…`: the protocol is read from the query then.
 */
import type { LogRecord } from '../../parsers/types.js';
import type { Protocol } from './types.js';

export interface Access {
  readonly protocol: Protocol;
  /** Lower-cased mailbox (SMTP address, `sid:S-…`, MAPI mailbox id or the user), or null. */
  readonly mailbox: string | null;
  readonly mailboxFrom: 'anchor' | 'query' | 'mapi' | 'activesync' | 'user' | null;
  readonly device: string | null;
}

export interface RequestView {
  readonly stem: string;
  readonly query: string;
  readonly user: string | null;
  readonly status: string;
  readonly bytes: number | null;
  readonly anchor: string;
  readonly targetServer: string | null;
}

const SMTP = /^[^\s@/?&=<>"']+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i;
const QUERY_MAILBOX_PARAMS = new Set(['email', 'emailaddress', 'mailbox', 'smtp', 'x-anchormailbox', 'anchormailbox', 'targetmailbox']);
const STATIC = /\.(?:js|css|png|gif|jpe?g|svg|ico|woff2?|ttf|eot|htm|html|map|xap|manifest)$/;

function field(rec: LogRecord, ...names: string[]): string {
  for (const n of names) {
    const v = rec.fields[n];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/** The request's parts, whichever family logged it. */
export function requestView(rec: LogRecord): RequestView {
  const iis = rec.source === 'iis';
  const bytesText = iis ? field(rec, 'sc-bytes') : field(rec, 'ResponseBytes');
  const bytes = /^\d+$/.test(bytesText) ? Number(bytesText) : null;
  const user = iis ? field(rec, 'cs-username') : field(rec, 'AuthenticatedUser');
  return {
    stem: iis ? field(rec, 'cs-uri-stem') : field(rec, 'UrlStem'),
    query: iis ? field(rec, 'cs-uri-query') : field(rec, 'UrlQuery'),
    user: user === '' ? null : user,
    status: iis ? field(rec, 'sc-status') : field(rec, 'HttpStatus'),
    bytes,
    anchor: iis ? field(rec, 'X-AnchorMailbox', 'cs(X-AnchorMailbox)', 'x-anchormailbox') : field(rec, 'AnchorMailbox'),
    targetServer: iis ? null : field(rec, 'TargetServer') || null,
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Query parameters (names lower-cased, values URL-decoded); tolerant of `?`, `&`, `;`. */
export function queryParams(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.replace(/^\?/, '').split(/[&;]/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = safeDecode(part.slice(0, eq)).trim().toLowerCase();
    if (!out.has(name)) out.set(name, safeDecode(part.slice(eq + 1)).trim());
  }
  return out;
}

/** The protocol of a request path (and, through autodiscover, of its query), or null. */
export function protocolOf(stem: string, query: string): Protocol | null {
  const s = stem.toLowerCase();
  if (s === '/ews' || s.startsWith('/ews/')) return 'ews';
  if (s.startsWith('/mapi/')) return 'mapi';
  if (s.startsWith('/microsoft-server-activesync')) return 'activesync';
  if (s === '/powershell' || s.startsWith('/powershell/')) return 'powershell';
  if (s === '/owa' || s.startsWith('/owa/')) {
    if (s.startsWith('/owa/auth') || s === '/owa/healthcheck.htm' || STATIC.test(s)) return null;
    return 'owa';
  }
  if (s.startsWith('/autodiscover/')) {
    const q = safeDecode(query).toLowerCase();
    if (q.includes('/powershell')) return 'powershell';
    if (q.includes('/ews/')) return 'ews';
    if (q.includes('/mapi/')) return 'mapi';
    if (q.includes('/owa/')) return 'owa';
  }
  return null;
}

/** The mailbox an `AnchorMailbox` value names (`Smtp~a@b`, `Sid~S-…`), or null for a server. */
export function anchorMailbox(anchor: string): string | null {
  const v = anchor.trim();
  if (v === '' || v === '-') return null;
  const tilde = v.indexOf('~');
  const kind = tilde === -1 ? '' : v.slice(0, tilde).toLowerCase();
  const value = tilde === -1 ? v : v.slice(tilde + 1);
  if (kind === 'sid' && /^s-1-[\d-]+$/i.test(value)) return `sid:${value.toUpperCase()}`;
  if (kind.startsWith('server') || kind === 'databaseguid') return null;
  return SMTP.test(value) ? value.toLowerCase() : null;
}

function queryMailbox(params: ReadonlyMap<string, string>): string | null {
  for (const [name, value] of params) {
    if (QUERY_MAILBOX_PARAMS.has(name) && SMTP.test(value)) return value.toLowerCase();
  }
  return null;
}

/** Mailbox access by one request, or null when the request is not mailbox access. */
export function classifyAccess(v: RequestView): Access | null {
  const protocol = protocolOf(v.stem, v.query);
  if (protocol === null) return null;
  const params = queryParams(v.query);
  const device = protocol === 'activesync' ? params.get('deviceid') || null : null;
  const anchor = anchorMailbox(v.anchor);
  if (anchor) return { protocol, mailbox: anchor, mailboxFrom: 'anchor', device };
  const q = queryMailbox(params);
  if (q) return { protocol, mailbox: q, mailboxFrom: 'query', device };
  const mapiId = protocol === 'mapi' ? params.get('mailboxid') : undefined;
  if (mapiId) return { protocol, mailbox: mapiId.toLowerCase(), mailboxFrom: 'mapi', device };
  const easUser = protocol === 'activesync' ? params.get('user') : undefined;
  if (easUser) return { protocol, mailbox: easUser.toLowerCase(), mailboxFrom: 'activesync', device };
  if (v.user && protocol !== 'powershell') return { protocol, mailbox: v.user.toLowerCase(), mailboxFrom: 'user', device };
  return { protocol, mailbox: null, mailboxFrom: null, device };
}

/** `200` → `2xx`; anything else unusual → `other`. */
export function statusClass(status: string): string {
  return /^[1-5]\d\d$/.test(status) ? `${status[0]}xx` : 'other';
}

/**
 * Which HttpProxy protocol folder a request is logged in (used to avoid counting one request
 * twice, once in IIS and once in HttpProxy): `/owa/…` → `owa`, `/Microsoft-Server-ActiveSync` →
 * `eas`, … ; null for other paths.
 */
export function proxyFolderOfStem(stem: string): string | null {
  const m = /^\/([^/?]+)/.exec(stem.toLowerCase());
  const first = m?.[1];
  if (!first) return null;
  if (first === 'microsoft-server-activesync') return 'eas';
  return ['ews', 'owa', 'mapi', 'powershell', 'autodiscover', 'ecp', 'oab', 'rpc'].includes(first) ? first : null;
}

/** The HttpProxy protocol folder of a log path (`…/HttpProxy/Owa/HttpProxy_….LOG` → `owa`). */
export function proxyFolderOfPath(path: string): string | null {
  const m = /\/httpproxy\/([^/]+)\//i.exec(path);
  return m?.[1] ? m[1].toLowerCase() : null;
}
