/**
 * HTML building blocks for the dashboard. `html` (from report/escape.ts) escapes every
 * interpolation — after stripping control characters and ANSI escapes — unless the value was
 * itself produced by `html`; attribute values must sit inside double quotes. Links are built
 * only through `href`/`link` below, which accept our own relative paths and http(s) URLs and
 * nothing else: a `javascript:` or `data:` URL taken from evidence is shown as text.
 */
import { html, httpUrl, SafeHtml } from '../../report/escape.js';

export { html, SafeHtml };

/** One of our own paths: starts with a single `/` (not `//`, not `/\`), or is a bare query. */
function localPath(s: string): boolean {
  return /^\/(?![/\\])/.test(s) || s.startsWith('?');
}

/**
 * A URL that may stand in an `href`/`action`: a local path (ours) or an absolute http(s) URL;
 * null for everything else (`javascript:`, `data:`, `vbscript:`, protocol-relative, malformed).
 * Control characters and whitespace inside are refused, not stripped, so nothing is re-joined.
 */
export function safeUrl(s: string): string | null {
  if (/[\x00-\x20\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(s)) return null;
  if (localPath(s)) return s;
  return httpUrl(s);
}

/** `<a href="…">text</a>` when `url` is safe, else the text (and the URL, if different) as text. */
export function link(url: string, text?: string | SafeHtml, cls?: string): SafeHtml {
  const ok = safeUrl(url);
  const label = text ?? url;
  if (ok === null) return html`<span class="unsafe-url">${label}</span>`;
  return html`<a href="${ok}"${cls !== undefined ? html` class="${cls}"` : null}${
    localPath(ok) ? null : html` rel="noopener noreferrer nofollow" target="_blank"`}>${label}</a>`;
}

/** A link when `s` is an absolute http(s) URL, else `s` as plain text (for sources and references). */
export function linkOrText(s: string): SafeHtml {
  return httpUrl(s) !== null && safeUrl(s) !== null ? link(s) : html`${s}`;
}

/** A local path with a query string built from defined, non-empty parameters. */
export function withQuery(path: string, params: Readonly<Record<string, string | number | boolean | undefined | null>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}

/** Joins fragments with a separator (all escaped as usual). */
export function join(parts: readonly (SafeHtml | string)[], sep: SafeHtml | string): SafeHtml {
  return html`${parts.map((p, i) => (i === 0 ? html`${p}` : html`${sep}${p}`))}`;
}
