/**
 * The one style sheet of the HTML report and its CSP hash. The page allows no script and no
 * external resource; the only style it applies is this block, allowed by its SHA-256 (so no
 * `style` attribute anywhere: classes and SVG presentation attributes only).
 */
import { createHash } from 'node:crypto';
import { html, raw, type SafeHtml } from './escape.js';

export const REPORT_CSS = `
:root { --critical: #8b0000; --high: #d32f2f; --medium: #ef8f00; --low: #2e7d9a; --info: #7a7a7a;
  --ink: #1d2430; --muted: #5d6675; --line: #dde1e7; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
header h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta, .muted { color: var(--muted); }
.verdict { font-size: 16px; font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 14px 0; }
.verdict.bad { background: #fdecea; color: #7f1d1d; }
.verdict.good { background: #e8f5e9; color: #1b5e20; }
.answers { display: flex; flex-wrap: wrap; gap: 12px; }
.answer { flex: 1 1 320px; border-radius: 6px; padding: 10px 14px; border: 1px solid var(--line); background: #fff; }
.answer .big { font-size: 22px; font-weight: 800; letter-spacing: .02em; }
.answer ul { margin: 6px 0 0; padding-left: 18px; }
.answer.bad { background: #fdecea; color: #7f1d1d; border-color: #f5c2bd; } .answer.good { background: #e8f5e9; color: #1b5e20; border-color: #b9dfbc; }
.answer.warn { background: #fff4e0; color: #6d4200; border-color: #f3d39c; } .answer.none { background: #eef0f3; color: var(--ink); }
.directive { padding: 8px 14px; border-radius: 6px; margin: 12px 0; border: 1px solid var(--line); background: #fff; }
.directive.bad { border-left: 6px solid var(--high); } .directive.good { border-left: 6px solid #2e7d32; } .directive.warn { border-left: 6px solid var(--medium); }
.gaps { margin: 12px 0; padding: 8px 14px; background: #fff; border: 1px dashed #b8c4d2; border-radius: 6px; } .gaps ul { margin: 4px 0 0; padding-left: 18px; }
ol.steps { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px 10px 34px; margin: 0; } ol.steps > li { margin: 4px 0; }
ul.items { margin: 2px 0 6px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { flex: 1 1 140px; background: #fff; border: 1px solid var(--line); border-top: 6px solid var(--info); border-radius: 6px; padding: 10px 14px; }
.card .n { font-size: 30px; font-weight: 700; }
.card.critical { border-top-color: var(--critical); } .card.high { border-top-color: var(--high); }
.card.medium { border-top-color: var(--medium); } .card.low { border-top-color: var(--low); }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: #eef0f3; font-weight: 600; }
table.kv th { width: 220px; }
table.findings { table-layout: fixed; } th.c-sev { width: 96px; } th.c-when { width: 150px; } th.c-rule { width: 200px; }
th.c-finding { width: 28%; } td a { overflow-wrap: anywhere; }
code, pre { font: 12px/1.4 ui-monospace, "Cascadia Mono", Consolas, monospace; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; margin: 4px 0; padding: 6px; background: #f3f4f6; border-radius: 4px; max-height: 12em; overflow: auto; }
.sev { display: inline-block; min-width: 64px; text-align: center; border-radius: 4px; padding: 1px 6px; color: #fff; font-weight: 600; font-size: 12px; text-transform: uppercase; }
.sev.critical { background: var(--critical); } .sev.high { background: var(--high); } .sev.medium { background: var(--medium); }
.sev.low { background: var(--low); } .sev.info { background: var(--info); }
.yes { color: #1b5e20; } .no { color: #b71c1c; font-weight: 600; }
ul.plain { list-style: none; margin: 0; padding: 0; }
svg.timeline { width: 100%; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
svg .lane { fill: #f3f4f6; } svg .axis { stroke: #9aa3ae; stroke-width: 1; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .critical { fill: var(--critical); } svg .high { fill: var(--high); } svg .medium { fill: var(--medium); }
svg .low { fill: var(--low); } svg .info { fill: var(--info); } svg .mark { opacity: .8; }
svg .covered { fill: #b8c4d2; } .caption { font-size: 12px; color: var(--muted); margin: 4px 0; } svg .gap { fill: #fff; stroke: #b8c4d2; stroke-dasharray: 2 2; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } main { max-width: none; padding: 0; } pre { max-height: none; } tr { break-inside: avoid; } }
`;

/** The CSP source expression allowing exactly REPORT_CSS: `'sha256-<base64>'`. */
export function styleHashSource(css: string = REPORT_CSS): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** The page's Content-Security-Policy: nothing but the hashed style block and data: images. */
export function contentSecurityPolicy(css: string = REPORT_CSS): string {
  return `default-src 'none'; style-src ${styleHashSource(css)}; img-src data:; base-uri 'none'; form-action 'none'`;
}

/** The head of every self-contained exhunt page: charset, the CSP with the style's hash, no referrer, the style. */
export function pageHead(title: string): SafeHtml {
  return html`<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${raw(contentSecurityPolicy()) /* ours: hash is base64 */}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(REPORT_CSS)}</style>
</head>`;
}
