/**
 * Password checks with a login rate limit shared by every server process: failed attempts are
 * recorded in the store per user name and per client address, and a name or an address with
 * `loginLimit.max` failures inside `loginLimit.windowSeconds` is refused (429) without even
 * checking the password. Used by the API login, the API token exchange and the dashboard form.
 */
import type { FleetStore, User } from '../store/types.js';
import type { LoginResult, ServerOptions } from './types.js';

type Limits = Pick<ServerOptions, 'loginLimit' | 'sessionTtlSeconds'>;

export type CheckResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid' | 'rate-limited'; readonly retryAfterSeconds?: number };

/** The store keys a login attempt is counted under. */
export function limitKeys(name: string, clientIp: string): readonly string[] {
  return [`name:${name.trim().toLowerCase()}`, `addr:${clientIp}`];
}

/**
 * The seconds to wait (1..window) when any of `keys` has reached the failure limit in the window,
 * else null: until the failure that keeps the key at the limit leaves the window (the longest
 * wait over the keys). `now` is injectable for tests.
 */
export async function rateLimited(store: FleetStore, opts: Pick<ServerOptions, 'loginLimit'>, keys: readonly string[], now: number = Date.now()): Promise<number | null> {
  const windowMs = opts.loginLimit.windowSeconds * 1000;
  const since = new Date(now - windowMs).toISOString();
  let wait: number | null = null;
  for (const key of keys) {
    const at = await store.nthRecentFailedLogin(key, since, Math.max(1, Math.floor(opts.loginLimit.max)));
    if (at === null) continue;
    const left = Math.ceil((Date.parse(at) + windowMs - now) / 1000);
    wait = Math.max(wait ?? 1, Math.min(opts.loginLimit.windowSeconds, left));
  }
  return wait;
}

/** Checks a name and password under the rate limit and records the attempt. */
export async function checkCredentials(store: FleetStore, opts: Limits, name: string, password: string, clientIp: string): Promise<CheckResult> {
  const keys = limitKeys(name, clientIp);
  const wait = await rateLimited(store, opts, keys);
  if (wait !== null) return { ok: false, reason: 'rate-limited', retryAfterSeconds: wait };
  const user = name.length > 200 || password.length > 1024 ? null : await store.verifyPassword(name, password);
  for (const key of keys) await store.recordLoginAttempt(key, user !== null);
  return user !== null && !user.disabled ? { ok: true, user } : { ok: false, reason: 'invalid' };
}

/** A login: on success a new session (its token goes into the cookie) and an audit entry. */
export async function attemptLogin(store: FleetStore, opts: Limits, name: string, password: string, clientIp: string): Promise<LoginResult> {
  const r = await checkCredentials(store, opts, name, password, clientIp);
  if (!r.ok) {
    if (r.reason === 'invalid') {
      await store.audit({ actor: { kind: 'system', id: null, name: 'login' }, action: 'login.failed', targetKind: 'user', targetId: null,
        details: { name: name.slice(0, 200), address: clientIp } });
    }
    return r;
  }
  const { token, session } = await store.createSession(r.user.id, opts.sessionTtlSeconds);
  await store.audit({ actor: { kind: 'user', id: r.user.id, name: r.user.name }, action: 'login', targetKind: 'session', targetId: session.id,
    details: { address: clientIp } });
  return { ok: true, token, session };
}
