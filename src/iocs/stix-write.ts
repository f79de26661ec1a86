/**
 * Writing STIX 2.1: deterministic object ids (a UUID shaped from a hash of a seed, so the
 * same report exports to the same ids), string escaping for patterns, and a pattern for each
 * indicator type exhunt stores.
 */
import { createHash } from 'node:crypto';
import { TLP2_EXTENSION, TLP2_MARKINGS } from './tlp-markings.js';
import type { IocType, Tlp } from './types.js';

/** `<type>--<uuid>` from a seed: version 5 and RFC 4122 variant bits set on a SHA-256 prefix. */
export function stixId(type: string, seed: string): string {
  return `${type}--${uuidFrom(`${type}\u0000${seed}`)}`;
}

export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex').slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** A STIX pattern string literal: backslash and quote escaped. */
export function lit(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function wildcardToLike(v: string): string {
  return v.replace(/[%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}

/** The STIX pattern of one stored indicator (paths as `C:\...` with `\`). */
export function patternOf(type: IocType, value: string): string {
  switch (type) {
    case 'md5': return `[file:hashes.MD5 = ${lit(value)}]`;
    case 'sha1': return `[file:hashes.'SHA-1' = ${lit(value)}]`;
    case 'sha256': return `[file:hashes.'SHA-256' = ${lit(value)}]`;
    case 'ip': return `[${value.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${lit(value)}]`;
    case 'domain': return `[domain-name:value = ${lit(value)}]`;
    case 'url': return `[url:value = ${lit(value)}]`;
    case 'user-agent': return `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = ${lit(value)}]`;
    case 'filename':
      return /[*?]/.test(value) ? `[file:name LIKE ${lit(wildcardToLike(value))}]` : `[file:name = ${lit(value)}]`;
    case 'path': {
      const cut = value.lastIndexOf('/');
      const dir = `C:\\${value.slice(0, Math.max(cut, 0)).replace(/\//g, '\\')}`;
      const name = value.slice(cut + 1);
      const op = (v: string): string => (/[*?]/.test(v) ? `LIKE ${lit(wildcardToLike(v))}` : `= ${lit(v)}`);
      return `[file:parent_directory_ref.path ${op(dir)} AND file:name ${op(name)}]`;
    }
    case 'path-regex':
      return `[file:parent_directory_ref.path MATCHES ${lit(value)}]`;
  }
}

/** The TLP 2.0 marking-definition object for a level (as published with the TLP 2.0 extension). */
export function tlpMarkingObject(tlp: Tlp): Record<string, unknown> {
  return {
    type: 'marking-definition', spec_version: '2.1', id: TLP2_MARKINGS[tlp], created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}
