/**
 * IocSet: the indicators of one run, indexed for constant-time lookups (hashes, IPs, exact
 * paths at every segment boundary, file names, URLs, domains, user agents) plus a short list of
 * wildcard patterns tested by regular expression.
 */
import { normalizeDomain, normalizeIp, normalizePath, normalizeUserAgent } from './normalize.js';
import type { Indicator } from './types.js';

export type TextField = 'url' | 'domain' | 'user-agent';

export interface FileHashes {
  readonly md5?: string | null;
  readonly sha1?: string | null;
  readonly sha256?: string | null;
}

interface Pattern { readonly re: RegExp; readonly ind: Indicator }

const WILDCARD = /[*?]/;

/** `*` any run of characters within one path segment, `?` one character; the rest literal. */
function wildcardRegex(pattern: string, anchoredAtSegment: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`${anchoredAtSegment ? '(?:^|/)' : '^'}${body}$`);
}

function push(m: Map<string, Indicator[]>, key: string, ind: Indicator): void {
  const l = m.get(key);
  if (l === undefined) m.set(key, [ind]);
  else l.push(ind);
}

export class IocSet {
  private readonly hashes = new Map<string, Indicator[]>();
  private readonly ips = new Map<string, Indicator[]>();
  private readonly paths = new Map<string, Indicator[]>();
  private readonly names = new Map<string, Indicator[]>();
  private readonly text = new Map<string, Indicator[]>();
  /** Path patterns whose wildcards are in the file name only, by their (literal) folder. */
  private readonly namePatternsByDir = new Map<string, Pattern[]>();
  /** Path patterns with wildcards in a folder name: tested one by one. */
  private readonly pathPatterns: Pattern[] = [];
  private readonly namePatterns: Pattern[] = [];
  /** `REGEX;SCORE[;FALSE-POSITIVE-REGEX]` lines, tested against the path with `\\` and with `/`. */
  private readonly pathRegexes: (Pattern & { readonly fp: RegExp | null })[] = [];
  /** Number of indicators indexed. */
  readonly size: number;

  constructor(indicators: readonly Indicator[]) {
    for (const ind of indicators) this.index(ind);
    this.size = indicators.length;
  }

  private index(ind: Indicator): void {
    switch (ind.type) {
      case 'md5': case 'sha1': case 'sha256': push(this.hashes, `${ind.type}:${ind.value}`, ind); break;
      case 'ip': push(this.ips, ind.value, ind); break;
      case 'path':
        this.indexPath(ind);
        break;
      case 'path-regex':
        this.pathRegexes.push({ re: new RegExp(ind.value, 'i'), fp: ind.falsePositive ? new RegExp(ind.falsePositive, 'i') : null, ind });
        break;
      case 'filename':
        if (WILDCARD.test(ind.value)) this.namePatterns.push({ re: wildcardRegex(ind.value, false), ind });
        else push(this.names, ind.value, ind);
        break;
      default: push(this.text, `${ind.type}:${ind.value.toLowerCase()}`, ind);
    }
  }

  private indexPath(ind: Indicator): void {
    const cut = ind.value.lastIndexOf('/');
    const dir = ind.value.slice(0, Math.max(cut, 0));
    if (!WILDCARD.test(ind.value)) push(this.paths, ind.value, ind);
    else if (cut > 0 && !WILDCARD.test(dir)) {
      const l = this.namePatternsByDir.get(dir) ?? [];
      l.push({ re: wildcardRegex(ind.value.slice(cut + 1), false), ind });
      this.namePatternsByDir.set(dir, l);
    } else this.pathPatterns.push({ re: wildcardRegex(ind.value, true), ind });
  }

  /** Indicators matching any of a file's hashes (hex, any case). */
  matchHashes(h: FileHashes): Indicator[] {
    const out: Indicator[] = [];
    for (const t of ['md5', 'sha1', 'sha256'] as const) {
      const v = h[t];
      if (typeof v === 'string' && v !== '') out.push(...(this.hashes.get(`${t}:${v.toLowerCase()}`) ?? []));
    }
    return out;
  }

  /**
   * Indicators matching an evidence path (Windows semantics: case-insensitive, `\` = `/`).
   * A path indicator matches when it equals the end of the evidence path at a segment boundary
   * (`inetpub/x.aspx` matches `C/inetpub/x.aspx` and `/mnt/case1/C/inetpub/x.aspx`); a
   * file-name indicator matches the base name.
   */
  matchPath(evidencePath: string): Indicator[] {
    const p = normalizePath(evidencePath);
    const out: Indicator[] = [];
    const cut = p.lastIndexOf('/');
    const base = p.slice(cut + 1);
    let i = -1;
    do {
      out.push(...(this.paths.get(p.slice(i + 1)) ?? []));
      if (i < cut) for (const x of this.namePatternsByDir.get(p.slice(i + 1, cut)) ?? []) if (x.re.test(base)) out.push(x.ind);
      i = p.indexOf('/', i + 1);
    } while (i !== -1);
    for (const x of this.pathPatterns) if (x.re.test(p)) out.push(x.ind);
    out.push(...(this.names.get(base) ?? []));
    for (const x of this.namePatterns) if (x.re.test(base)) out.push(x.ind);
    if (this.pathRegexes.length > 0) {
      const win = evidencePath.replace(/\//g, '\\');
      for (const x of this.pathRegexes) {
        const hit = x.re.test(win) || x.re.test(evidencePath);
        if (hit && !(x.fp && (x.fp.test(win) || x.fp.test(evidencePath)))) out.push(x.ind);
      }
    }
    return out;
  }

  /** Exact IP match; IPv6 compared in canonical form, IPv4-mapped IPv6 as IPv4. */
  matchIp(ip: string): Indicator[] {
    const n = normalizeIp(ip);
    return n === null ? [] : (this.ips.get(n) ?? []);
  }

  /**
   * Exact, case-insensitive match of a log field. A `url` value is also checked against domain
   * indicators by its host; user agents are compared with IIS's `+` read as a space.
   */
  matchText(field: TextField, value: string): Indicator[] {
    if (field === 'user-agent') return this.text.get(`user-agent:${normalizeUserAgent(value).toLowerCase()}`) ?? [];
    if (field === 'domain') return this.text.get(`domain:${normalizeDomain(value)}`) ?? [];
    const out = [...(this.text.get(`url:${value.trim().toLowerCase()}`) ?? [])];
    const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]+)/i.exec(value.trim())?.[1];
    if (host !== undefined) out.push(...(this.text.get(`domain:${normalizeDomain(host)}`) ?? []));
    return out;
  }
}
