/**
 * Attacker identities: the client addresses of exploitation, web shell and IOC findings
 * (medium and above), users named by the log lines of those findings, and what the responder
 * adds (`--suspect-ip` with CIDR, `--suspect-user`). Each identity says which findings (or
 * which option) produced it. Matching of addresses uses node:net BlockList (IPv4, IPv6, CIDR).
 */
import { BlockList, isIP } from 'node:net';
import { atLeast, type Finding } from '../../findings/types.js';
import { normaliseIp } from '../../parsers/logs/client-ip.js';
import type { Identity } from './types.js';

/** Distinct client addresses remembered by the CIDR matcher before it starts afresh. */
const MAX_CACHED = 65_536;
const SOURCE_CATEGORIES = new Set(['exploitation', 'webshell', 'ioc']);

/** Accounts whose requests are the server's own (health probes, SSRF back-end calls): never selectors. IIS logs a space in `cs-username` as `+`. */
const SYSTEM_USER = /^(?:nt[ +]authority\\|s-1-5-18$|s-1-5-19$|s-1-5-20$|healthmailbox|sm_[0-9a-f]|anonymous$|-$)/i;

/** True for findings whose addresses and users are taken as the attacker's. */
export function isIdentitySource(f: Finding): boolean {
  return SOURCE_CATEGORIES.has(f.category) && atLeast(f.severity, 'medium');
}

/** Loopback and unspecified addresses are the server talking to itself (ProxyLogon SSRF), not a client. */
function isSelfAddress(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1' || ip === '0.0.0.0' || ip === '::' || ip === '::ffff:127.0.0.1';
}

/** The client address of a finding from a log, or null. */
export function findingAddress(f: Finding): string | null {
  const ev = f.evidence;
  const raw = typeof ev['clientIp'] === 'string' ? ev['clientIp'] : null;
  const agg = f.details['aggregated'];
  const aggIp = agg && typeof agg === 'object' ? (agg as Record<string, unknown>)['clientIp'] : undefined;
  const value = raw ?? (typeof aggIp === 'string' ? aggIp : null);
  if (value === null || value === '-' || value === '') return null;
  const ip = normaliseIp(value);
  return ip === null || isSelfAddress(ip) ? null : ip;
}

/** A user name fit to select requests by (not empty, not a system or probe account). */
export function usableUser(name: string | undefined): string | null {
  const v = (name ?? '').trim();
  if (v === '' || SYSTEM_USER.test(v) || v.endsWith('$')) return null;
  return v;
}

/** `CORP\j.doe`, `j.doe@corp.example`, `j.doe` → `j.doe` (lower case). */
export function localPart(user: string): string {
  const lower = user.toLowerCase();
  const slash = lower.lastIndexOf('\\');
  const s = slash === -1 ? lower : lower.slice(slash + 1);
  const at = s.indexOf('@');
  return at === -1 ? s : s.slice(0, at);
}

function hasDomain(user: string): boolean {
  return /[\\@]/.test(user);
}

/** Same user: equal ignoring case, or the same local part when either side names no domain. */
export function sameUser(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (hasDomain(a) && hasDomain(b)) return false;
  return localPart(a) === localPart(b);
}

/** A parsed `--suspect-ip` value (address or CIDR), or an error text. */
export function parseSuspectIp(value: string): { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string } {
  const [addr = '', bits, extra] = value.trim().split('/');
  const family = isIP(addr);
  if (family === 0 || extra !== undefined) return { ok: false, error: `not an IP address or CIDR: ${value}` };
  if (bits === undefined) return { ok: true, value: addr.toLowerCase() };
  const n = Number(bits);
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(bits) || n > max) return { ok: false, error: `bad prefix length in ${value}` };
  return { ok: true, value: `${addr.toLowerCase()}/${n}` };
}

class IdentityBuilder {
  private readonly byKey = new Map<string, { kind: Identity['kind']; value: string; from: Set<string> }>();

  add(kind: Identity['kind'], value: string, from: string): void {
    const key = `${kind}\u0000${value.toLowerCase()}`;
    let e = this.byKey.get(key);
    if (!e) {
      e = { kind, value, from: new Set() };
      this.byKey.set(key, e);
    }
    e.from.add(from);
  }

  result(): Identity[] {
    return [...this.byKey.values()]
      .map((e) => ({ kind: e.kind, value: e.value, from: [...e.from].sort() }))
      .sort((a, b) => (a.kind === b.kind ? a.value.localeCompare(b.value) : a.kind === 'address' ? -1 : 1));
  }
}

export interface IdentityInputs {
  readonly findings: readonly Finding[];
  /** Users read from the log lines of identity findings: finding id → users. */
  readonly findingUsers: ReadonlyMap<string, readonly string[]>;
  readonly suspectIps: readonly string[];
  readonly suspectUsers: readonly string[];
}

export function collectIdentities(input: IdentityInputs): Identity[] {
  const b = new IdentityBuilder();
  for (const f of input.findings) {
    if (!isIdentitySource(f)) continue;
    const ip = findingAddress(f);
    if (ip) b.add('address', ip, f.id);
  }
  for (const [id, users] of input.findingUsers) for (const u of users) b.add('user', u, id);
  for (const ip of input.suspectIps) b.add('address', ip, '--suspect-ip');
  for (const u of input.suspectUsers) b.add('user', u, '--suspect-user');
  return b.result();
}

/** Matches a record's client address and users against the identities. */
export interface IdentityMatcher {
  /** The identity value (address or CIDR as listed) that covers `ip`, or null. */
  address(ip: string | null): string | null;
  /** The identity user that `user` is, or null. */
  user(user: string | null): string | null;
  readonly empty: boolean;
}

export function createIdentityMatcher(identities: readonly Identity[]): IdentityMatcher {
  const nets: { value: string; list: BlockList }[] = [];
  const exact = new Map<string, string>();
  for (const id of identities) {
    if (id.kind !== 'address') continue;
    const [addr = '', bits] = id.value.split('/');
    if (bits === undefined) {
      exact.set(addr.toLowerCase(), id.value);
      continue;
    }
    const list = new BlockList();
    list.addSubnet(addr, Number(bits), isIP(addr) === 6 ? 'ipv6' : 'ipv4');
    nets.push({ value: id.value, list });
  }
  const users = identities.filter((i) => i.kind === 'user').map((i) => i.value);
  // BlockList.check costs microseconds; logs repeat the same few thousand addresses.
  const seen = new Map<string, string | null>();
  const inNets = (ip: string): string | null => {
    const family = isIP(ip);
    if (family === 0) return null;
    for (const n of nets) if (n.list.check(ip, family === 6 ? 'ipv6' : 'ipv4')) return n.value;
    return null;
  };
  return {
    empty: identities.length === 0,
    address(ip) {
      if (ip === null) return null;
      const hit = exact.get(ip);
      if (hit !== undefined) return hit;
      if (nets.length === 0) return null;
      let v = seen.get(ip);
      if (v === undefined) {
        v = inNets(ip);
        if (seen.size >= MAX_CACHED) seen.clear();
        seen.set(ip, v);
      }
      return v;
    },
    user(user) {
      if (user === null || user === '') return null;
      return users.find((u) => sameUser(u, user)) ?? null;
    },
  };
}
