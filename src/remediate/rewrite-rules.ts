/**
 * Reads IIS URL Rewrite inbound rules (`system.webServer/rewrite/rules/rule`) from a
 * `web.config` or an `applicationHost.config` (server level and `<location path=...>`).
 * The text is attacker-reachable: size-capped, validated, parsed without entity expansion.
 * Schema: https://learn.microsoft.com/iis/extensions/url-rewrite-module/url-rewrite-module-configuration-reference
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export interface RewriteCondition {
  readonly input: string;
  readonly pattern: string;
  readonly negate: boolean;
}

export interface RewriteRule {
  readonly name: string;
  readonly enabled: boolean;
  /** `<match url=...>` */
  readonly url: string | null;
  readonly conditions: readonly RewriteCondition[];
  /** `<action type=...>` (AbortRequest, CustomResponse, Rewrite, ...). */
  readonly action: string | null;
  /** `path` of the enclosing `<location>`, or null. */
  readonly location: string | null;
}

type XmlNode = Record<string, unknown>;

const parser = (): XMLParser =>
  new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', allowBooleanAttributes: true, parseAttributeValue: false,
    parseTagValue: false, processEntities: false, htmlEntities: false, ignoreDeclaration: true, ignorePiTags: true,
    isArray: (_n: string, _p: unknown, _l: boolean, isAttribute: boolean) => !isAttribute,
    attributeValueProcessor: (_n: string, v: string) =>
      v.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? ''),
  });

function kids(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object' || !Object.hasOwn(node, name)) return [];
  const v = (node as XmlNode)[name];
  return Array.isArray(v) ? v.filter((x): x is XmlNode => !!x && typeof x === 'object') : [];
}

function under(from: readonly XmlNode[], ...names: string[]): XmlNode[] {
  let cur = [...from];
  for (const n of names) cur = cur.flatMap((c) => kids(c, n));
  return cur;
}

function attr(node: XmlNode | undefined, name: string): string | null {
  const v = node && Object.hasOwn(node, `@${name}`) ? node[`@${name}`] : undefined;
  return typeof v === 'string' ? v : null;
}

function readRule(rule: XmlNode, location: string | null): RewriteRule | null {
  const name = attr(rule, 'name');
  if (name === null) return null;
  const conditions = under([rule], 'conditions', 'add').flatMap((c) => {
    const input = attr(c, 'input');
    const pattern = attr(c, 'pattern');
    return input === null || pattern === null ? [] : [{ input, pattern, negate: attr(c, 'negate')?.toLowerCase() === 'true' }];
  });
  return {
    name, enabled: attr(rule, 'enabled')?.toLowerCase() !== 'false', url: attr(kids(rule, 'match')[0], 'url'),
    conditions, action: attr(kids(rule, 'action')[0], 'type'), location,
  };
}

/** Inbound rewrite rules of a config file's text; throws Error (one line) when it is not XML. */
export function parseRewriteRules(text: string): RewriteRule[] {
  if (text.length > MAX_CONFIG_BYTES) throw new Error('configuration file is too large to be real');
  const body = text.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body, { allowBooleanAttributes: true });
  if (valid !== true) throw new Error(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`.replace(/[\r\n]+/g, ' '));
  const conf = kids(parser().parse(body), 'configuration');
  const top = under(conf, 'system.webServer').map((ws) => ({ ws, where: null as string | null }));
  const located = under(conf, 'location').flatMap((loc) => under([loc], 'system.webServer').map((ws) => ({ ws, where: attr(loc, 'path') ?? '' })));
  return [...top, ...located].flatMap(({ ws, where }) =>
    under([ws], 'rewrite', 'rules', 'rule').flatMap((r) => readRule(r, where) ?? []),
  );
}

/** Decodes a config file's bytes (UTF-16 LE with BOM, else UTF-8). */
export function decodeConfig(buf: Buffer): string {
  return buf[0] === 0xff && buf[1] === 0xfe ? buf.subarray(2).toString('utf16le') : buf.toString('utf8');
}
