/**
 * Small, defensive readers for the XML files of the persistence checks (agents.config, task
 * XML): text decoding by byte-order mark (task files are UTF-16 LE), entity decoding limited to
 * the predefined and numeric references, and attribute / element lookups by regular expression
 * with line numbers. No DTDs, no entity expansion, nothing executed.
 */

/** Decodes a file's bytes: UTF-8 / UTF-16 LE / UTF-16 BE by BOM, UTF-16 LE sniffed from NULs. */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const body = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf.length >= 4 && buf[0] === 0x3c && buf[1] === 0x00) return buf.toString('utf16le');
  return buf.toString('utf8');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, ref: string) => {
    if (!ref.startsWith('#')) return ENTITIES[ref] ?? m;
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/** The attributes of one start tag's text (`<agent name="x" ... />`), names lower-cased. */
export function tagAttributes(tag: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/\s([A-Za-z_][\w:.-]{0,100})\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return out;
}

/** 1-based line of character offset `at` in `text`. */
export function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Removes `<!-- ... -->` comments, keeping line breaks so line numbers stay right. */
export function blankComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** Every `<name .../>` or `<name ...>` start tag (case-insensitive), with its offset. */
export function startTags(text: string, name: string): { readonly tag: string; readonly at: number }[] {
  const re = new RegExp(`<${name}(?=[\\s/>])[^<>]{0,8192}>`, 'gi');
  return [...text.matchAll(re)].map((m) => ({ tag: m[0], at: m.index }));
}

/** The inner text of every `<name ...>...</name>` element (case-insensitive), with its offset. */
export function elementBodies(text: string, name: string): { readonly body: string; readonly at: number }[] {
  const re = new RegExp(`<${name}(?:\\s[^<>]*)?>([\\s\\S]{0,1048576}?)</${name}\\s*>`, 'gi');
  return [...text.matchAll(re)].map((m) => ({ body: m[1] ?? '', at: m.index + m[0].indexOf('>') + 1 }));
}
