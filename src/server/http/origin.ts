/**
 * Login CSRF guard, shared by the dashboard form and the JSON API: a sign-in carries no session
 * token (there is no session yet), so a POST that a browser marks as coming from another site is
 * refused: `Sec-Fetch-Site` other than same-origin/none, or an `Origin` naming another host.
 * `Origin: null` passes, since our own pages send it (Referrer-Policy no-referrer); browsers that
 * send it cross-site also send Sec-Fetch-Site. Requests without either header (tools) cannot
 * come from a cross-site form.
 */
import type { FastifyRequest } from 'fastify';

export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return true;
  try {
    return new URL(origin).host === new URL(`${req.protocol}://${req.host}`).host;
  } catch {
    return false;
  }
}

/**
 * True when the body was sent as `application/json` (with or without parameters). A cross-site
 * HTML form can only send form, multipart or text/plain bodies; JSON needs a CORS preflight,
 * which this server never grants.
 */
export function isJsonRequest(req: FastifyRequest): boolean {
  const ct = req.headers['content-type'];
  return typeof ct === 'string' && /^application\/json[ \t]*(?:;|$)/i.test(ct);
}
