/**
 * The real client address behind a load balancer (issue 4, item 8).
 *
 * When a balancer or reverse proxy sits in front of Exchange, IIS `c-ip` and HttpProxy
 * `ClientIpAddress` hold the balancer's address; the client is the first entry of the
 * `X-Forwarded-For` request header, which IIS logs only when it is configured as a custom
 * field (its name is then whatever the admin chose, usually `X-Forwarded-For`; IIS writes
 * spaces in field values as `+`). Records get `fields['client-ip']`: the first XFF entry when
 * it parses as an address, else the connection address; both originals stay in the record.
 */
import { isIP } from 'node:net';
import { isSpaceCode, trimWhere } from '../../evidence/trim.js';

/** Header names (lower case) whose value is an X-Forwarded-For list. */
const XFF_NAMES = new Set([
  'x-forwarded-for',
  'cs(x-forwarded-for)',
  'xforwardedfor',
  'x_forwarded_for',
  'forwardedfor',
  'x-originating-ip',
  'cs(x-originating-ip)',
]);

/** Connection-address field names (lower case), in order of preference. */
const PEER_NAMES = ['c-ip', 'clientipaddress', 'client-ip-address', 'clientip'];

/** Column indexes of the XFF and peer fields in a header, or -1. */
export interface ClientIpColumns {
  readonly xff: number;
  readonly peer: number;
}

export function clientIpColumns(names: readonly string[]): ClientIpColumns {
  const lower = names.map((n) => n.toLowerCase());
  let peer = -1;
  for (const name of PEER_NAMES) {
    peer = lower.indexOf(name);
    if (peer !== -1) break;
  }
  return { xff: lower.findIndex((n) => XFF_NAMES.has(n)), peer };
}

/** White space, `+` (IIS's space) and `"` around an address. */
const isIpJunk = (c: number): boolean => c === 0x2b || c === 0x22 || isSpaceCode(c);

/** An address as logged (`1.2.3.4:5678`, `[::1]:443`, `+1.2.3.4`) reduced to the bare address. */
export function normaliseIp(raw: string): string | null {
  let s = trimWhere(raw, isIpJunk);
  if (s === '') return null;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close === -1) return null;
    s = s.slice(1, close);
  } else if (s.indexOf(':') !== -1 && s.indexOf(':') === s.lastIndexOf(':') && s.indexOf('.') !== -1) {
    s = s.slice(0, s.indexOf(':'));
  }
  const zone = s.indexOf('%');
  const bare = zone === -1 ? s : s.slice(0, zone);
  return isIP(bare) === 0 ? null : s.toLowerCase();
}

/** The first address of an X-Forwarded-For value (`a, b`, `a,+b`), or null. */
export function firstForwarded(value: string): string | null {
  if (value === '' || value === '-') return null;
  const comma = value.indexOf(',');
  return normaliseIp(comma === -1 ? value : value.slice(0, comma));
}

/** The client address for one record, or null when the header has neither field. */
export function clientIp(values: readonly string[], cols: ClientIpColumns): string | null {
  if (cols.xff !== -1) {
    const fwd = firstForwarded(values[cols.xff] ?? '');
    if (fwd) return fwd;
  }
  if (cols.peer === -1) return null;
  const peer = values[cols.peer] ?? '';
  if (peer === '' || peer === '-') return null;
  return normaliseIp(peer) ?? peer;
}
