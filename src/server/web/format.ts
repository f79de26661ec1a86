/** Small formatters shared by the dashboard pages: times, severities, triage statuses, counts. */
import type { Severity } from '../../findings/types.js';
import type { TriageStatus } from '../store/types.js';
import { html, type SafeHtml } from './html.js';

/** `2026-11-27 10:11 UTC` from an ISO time; the input as text when it is not one. */
export function when(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** A `<time>` element with the full ISO value as its machine-readable datetime. */
export function timeEl(iso: string | null | undefined): SafeHtml {
  if (iso === null || iso === undefined || iso === '') return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}">${when(iso)}</time>`;
}

export function severityBadge(s: Severity | null | undefined): SafeHtml {
  if (s === null || s === undefined) return html`<span class="badge sev-none">none</span>`;
  return html`<span class="badge sev-${s}">${s}</span>`;
}

export const STATUS_LABEL: Readonly<Record<TriageStatus, string>> = {
  new: 'new',
  confirmed: 'confirmed',
  false_positive: 'false positive',
  remediated: 'remediated',
};

export function statusBadge(s: TriageStatus): SafeHtml {
  return html`<span class="badge st-${s}">${STATUS_LABEL[s]}</span>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whole days from `asOf` (YYYY-MM-DD) to `deadline` (YYYY-MM-DD); negative when past. */
export function daysUntil(asOf: string, deadline: string): number {
  const a = Date.parse(`${asOf.slice(0, 10)}T00:00:00Z`);
  const d = Date.parse(`${deadline.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(d)) return 0;
  return Math.round((d - a) / 86_400_000);
}

export function countdown(days: number): SafeHtml {
  if (days > 0) return html`<span class="countdown open">${plural(days, 'day')} left</span>`;
  if (days === 0) return html`<span class="countdown due">due today</span>`;
  return html`<span class="countdown past">${plural(-days, 'day')} past the deadline</span>`;
}
