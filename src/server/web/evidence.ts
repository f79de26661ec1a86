/**
 * Rendering of what came from a report: a finding's evidence, its rule references, a
 * posture, coverage windows. Every string here is attacker-controlled and goes through `html`
 * (controls stripped, escaped); references become links only when they are http(s) URLs.
 */
import type { Coverage, Posture, TimeGap } from '../../findings/types.js';
import { timeEl } from './format.js';
import { html, link, type SafeHtml } from './html.js';

const EXCERPT_MAX = 2000;
const VALUE_MAX = 500;

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s;
}

/** Any JSON value as short text (objects as JSON). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return clip(v, VALUE_MAX);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return clip(JSON.stringify(v) ?? '', VALUE_MAX);
}

function record(v: unknown): Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const KNOWN_EVIDENCE = new Set(['kind', 'path', 'line', 'recordId', 'sha256', 'excerpt']);

/** A finding's `evidence` object (from the stored report JSON: shape not trusted). */
export function evidenceBlock(evidence: unknown): SafeHtml {
  const e = record(evidence);
  const loc = [e['line'] != null ? html` line ${valueText(e['line'])}` : null, e['recordId'] != null ? html` record ${valueText(e['recordId'])}` : null];
  const extras = Object.entries(e).filter(([k]) => !KNOWN_EVIDENCE.has(k));
  return html`<div class="evidence">
<p><span class="badge">${valueText(e['kind'])}</span> <code class="path">${valueText(e['path'])}</code>${loc}</p>
${e['sha256'] != null ? html`<p>SHA-256 <code>${valueText(e['sha256'])}</code></p>` : null}
${typeof e['excerpt'] === 'string' && e['excerpt'] !== '' ? html`<pre class="excerpt">${clip(e['excerpt'], EXCERPT_MAX)}</pre>` : null}
${extras.length > 0 ? html`<dl class="kv">${extras.map(([k, v]) => html`<dt>${k}</dt><dd>${valueText(v)}</dd>`)}</dl>` : null}
</div>`;
}

/** The rule's author, licence and references (links only for http(s)). */
export function ruleBlock(rule: unknown): SafeHtml {
  const r = record(rule);
  const refs = Array.isArray(r['refs']) ? r['refs'].filter((x): x is string => typeof x === 'string').slice(0, 20) : [];
  return html`<p class="rule">Rule source ${valueText(r['source'])} · author ${valueText(r['author'])} · licence ${valueText(r['license'])}</p>
${refs.length > 0 ? html`<ul class="refs">${refs.map((u) => html`<li>${link(u)}</li>`)}</ul>` : null}`;
}

/** Finding `details` as key/value pairs. */
export function detailsBlock(details: unknown): SafeHtml {
  const d = Object.entries(record(details)).slice(0, 50);
  return d.length === 0 ? html`` : html`<dl class="kv">${d.map(([k, v]) => html`<dt>${k}</dt><dd>${valueText(v)}</dd>`)}</dl>`;
}

function cveList(ids: readonly string[], max = 40): SafeHtml {
  if (ids.length === 0) return html`<span class="good">none</span>`;
  const shown = ids.slice(0, max).map((c) => html`<code>${c}</code> `);
  return html`${shown}${ids.length > max ? html`and ${ids.length - max} more` : null}`;
}

/** Posture of the newest report, with the update to install. */
export function postureBlock(p: Posture | null): SafeHtml {
  if (p === null) return html`<p class="muted">The newest report carries no posture (no build was found).</p>`;
  const fix = p.fixedBy;
  const install = fix === null
    ? html`<span class="good">nothing: no open CVE has a fix to install</span>`
    : html`${fix.su ? html`<strong>${fix.su}</strong>` : null}${fix.build ? html` (build <code>${fix.build}</code>)` : null}${fix.latestCu ? html`; latest CU: <strong>${fix.latestCu}</strong>` : null}`;
  return html`<dl class="kv posture">
<dt>Build</dt><dd><code>${p.build ?? 'unknown'}</code>${p.buildSource ? html` <span class="muted">from ${p.buildSource}</span>` : null}</dd>
<dt>Product</dt><dd>${p.product ?? '—'} ${p.cu ?? ''} ${p.su ?? ''}</dd>
<dt>Supported</dt><dd>${p.supported === null ? 'unknown' : p.supported ? 'yes' : html`<span class="bad">no</span>`}</dd>
<dt>Open CVEs</dt><dd>${cveList(p.openCves)}</dd>
<dt>Open if configured</dt><dd>${cveList(p.openCvesIfConfigured)}</dd>
<dt>Update to install</dt><dd>${install}</dd>
</dl>`;
}

/** Log coverage windows and their gaps. */
export function coverageTable(cov: readonly Coverage[]): SafeHtml {
  if (cov.length === 0) return html`<p class="muted">The newest report lists no log coverage: "no findings" proves nothing for logs it did not read.</p>`;
  const rows = cov.slice(0, 100).map((c) => {
    const gaps: readonly TimeGap[] = Array.isArray(c.gaps) ? c.gaps.slice(0, 20) : [];
    return html`<tr><td>${valueText(c.source)}</td><td class="num">${valueText(c.files)}</td><td>${timeEl(c.from)}</td><td>${timeEl(c.to)}</td><td>${
      gaps.length === 0 ? html`<span class="good">none</span>` : html`<ul class="gaps">${gaps.map((g) => html`<li>${timeEl(g.from)} – ${timeEl(g.to)}</li>`)}</ul>${c.gaps.length > 20 ? html`and ${c.gaps.length - 20} more` : null}`}</td></tr>`;
  });
  return html`<table class="list"><thead><tr><th scope="col">Source</th><th scope="col">Files</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Gaps</th></tr></thead><tbody>${rows}</tbody></table>`;
}
