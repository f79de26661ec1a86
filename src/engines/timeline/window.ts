/**
 * The attack window: from the first to the last finding at medium or above (else any timed
 * finding), widened by a pad on each side; `--from` / `--to` replace either end, `--all`
 * removes it. File-system times outside it are dropped and counted.
 */
import { atLeast, type Finding, type Severity } from '../../findings/types.js';
import { parseUtc } from './time.js';
import type { AttackWindow } from './types.js';

export interface WindowOptions {
  readonly padMs: number;
  /** Epoch ms from `--from` / `--to` (each replaces that end, unpadded). */
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  /** `--all`: no window at all. */
  readonly all?: boolean;
  /** Findings at or above this severity set the default window (default `medium`). */
  readonly threshold?: Severity;
}

function span(findings: readonly Finding[]): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const f of findings) {
    for (const s of [f.time, f.firstSeen, f.lastSeen]) {
      const t = s === null ? null : parseUtc(s);
      if (t === null) continue;
      from = Math.min(from, t);
      to = Math.max(to, t);
    }
  }
  return from === Infinity ? null : { from, to };
}

export function attackWindow(findings: readonly Finding[], opts: WindowOptions): AttackWindow {
  if (opts.all) return { from: null, to: null, basis: 'all', padMs: 0 };
  const threshold = opts.threshold ?? 'medium';
  const loud = span(findings.filter((f) => atLeast(f.severity, threshold)));
  const base = loud ?? span(findings);
  const basis = loud ? 'findings-medium' : base ? 'findings-any' : 'none';
  const padded = base ? { from: base.from - opts.padMs, to: base.to + opts.padMs } : null;
  const from = opts.from ?? padded?.from ?? null;
  const to = opts.to ?? padded?.to ?? null;
  const explicit = opts.from !== undefined || opts.to !== undefined;
  return { from, to, basis: explicit ? 'option' : basis, padMs: padded ? opts.padMs : 0 };
}

/** True when `ms` is inside the window (ends included; an open end admits everything). */
export function inWindow(w: AttackWindow, ms: number): boolean {
  return (w.from === null || ms >= w.from) && (w.to === null || ms <= w.to);
}
