/**
 * Plain indicator lists: one indicator per line, `#` starts a comment line. A line is a hash
 * (by length), an IP, a URL (with scheme), a Windows path or path pattern (has `\` or `/`, or
 * `*`/`?`), a file name (ends in a known file extension), or a domain. A `TYPE:` prefix
 * (`md5: sha1: sha256: ip: domain: url: filename: path: ua: user-agent:`) says it outright.
 */
import { FeedCollector } from './collect.js';
import { hashType, normalizeIp } from './normalize.js';
import { FeedError, IOC_TYPES, type IocType, type ParseContext, type ParsedFeed, type Tlp } from './types.js';

const FILE_EXT = /\.(aspx?|ashx|asmx|asax|config|cs|dll|exe|js|jsp|php|ps1|psm1|bat|cmd|vbs|hta|zip|7z|rar|gz|cab|dmp|tmp|txt|log|ini|xml|bin|sys|lnk|iso|img)$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const PREFIX = /^(md5|sha1|sha256|ip|domain|url|filename|path|ua|user-agent)\s*:\s*(.+)$/i;

/** The type of an unprefixed plain-list value, or null when it cannot be told. */
export function classify(v: string): IocType | null {
  const h = hashType(v);
  if (h !== null) return h;
  if (normalizeIp(v) !== null) return 'ip';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return 'url';
  if (/[\\/*?]/.test(v)) return 'path';
  if (FILE_EXT.test(v)) return 'filename';
  if (DOMAIN.test(v)) return 'domain';
  return null;
}

function prefixed(line: string): [IocType, string] | null {
  const m = PREFIX.exec(line);
  if (m?.[1] === undefined || m[2] === undefined) return null;
  const t = m[1].toLowerCase();
  const type = t === 'ua' ? 'user-agent' : t;
  return (IOC_TYPES as readonly string[]).includes(type) ? [type as IocType, m[2]] : null;
}

/** True when every non-comment line (of the first ones) is something `classify` knows. */
export function looksPlain(text: string): boolean {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).slice(0, 20);
  return lines.length > 0 && lines.every((l) => prefixed(l) !== null || classify(l) !== null);
}

export function parsePlain(text: string, ctx: ParseContext, defaultTlp: Tlp): ParsedFeed {
  const c = new FeedCollector(ctx, defaultTlp);
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const p = prefixed(line);
    const type = p?.[0] ?? classify(line);
    if (type === null) throw new FeedError(ctx.path, i + 1, `cannot tell what ${JSON.stringify(line.slice(0, 80))} is; prefix it with its type (e.g. "domain:")`);
    c.add({ type, value: p?.[1] ?? line, sourceId: `line ${i + 1}` }, i + 1);
  });
  return c.result('plain');
}
