/**
 * Plain indicator lists: one indicator per line, `#` starts a comment line. A line is a hash
 * (by length), an IP, a URL (with scheme), a Windows path or path pattern (has `\` or `/`, or
 * `*`/`?`), a file name (ends in a known file extension), or a domain. A `TYPE:` prefix
 * (`md5: sha1: sha256: ip: domain: url: filename: path: ua: user-agent:`) says it outright.
 * Lines `REGEX;SCORE[;FALSE-POSITIVE-REGEX]` (the file-name IOC list format of LOKI and THOR)
 * are path regexes tested case-insensitively against the Windows path; the score (0-100+)
 * sets the severity: 100 and above high, 60 and above medium, below that low.
 */
import { FeedCollector } from './collect.js';
import { hashType, normalizeIp } from './normalize.js';
import { FeedError, IOC_TYPES, type Indicator, type IocType, type ParseContext, type ParsedFeed, type Tlp } from './types.js';
import { checkRegexSafety } from '../rules/detection/regex-safety.js';

const SCORED = /^(.+?);(\d{1,3})(?:;(.*))?$/;

interface Scored {
  readonly regex: string;
  readonly score: number;
  readonly falsePositive: string | undefined;
}

function scoredLine(line: string): Scored | null {
  const m = SCORED.exec(line);
  if (m?.[1] === undefined || m[2] === undefined) return null;
  const fp = m[3]?.trim();
  return { regex: m[1], score: Number(m[2]), falsePositive: fp === '' ? undefined : fp };
}

/** A regex from a feed: valid JavaScript syntax and no construct of unbounded cost. */
function checkedRegex(src: string, ctx: ParseContext, line: number): string {
  const safety = checkRegexSafety(src);
  if (!safety.ok) throw new FeedError(ctx.path, line, `regex not accepted (${safety.reason ?? 'unsafe'}): ${JSON.stringify(src.slice(0, 80))}`);
  try {
    new RegExp(src, 'i');
  } catch (err) {
    throw new FeedError(ctx.path, line, `not a valid regex: ${err instanceof Error ? err.message : String(err)}`);
  }
  return src;
}

function scoreSeverity(score: number): NonNullable<Indicator['severity']> {
  return score >= 100 ? 'high' : score >= 60 ? 'medium' : 'low';
}

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
  return lines.length > 0 && lines.every((l) => prefixed(l) !== null || classify(l) !== null || scoredLine(l) !== null);
}

export function parsePlain(text: string, ctx: ParseContext, defaultTlp: Tlp): ParsedFeed {
  const c = new FeedCollector(ctx, defaultTlp);
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const p = prefixed(line);
    const scored = p === null ? scoredLine(line) : null;
    if (scored !== null) {
      const regex = checkedRegex(scored.regex, ctx, i + 1);
      const falsePositive = scored.falsePositive === undefined ? undefined : checkedRegex(scored.falsePositive, ctx, i + 1);
      c.add({ type: 'path-regex', value: regex, severity: scoreSeverity(scored.score), falsePositive, sourceId: `line ${i + 1}` }, i + 1);
      return;
    }
    const type = p?.[0] ?? classify(line);
    if (type === null) throw new FeedError(ctx.path, i + 1, `cannot tell what ${JSON.stringify(line.slice(0, 80))} is; prefix it with its type (e.g. "domain:")`);
    c.add({ type, value: p?.[1] ?? line, sourceId: `line ${i + 1}` }, i + 1);
  });
  return c.result('plain');
}
