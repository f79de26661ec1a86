/**
 * Inline SVG charts for the overview. No style attributes (the CSP forbids inline style):
 * shapes take classes styled by app.css. Every label is escaped by `html`.
 */
import type { FleetTotals, FleetTrendPoint } from '../store/types.js';
import { html, type SafeHtml } from './html.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly cls: string;
}

/** Fleet posture as horizontal bars: exposed, exploited CVEs open, unsupported, not exposed. */
export function postureBars(t: FleetTotals): readonly Bar[] {
  return [
    { label: 'Exposed (open CVEs)', value: t.exposed, cls: 'bar-exposed' },
    { label: 'Exploited CVEs open', value: t.exploitedExposed, cls: 'bar-exploited' },
    { label: 'Unsupported build', value: t.unsupported, cls: 'bar-unsupported' },
    { label: 'Compromised (medium+ open)', value: t.compromised, cls: 'bar-compromised' },
    { label: 'Not exposed', value: Math.max(0, t.servers - t.exposed), cls: 'bar-ok' },
  ];
}

export function barChart(title: string, bars: readonly Bar[]): SafeHtml {
  const w = 480;
  const rowH = 26;
  const labelW = 200;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = bars.length * rowH + 10;
  const rows = bars.map((b, i) => {
    const y = 5 + i * rowH;
    const bw = Math.round(((w - labelW - 60) * b.value) / max);
    return html`<g><text class="chart-label" x="0" y="${y + 17}">${b.label}</text><rect class="${b.cls}" x="${labelW}" y="${y + 4}" width="${bw}" height="${rowH - 8}"><title>${b.label}: ${b.value}</title></rect><text class="chart-value" x="${labelW + bw + 6}" y="${y + 17}">${b.value}</text></g>`;
  });
  return html`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${title}">${rows}</svg><figcaption>${title}</figcaption></figure>`;
}

/** Reports and findings received per day, as paired columns, newest at the right. */
export function trendChart(points: readonly FleetTrendPoint[]): SafeHtml {
  if (points.length === 0) return html`<figure class="chart"><p class="muted">No reports in the period.</p><figcaption>Reports and findings per day</figcaption></figure>`;
  const w = 600;
  const h = 180;
  const base = h - 24;
  const slot = (w - 40) / points.length;
  const max = Math.max(1, ...points.map((p) => Math.max(p.reports, p.findings)));
  const scale = (v: number): number => Math.round(((base - 10) * v) / max);
  const cols = points.map((p, i) => {
    const x = 30 + i * slot;
    const bw = Math.max(1, slot / 2 - 1);
    const rh = scale(p.reports);
    const fh = scale(p.findings);
    const tick = i === 0 || i === points.length - 1 || points.length <= 14 ? html`<text class="chart-tick"${i === points.length - 1 && i > 0 ? html` text-anchor="end"` : null} x="${Math.round(i === points.length - 1 && i > 0 ? x + slot : x)}" y="${h - 6}">${p.day.slice(5)}</text>` : null;
    return html`<g><rect class="col-reports" x="${x.toFixed(1)}" y="${base - rh}" width="${bw.toFixed(1)}" height="${rh}"><title>${p.day}: ${p.reports} reports</title></rect><rect class="col-findings" x="${(x + bw).toFixed(1)}" y="${base - fh}" width="${bw.toFixed(1)}" height="${fh}"><title>${p.day}: ${p.findings} findings, ${p.exposedServers} exposed servers</title></rect>${tick}</g>`;
  });
  return html`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="Reports and findings per day"><line class="axis" x1="28" y1="${base}" x2="${w}" y2="${base}"/><text class="chart-tick" x="0" y="14">${max}</text>${cols}</svg>
<figcaption>Reports <span class="key key-reports"></span> and findings <span class="key key-findings"></span> received per day</figcaption></figure>`;
}
