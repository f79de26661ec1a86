/**
 * The only requests a fingerprint run may send, kept as data. Every request goes through
 * `assertAllowed` before it leaves, and the fake-server test fails on anything else.
 * Nothing here is exploit-shaped: GET only, no query string, no cookies, no credentials,
 * no `autodiscover.json?@`, no X-BEResource / X-AnonResource-Backend, no body.
 */

export interface AllowedRequest {
  readonly id: string;
  readonly method: 'GET';
  /** Anchored pattern for the whole request target (path, no query). */
  readonly path: RegExp;
  readonly why: string;
}

export const MANIFEST_NAME = 'microsoft.exchange.ediscovery.exporttool.application';

export const ALLOWED_REQUESTS: readonly AllowedRequest[] = [
  { id: 'owa-logon', method: 'GET', path: /^\/owa\/auth\/logon\.aspx$/, why: 'the OWA sign-in page any visitor sees' },
  { id: 'owa-root', method: 'GET', path: /^\/owa\/?$/, why: 'OWA entry point (only as a same-host redirect target)' },
  { id: 'owa-error', method: 'GET', path: /^\/owa\/auth\/errorFE\.aspx$/, why: 'OWA error page (only as a same-host redirect target)' },
  {
    id: 'ecp-manifest-current',
    method: 'GET',
    path: /^\/ecp\/Current\/exporttool\/microsoft\.exchange\.ediscovery\.exporttool\.application$/,
    why: 'public ClickOnce manifest of the eDiscovery export tool',
  },
  {
    id: 'ecp-manifest-versioned',
    method: 'GET',
    path: /^\/ecp\/\d{1,2}\.\d{1,2}\.\d{1,5}(?:\.\d{1,5})?\/exporttool\/microsoft\.exchange\.ediscovery\.exporttool\.application$/,
    why: 'the same manifest under the versioned folder, where Current is missing',
  },
];

/** Request headers we send; nothing else (no Cookie, no Authorization, no X-* headers). */
export const ALLOWED_HEADERS: readonly string[] = ['host', 'user-agent', 'accept', 'connection'];

/** Header names that must never appear, whatever the list above says. */
export const FORBIDDEN_HEADERS: readonly string[] = ['cookie', 'authorization', 'x-beresource', 'x-anonresource-backend', 'x-anonresource'];

/** The matching entry, or null when the request is outside the list. */
export function allowedRequest(method: string, target: string): AllowedRequest | null {
  return ALLOWED_REQUESTS.find((r) => r.method === method && r.path.test(target)) ?? null;
}

/** Reasons the request must not be sent (empty when it may). */
export function requestViolations(method: string, target: string, headerNames: readonly string[]): string[] {
  const out: string[] = [];
  if (allowedRequest(method, target) === null) out.push(`${method} ${target} is not in the allowed request list`);
  for (const h of headerNames.map((n) => n.toLowerCase())) {
    if (FORBIDDEN_HEADERS.includes(h) || !ALLOWED_HEADERS.includes(h)) out.push(`header ${h} is not allowed`);
  }
  return out;
}

/** Throws before anything outside the list is sent. */
export function assertAllowed(method: string, target: string, headerNames: readonly string[]): void {
  const v = requestViolations(method, target, headerNames);
  if (v.length > 0) throw new Error(`fingerprint: refusing to send a request outside the allowed list: ${v.join('; ')}`);
}
