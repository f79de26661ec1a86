/**
 * Security headers on every response (pages, API, errors, 404s): a strict CSP with no inline
 * script or style, no sniffing, no referrer, no framing; `Cache-Control: no-store` unless a
 * route chose its own caching (static assets); HSTS when served over TLS.
 */
import type { FastifyInstance } from 'fastify';

export const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
  + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function registerSecurityHeaders(app: FastifyInstance, tls: boolean): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('content-security-policy', CSP);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    void reply.header('cross-origin-resource-policy', 'same-origin');
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    if (tls) void reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
}
