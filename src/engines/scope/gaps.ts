/**
 * Honesty about what the logs can answer: the attack window (first attacker finding − 1 day ..
 * last + 1 day) against each log family's coverage. A family that is missing, starts late,
 * ends early or has gaps (> 24 h, see evidence/coverage.ts) inside the window gives a gap
 * entry with a plain reason: "logs cannot answer for <window>: <reason>".
 */
import type { Coverage, Finding } from '../../findings/types.js';
import type { ScopeGap, ScopeWindow } from './types.js';

const DAY_MS = 24 * 3600 * 1000;

/** Families that answer which mailboxes were touched, and what they are called for people. */
export const ACCESS_FAMILIES: readonly (readonly [string, string])[] = [
  ['iis', 'IIS logs'],
  ['httpproxy', 'HttpProxy logs'],
];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** min .. max of the times, widened by a day each side; null when none is a valid time. */
export function windowAround(times: readonly (string | null)[]): ScopeWindow | null {
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    const ms = t === null ? NaN : Date.parse(t);
    if (!Number.isFinite(ms)) continue;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  if (!Number.isFinite(min)) return null;
  return { from: iso(min - DAY_MS), to: iso(max + DAY_MS) };
}

/** The attack window of the findings (their first/last times ± 1 day), or null when none is dated. */
export function attackWindow(findings: readonly Finding[]): ScopeWindow | null {
  return windowAround(findings.flatMap((f) => [f.firstSeen, f.lastSeen, f.time]));
}

/** The parts of `window` that `cov` does not reach, with the reason. */
export function familyGaps(window: ScopeWindow, source: string, label: string, cov: Coverage | undefined): ScopeGap[] {
  if (!cov || cov.from === null || cov.to === null) {
    return [{ source, from: window.from, to: window.to, reason: `no ${label} in the evidence` }];
  }
  if (cov.to < window.from || cov.from > window.to) {
    return [{ source, from: window.from, to: window.to, reason: `${label} cover only ${cov.from} .. ${cov.to}, outside the window` }];
  }
  const out: ScopeGap[] = [];
  if (cov.from > window.from) out.push({ source, from: window.from, to: cov.from, reason: `${label} start at ${cov.from}` });
  for (const g of cov.gaps) {
    if (g.to <= window.from || g.from >= window.to) continue;
    const from = g.from < window.from ? window.from : g.from;
    const to = g.to > window.to ? window.to : g.to;
    out.push({ source, from, to, reason: `${label} have no records from ${g.from} to ${g.to}` });
  }
  if (cov.to < window.to) out.push({ source, from: cov.to, to: window.to, reason: `${label} end at ${cov.to}` });
  return out;
}

/** Gaps of every access family in the window (none when there is no window). */
export function scopeGaps(window: ScopeWindow | null, coverage: readonly Coverage[]): ScopeGap[] {
  if (window === null) return [];
  return ACCESS_FAMILIES.flatMap(([source, label]) => familyGaps(window, source, label, coverage.find((c) => c.source === source)));
}

/** One sentence per gap, as the reports print it. */
export function gapSentence(g: ScopeGap): string {
  return `logs cannot answer for ${g.from} .. ${g.to}: ${g.reason}`;
}
