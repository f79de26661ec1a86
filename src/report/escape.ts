/**
 * Escaping for every sink a report writes to. Everything read from evidence (log lines, user
 * agents, file names, file contents) is attacker-controlled and passes through here.
 *
 * - terminal: `stripControl` removes escape sequences and control characters; `oneLine` also
 *   makes line breaks and tabs visible, for single-line contexts.
 * - JSON: `terminalSafeJson` escapes what JSON.stringify leaves raw (DEL, C1, bidi controls).
 * - CSV: `csvCell` neutralises formula triggers (quoting itself is csv-stringify's job).
 * - HTML: the `html` tagged template escapes every interpolation unless wrapped by `raw()`.
 *   It is hand-written because it is ~40 lines; a templating dependency would add more risk
 *   (and more to audit) than it removes.
 */

/**
 * ANSI/VT escape sequences, 7-bit and 8-bit forms:
 * CSI (`ESC [` or 0x9B, parameters, intermediates, final byte); string sequences OSC, DCS, SOS,
 * PM, APC (`ESC ] P X ^ _` or 0x9D 0x90 0x98 0x9E 0x9F) up to BEL or ST (`ESC \` or 0x9C);
 * any other `ESC` + intermediates + final byte. An unterminated sequence loses only its
 * first two characters (`ESC ]` or `ESC [`), which leaves the rest harmless and visible.
 */
const ESCAPE_SEQUENCE =
  /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)|\x1b[\x20-\x2f]*[\x30-\x7e]/g;

/**
 * C0 controls except tab and line feed, DEL, C1 controls, and the Unicode bidirectional
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069) that can make `x.gpj.aspx` read as
 * something else on screen.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Removes terminal escape sequences and control characters. Keeps tab and line feed (CRLF
 * becomes LF; a lone CR, which could overwrite a line on screen, is removed).
 */
export function stripControl(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, '').replace(/\r\n/g, '\n').replace(CONTROL, '');
}

/** `stripControl`, then line feeds and tabs shown as the visible two characters `\n` and `\t`. */
export function oneLine(s: string): string {
  return stripControl(s).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** Characters JSON.stringify leaves raw that a terminal may act on or that reorder text. */
const JSON_UNSAFE = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text with DEL, C1 controls and bidi controls written as `\uXXXX` escapes, so that
 * `cat report.json` is harmless. These characters occur only inside JSON strings, where the
 * escape means the same character: the parsed document is unchanged.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Cell starts that spreadsheets read as a formula (OWASP "CSV injection"), tab and line
 * breaks included (a CR is already gone after `stripControl`, the class keeps it for clarity).
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * A string cell made safe for spreadsheets: control sequences removed, and a leading
 * `= + - @`, tab or line break neutralised by prefixing `'`. Quoting is left to the CSV writer.
 */
export function csvCell(s: string): string {
  const clean = stripControl(s);
  return FORMULA_START.test(clean) ? `'${clean}` : clean;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values; strips controls first. */
export function escapeHtml(s: string): string {
  return stripControl(s).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** Markup that is already safe: produced by `html` or explicitly trusted with `raw`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Trusts `s` as markup. Only for constants written in this code base, never for evidence. */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  if (typeof v === 'string') return escapeHtml(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return escapeHtml(JSON.stringify(v) ?? '');
}

/**
 * Auto-escaping template: html`<td>${text}</td>`. Strings are escaped, `SafeHtml` is kept,
 * arrays are rendered item by item and joined, null/undefined/false render as nothing.
 * Attribute values must be written inside double quotes.
 */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * The URL itself when `s` is an absolute http(s) URL, else null: only such references may
 * become links (`javascript:`, `data:`, relative and malformed references stay text).
 */
export function httpUrl(s: string): string | null {
  const clean = stripControl(s).trim();
  if (!/^https?:\/\//i.test(clean)) return null;
  try {
    const url = new URL(clean);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
