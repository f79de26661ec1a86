/** Target strings (host, host:port, URL) to origins; a targets file to a list. */
import type { TargetSpec } from './types.js';

/** The target as an origin, or an error message. Paths and queries in a URL are ignored. */
export function parseTarget(input: string): TargetSpec | string {
  const text = input.trim();
  if (text.length === 0) return 'empty target';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return `not a host name or URL: ${text.slice(0, 100)}`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `unsupported scheme ${u.protocol} in ${text.slice(0, 100)} (https or http only)`;
  if (u.username !== '' || u.password !== '') return `credentials in a target URL are not accepted: ${u.host}`;
  if (u.hostname === '') return `no host in ${text.slice(0, 100)}`;
  const protocol = u.protocol;
  const port = u.port !== '' ? Number(u.port) : protocol === 'https:' ? 443 : 80;
  return { input: text, protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port, origin: u.origin };
}

/** Targets from a file's text: one per line; blank lines and `#` comments skipped. */
export function targetsFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => (l.includes('#') ? l.slice(0, l.indexOf('#')) : l).trim())
    .filter((l) => l.length > 0);
}
