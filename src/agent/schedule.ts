/** The agent's timing: `--interval` text (`30m`, `6h`, `1d`) and the backoff between failed send rounds. */

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const MIN_INTERVAL_MS = 60_000;
export const MAX_INTERVAL_MS = 30 * 86_400_000;

/** `30m`, `6h`, `1d`, `90s` (also `1h30m`) as milliseconds; a message string when it cannot be used. */
export function parseInterval(text: string): number | string {
  const t = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(t)) return `--interval: expected a duration such as 30m, 6h or 1d, got ${text.slice(0, 40)}`;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) ms += Number(m[1]) * (UNITS[m[2] ?? ''] ?? 0);
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) return `--interval: expected between 1m and 30d, got ${text.slice(0, 40)}`;
  return Math.round(ms);
}

/** Human form of a duration for status lines (`6h`, `1h30m`, `45s`). */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join('');
}

export const BACKOFF_FIRST_MS = 30_000;
export const BACKOFF_MAX_MS = 30 * 60_000;

/**
 * Wait before send attempt number `failures + 1`: 30 s doubling to at most 30 min, at least the
 * server's Retry-After, never past `untilNextScan` (the next scan round sends anyway). `jitter`
 * in [0, 1) spreads agents that failed together (up to +20 %).
 */
export function backoffMs(failures: number, untilNextScan: number, retryAfterMs = 0, jitter = 0): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1));
  const wait = Math.max(retryAfterMs, Math.round(base * (1 + 0.2 * jitter)));
  return Math.max(0, Math.min(wait, untilNextScan));
}
