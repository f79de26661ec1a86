/**
 * GET with bounded retries (exponential backoff; network errors and 5xx only) and redirects
 * followed within the same origin only, and only to paths on the allowed list.
 */
import { allowedRequest } from './allowed.js';
import { ProbeError } from './errors.js';
import { getOnce, type RawResponse } from './transport.js';
import type { FetchOptions, FetchResponse, TargetSpec } from './types.js';

export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One path with retries: a 5xx after the last retry is returned, a network error thrown. */
export async function getWithRetries(spec: TargetSpec, path: string, opts: FetchOptions, now?: Date): Promise<RawResponse> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= opts.retries;
    try {
      const res = await getOnce(spec, path, opts, now);
      if (res.status < 500 || last) return res;
    } catch (err) {
      if (last || !(err instanceof ProbeError) || !err.retryable) throw err;
    }
    await sleep(opts.backoffMs * 2 ** attempt);
  }
}

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The next path to follow, null to stop here (the redirect response is returned as it is),
 * or a ProbeError when the redirect leaves the target's origin.
 */
function nextHop(spec: TargetSpec, res: RawResponse): string | null {
  const loc = header(res, 'location');
  if (!REDIRECTS.has(res.status) || loc === undefined) return null;
  let to: URL;
  try {
    to = new URL(loc, `${spec.origin}/`);
  } catch {
    return null;
  }
  if (to.origin.toLowerCase() !== spec.origin.toLowerCase()) {
    throw new ProbeError('redirect', `redirect to another host or scheme not followed: ${to.origin}${to.pathname.slice(0, 80)}`, false);
  }
  // The query string is dropped: the page is the same and we send nothing the user did not see.
  return allowedRequest('GET', to.pathname) !== null ? to.pathname : null;
}

/** GET `path`, following same-origin redirects to allowed paths. */
export async function fetchPath(spec: TargetSpec, path: string, opts: FetchOptions, now?: Date): Promise<FetchResponse> {
  let current = path;
  let tls = null;
  for (let hop = 0; ; hop++) {
    const res = await getWithRetries(spec, current, opts, now);
    tls ??= res.tls;
    const next = hop < MAX_REDIRECTS ? nextHop(spec, res) : null;
    if (next === null || next === current) return { status: res.status, headers: res.headers, body: res.body, path: current, tls };
    current = next;
  }
}
