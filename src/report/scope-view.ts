/**
 * The report's additive `scope` object (engines/scope/types.ts) as the writers read it: a
 * report may come from a file, so the shape is checked and missing lists read as empty.
 */
import type { Report } from '../findings/types.js';
import type { ScopeSection } from '../engines/scope/types.js';

const LISTS = ['identities', 'attackers', 'mailboxes', 'exports', 'staged', 'gaps', 'notes'] as const;

/** The scope section of a report, or null when it has none (or not of this shape). */
export function scopeOf(report: Report): ScopeSection | null {
  const s = report['scope'];
  if (s === null || typeof s !== 'object') return null;
  const o = s as Record<string, unknown>;
  const fixed: Record<string, unknown> = { ...o };
  for (const k of LISTS) fixed[k] = Array.isArray(o[k]) ? o[k] : [];
  const w = o['window'];
  fixed['window'] = w && typeof w === 'object' && typeof (w as Record<string, unknown>)['from'] === 'string' ? w : null;
  return fixed as unknown as ScopeSection;
}

/** `ews 3, owa 2` from protocol counts. */
export function protocolText(p: Readonly<Record<string, number | undefined>> | undefined): string {
  return Object.entries(p ?? {})
    .filter(([, n]) => typeof n === 'number')
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

/** `2xx 7, 4xx 1` from status classes. */
export function statusText(s: Readonly<Record<string, number>> | undefined): string {
  return Object.entries(s ?? {}).map(([k, n]) => `${k} ${n}`).join(', ');
}

/** The identity an attacker entry stands for (`address 1.2.3.4` / `user CORP\x`). */
export function attackerName(a: { readonly address?: string; readonly user?: string }): string {
  return a.address !== undefined ? `address ${a.address}` : `user ${a.user ?? '?'}`;
}
