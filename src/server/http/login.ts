/**
 * Password checks under a login rate limit shared by every server process. Before a password is
 * checked, one atomic step in the database counts the attempt and reserves it a slot
 * (`store.reserveLoginSlot`): at most `loginLimit.max` failed or still-pending attempts per
 * client address and per user name in `loginLimit.windowSeconds`, however many arrive at once;
 * beyond that 429 without checking the password. Afterwards the slot is settled as failed or
 * succeeded. The address limit comes first and always applies; the name limit applies to
 * addresses the user has not signed in from successfully (within 90 days), so an anonymous
 * attacker who locks a name out does not lock its owner out of their usual places. When a name
 * or an address reaches its limit, the audit log says so (`login.limited`). IPv6 clients are
 * counted per /64. Used by the API login, the API token exchange and the dashboard form.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { FleetStore, User } from '../store/types.js';
import type { LoginResult, ServerOptions } from './types.js';

type Limits = Pick<ServerOptions, 'loginLimit' | 'sessionTtlSeconds'>;

export type CheckResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid' | 'rate-limited'; readonly retryAfterSeconds?: number; readonly limited?: readonly string[] };

/** The eight 16-bit groups of an IPv6 address (zone dropped, an IPv4 tail folded in), or null. */
export function ipv6Groups(ip: string): number[] | null {
  const bare = ip.replace(/%.*$/, '');
  if (!isIPv6(bare)) return null;
  const halves = bare.split('::');
  const part = (s: string | undefined): number[] => {
    if (s === undefined || s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (isIPv4(g)) {
        const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...new Array<number>(Math.max(0, zeros)).fill(0), ...tail];
  return groups.length === 8 ? groups : null;
}

/**
 * The address a limit counts under: IPv4 as given, an IPv4-mapped IPv6 address as its IPv4,
 * other IPv6 addresses by their /64 (one host or one network usually holds a whole /64).
 */
export function addressKey(ip: string): string {
  const g = ipv6Groups(ip);
  if (g === null) return ip.toLowerCase();
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const v4 = [(g[6] ?? 0) >> 8, (g[6] ?? 0) & 255, (g[7] ?? 0) >> 8, (g[7] ?? 0) & 255];
    return v4.join('.');
  }
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

/** The store keys a login attempt is counted under: the user name (case-folded) and the address. */
export function limitKeys(name: string, clientIp: string): { readonly name: string; readonly address: string } {
  return { name: `name:${name.trim().toLowerCase()}`, address: `addr:${addressKey(clientIp)}` };
}

function maxOf(opts: Pick<ServerOptions, 'loginLimit'>): number {
  return Math.max(1, Math.floor(opts.loginLimit.max));
}

/**
 * Runs `check` (a secret check: true when it passed) under the limit on `keys`: reserve, check,
 * settle. A check that throws settles as a failure. Null when refused (429 with the wait).
 */
export async function underLimit<T>(store: FleetStore, opts: Pick<ServerOptions, 'loginLimit'>, keys: readonly { key: string; max: number | null }[],
  check: () => Promise<T | null>): Promise<{ readonly ok: true; readonly value: T | null; readonly full: readonly string[] } | { readonly ok: false; readonly retryAfterSeconds: number }> {
  const r = await store.reserveLoginSlot(keys, opts.loginLimit.windowSeconds);
  if (!r.ok) return { ok: false, retryAfterSeconds: r.retryAfterSeconds };
  let value: T | null = null;
  try {
    value = await check();
  } finally {
    await store.settleLoginSlot(r.slot, value !== null);
  }
  return { ok: true, value, full: value === null ? r.full : [] };
}

/** Checks a name and password under the rate limit (see the module comment). */
export async function checkCredentials(store: FleetStore, opts: Limits, name: string, password: string, clientIp: string): Promise<CheckResult> {
  const keys = limitKeys(name, clientIp);
  const nameKey = name.trim().toLowerCase();
  const address = keys.address.slice('addr:'.length);
  const known = nameKey !== '' && nameKey.length <= 200 && await store.knownLoginAddress(nameKey, address);
  const max = maxOf(opts);
  const r = await underLimit(store, opts, [{ key: keys.address, max }, { key: keys.name, max: known ? null : max }], async () => {
    if (name.length > 200 || password.length > 1024) return null;
    const user = await store.verifyPassword(name, password);
    return user !== null && !user.disabled ? user : null;
  });
  if (!r.ok) return { ok: false, reason: 'rate-limited', retryAfterSeconds: r.retryAfterSeconds };
  if (r.value === null) return { ok: false, reason: 'invalid', limited: r.full };
  await store.rememberLoginAddress(nameKey, address);
  return { ok: true, user: r.value };
}

/** Audits a failed password check: the failure itself, and any name or address it brought to the limit. */
export async function auditFailure(store: FleetStore, opts: Pick<ServerOptions, 'loginLimit'>, name: string, clientIp: string, limited: readonly string[]): Promise<void> {
  const system = { kind: 'system', id: null, name: 'login' } as const;
  await store.audit({ actor: system, action: 'login.failed', targetKind: 'user', targetId: null, details: { name: name.slice(0, 200), address: clientIp } });
  for (const key of limited) {
    const byName = key.startsWith('name:');
    await store.audit({ actor: system, action: 'login.limited', targetKind: byName ? 'user' : 'address', targetId: null, details: {
      limit: byName ? 'name' : 'address', [byName ? 'name' : 'address']: key.slice(key.indexOf(':') + 1).slice(0, 200),
      lastAddress: clientIp, failures: maxOf(opts), windowSeconds: opts.loginLimit.windowSeconds,
      effect: byName ? 'sign-ins by this name are refused from addresses it has not signed in from, until the window passes'
        : 'sign-ins from this address are refused until the window passes',
    } });
  }
}

/** A login: on success a new session (its token goes into the cookie) and an audit entry. */
export async function attemptLogin(store: FleetStore, opts: Limits, name: string, password: string, clientIp: string): Promise<LoginResult> {
  const r = await checkCredentials(store, opts, name, password, clientIp);
  if (!r.ok) {
    if (r.reason === 'invalid') await auditFailure(store, opts, name, clientIp, r.limited ?? []);
    return r;
  }
  const { token, session } = await store.createSession(r.user.id, opts.sessionTtlSeconds);
  await store.audit({ actor: { kind: 'user', id: r.user.id, name: r.user.name }, action: 'login', targetKind: 'session', targetId: session.id,
    details: { address: clientIp } });
  return { ok: true, token, session };
}
