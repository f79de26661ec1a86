/**
 * The HTTP layer's contract between the app/auth plumbing (`http/`), the JSON API (`api/`)
 * and the dashboard (`web/`). `http/auth.ts` resolves every request's principal before any
 * route runs; routes only check roles through the guards below.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IntakeOptions } from '../api/report-intake.js';
import type { Agent, FleetStore, Role, Session, User } from '../store/types.js';

export type Principal =
  | { readonly kind: 'session'; readonly user: User; readonly session: Session }
  | { readonly kind: 'token'; readonly user: User }
  | { readonly kind: 'agent'; readonly agent: Agent };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every request; null when anonymous. */
    principal: Principal | null;
  }
}

export interface ServerOptions {
  readonly store: FleetStore;
  /** Date (YYYY-MM-DD) compliance deadlines are judged at; default today. */
  readonly asOf?: () => string;
  readonly maxUploadBytes: number;
  /** True when served over HTTPS (cookies get `Secure`); behind a TLS-terminating proxy set it too. */
  readonly secureCookies: boolean;
  readonly sessionTtlSeconds: number;
  /** Login rate limit: at most `max` failed attempts per user name and per address in `windowSeconds`. */
  readonly loginLimit: { readonly max: number; readonly windowSeconds: number };
  /** Trust X-Forwarded-For from these proxies (for the rate limit's client address). */
  readonly trustProxy: boolean | string;
  /** Bytes of report uploads received at once (default 4 × maxUploadBytes); more wait (503). */
  readonly uploadBudgetBytes?: number;
  /** The report check's worker pool (api/report-intake.ts; defaults there). */
  readonly intake?: IntakeOptions;
}

/** Route guards: `preHandler` hooks. Anonymous: API 401 JSON, page 302 to /login?next=…; wrong role: 403. */
export type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
export type RequireRole = (min: Role) => Guard;

/** Role order: admin > analyst > viewer. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { admin: 3, analyst: 2, viewer: 1 };

/** Result of a login attempt (shared by the API login and the dashboard form). */
export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly session: Session }
  | { readonly ok: false; readonly reason: 'invalid' | 'rate-limited'; readonly retryAfterSeconds?: number };
