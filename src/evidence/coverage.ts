/**
 * Coverage of each source: the time window its records span and the gaps (> 24 h) in it,
 * so that "no hits" can be read against what the logs actually cover. Cheap per record:
 * per file a min/max and a count; per source the min/max time of each distinct hour seen,
 * so memory grows with the hours spanned, not with the records.
 */
import type { Coverage, TimeGap } from '../findings/types.js';

const HOUR_MS = 3_600_000;
/** A silence longer than this between observed times is reported as a gap. */
export const GAP_MS = 24 * HOUR_MS;

interface Span {
  min: number;
  max: number;
}

interface FileCoverage extends Span {
  records: number;
}

interface SourceCoverage {
  readonly files: Map<string, FileCoverage>;
  /** Hour bucket -> earliest and latest time seen in that hour. */
  readonly hours: Map<number, Span>;
  records: number;
  untimed: number;
}

function widen(span: Span, t: number): void {
  if (t < span.min) span.min = t;
  if (t > span.max) span.max = t;
}

/** The gaps longer than `gapMs` between the hours seen (sorted here). */
function gapsOf(hours: ReadonlyMap<number, Span>, gapMs: number): TimeGap[] {
  const keys = [...hours.keys()].sort((a, b) => a - b);
  const gaps: TimeGap[] = [];
  for (let i = 1; i < keys.length; i++) {
    const before = hours.get(keys[i - 1] as number);
    const afterSpan = hours.get(keys[i] as number);
    if (!before || !afterSpan) continue;
    if (afterSpan.min - before.max > gapMs) {
      gaps.push({ from: new Date(before.max).toISOString(), to: new Date(afterSpan.min).toISOString() });
    }
  }
  return gaps;
}

export class CoverageTracker {
  private readonly sources = new Map<string, SourceCoverage>();

  constructor(private readonly gapMs: number = GAP_MS) {}

  private source(name: string): SourceCoverage {
    let s = this.sources.get(name);
    if (!s) {
      s = { files: new Map(), hours: new Map(), records: 0, untimed: 0 };
      this.sources.set(name, s);
    }
    return s;
  }

  /** Registers a file of a source without records (so it counts in `files`). */
  addFile(source: string, file: string): void {
    const s = this.source(source);
    if (!s.files.has(file)) s.files.set(file, { min: Infinity, max: -Infinity, records: 0 });
  }

  /** One record of `source` from `file`, at `time` (ISO 8601) when known. */
  add(source: string, file: string, time: string | null): void {
    const s = this.source(source);
    let f = s.files.get(file);
    if (!f) {
      f = { min: Infinity, max: -Infinity, records: 0 };
      s.files.set(file, f);
    }
    f.records++;
    s.records++;
    const t = time === null ? NaN : Date.parse(time);
    if (!Number.isFinite(t)) {
      s.untimed++;
      return;
    }
    widen(f, t);
    const hour = Math.floor(t / HOUR_MS);
    const span = s.hours.get(hour);
    if (span) widen(span, t);
    else s.hours.set(hour, { min: t, max: t });
  }

  /** One Coverage per source (sorted by name), with `records` and `untimed` as extra fields. */
  result(): Coverage[] {
    return [...this.sources.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([source, s]) => {
        let min = Infinity;
        let max = -Infinity;
        for (const f of s.files.values()) {
          if (f.min < min) min = f.min;
          if (f.max > max) max = f.max;
        }
        const timed = Number.isFinite(min);
        return {
          source,
          files: s.files.size,
          from: timed ? new Date(min).toISOString() : null,
          to: timed ? new Date(max).toISOString() : null,
          gaps: gapsOf(s.hours, this.gapMs),
          records: s.records,
          untimed: s.untimed,
        };
      });
  }
}
