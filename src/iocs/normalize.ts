/**
 * Canonical forms of indicator values, shared by the parsers (at import) and the matchers (at
 * scan time) so both sides compare the same strings: hashes lower-case hex, IPv6 compressed,
 * IPv4-mapped IPv6 as IPv4, domains lower-case without a trailing dot, Windows paths lower-case
 * with `/` and without the drive (`C:\inetpub\x.aspx` -> `inetpub/x.aspx`).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { TLP_LEVELS, type IocType, type Tlp } from './types.js';

const HEX = /^[0-9a-f]+$/;
const HASH_LENGTHS: Readonly<Record<number, IocType>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** The hash type of a hex string by its length, or null. */
export function hashType(value: string): IocType | null {
  const v = value.trim().toLowerCase();
  return HEX.test(v) ? (HASH_LENGTHS[v.length] ?? null) : null;
}

/** Canonical IP text, or null when `value` is not an IP address. */
export function normalizeIp(value: string): string | null {
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(v)) return v;
  if (!isIPv6(v) || v.includes('%')) return null;
  const host = new URL(`http://[${v}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped?.[1] !== undefined && mapped[2] !== undefined) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return host;
}

/** Windows path semantics: case-insensitive, `\` = `/`, drive letter or KAPE drive folder dropped. */
export function normalizePath(value: string): string {
  return value
    .trim()
    .replace(/\\/g, '/')
    .toLowerCase()
    .replace(/^\/\/[?.]\//, '')
    .replace(/^[a-z]:?\//, '')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+/, '');
}

export function normalizeDomain(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, '');
}

/** IIS writes spaces in user agents as `+`; both sides are compared with spaces. */
export function normalizeUserAgent(value: string): string {
  return value.replace(/\+/g, ' ').trim();
}

/** The canonical value of `raw` as an indicator of `type`, or null when it is not one. */
export function normalizeValue(type: IocType, raw: string): string | null {
  const v = raw.trim();
  if (v === '') return null;
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
      return hashType(v) === type ? v.toLowerCase() : null;
    case 'ip':
      return normalizeIp(v);
    case 'domain':
      return /^[^\s/]+$/.test(v) ? normalizeDomain(v) : null;
    case 'url':
      return /\s/.test(v) ? null : v.toLowerCase();
    case 'filename':
      return /[\\/]/.test(v) ? null : v.toLowerCase();
    case 'path':
      return normalizePath(v);
    case 'path-regex':
      return v;
    case 'user-agent':
      return normalizeUserAgent(v);
  }
}

/** TLP from a feed or option (`TLP:WHITE`, `white`, `tlp:amber+strict`); null when unknown. */
export function parseTlp(raw: string | undefined | null): Tlp | null {
  if (raw === undefined || raw === null) return null;
  const v = raw.trim().toLowerCase().replace(/^tlp:\s*/, '');
  if (v === 'white') return 'clear';
  return (TLP_LEVELS as readonly string[]).includes(v) ? (v as Tlp) : null;
}

export function tlpRank(t: Tlp): number {
  return TLP_LEVELS.indexOf(t);
}
