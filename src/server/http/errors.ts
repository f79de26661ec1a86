/**
 * Error and not-found handlers: every error is `{"error": "...", "details"?: [...]}` JSON, with
 * the status fastify chose for client errors (400 validation, 413 too large, 415 media type) and
 * a bare 500 for anything else — never a stack trace; the cause goes to the log. Unknown paths
 * outside `/api/…` get the dashboard's HTML 404 page when one is given; API paths stay JSON.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath } from './guard.js';

export interface ErrorDetail { readonly path: string; readonly message: string }

function validationDetails(err: FastifyError): ErrorDetail[] {
  return (err.validation ?? []).slice(0, 50).map((v) => ({
    path: `${err.validationContext ?? ''}${v.instancePath || ''}` || '/',
    message: v.message ?? 'is invalid',
  }));
}

export interface ErrorHandlerOptions {
  /** Answers a 404 for a page path (not `/api/…`); without it every 404 is JSON. */
  readonly notFoundPage?: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

export function registerErrorHandlers(app: FastifyInstance, opts: ErrorHandlerOptions = {}): void {
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    if (err.validation !== undefined) {
      await reply.code(400).send({ error: 'invalid request', details: validationDetails(err) });
      return;
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      req.log.error({ err }, 'request failed');
      await reply.code(500).send({ error: 'internal error' });
      return;
    }
    const message = status === 413 ? 'request body too large' : err.message.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300);
    await reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler(async (req, reply) => {
    if (opts.notFoundPage !== undefined && !isApiPath(req.url)) {
      await opts.notFoundPage(req, reply);
      return;
    }
    await reply.code(404).send({ error: 'not found' });
  });
}
