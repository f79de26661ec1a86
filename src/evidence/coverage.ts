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

/** A tracker's state as plain data (for passing between worker threads), see `merge`. */
export interface CoverageState {
  readonly sources: readonly {
    readonly name: string;
    readonly files: readonly (readonly [string, number, number, number])[];
    readonly hours: readonly (readonly [number, number, number])[];
    readonly records: number;
    readonly untimed: number;
  }[];
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
    this.observe(source, file, time, true);
  }

  /**
   * `n` records of `file` read but not parsed (a pre-screen dropped them: no rule could match),
   * so the count says what was read; their hours reach coverage through `touch`.
   */
  count(source: string, file: string, n: number): void {
    if (n <= 0) return;
    const s = this.source(source);
    let f = s.files.get(file);
    if (!f) {
      f = { min: Infinity, max: -Infinity, records: 0 };
      s.files.set(file, f);
    }
    f.records += n;
    s.records += n;
  }

  /**
   * A time seen in `file` without counting a record (e.g. lines a pre-screen skipped unparsed):
   * it widens the window and fills the hour, so skipped lines never look like a gap.
   */
  touch(source: string, file: string, time: string): void {
    this.observe(source, file, time, false);
  }

  private observe(source: string, file: string, time: string | null, isRecord: boolean): void {
    const s = this.source(source);
    let f = s.files.get(file);
    if (!f) {
      f = { min: Infinity, max: -Infinity, records: 0 };
      s.files.set(file, f);
    }
    if (isRecord) {
      f.records++;
      s.records++;
    }
    const t = time === null ? NaN : Date.parse(time);
    if (!Number.isFinite(t)) {
      if (isRecord) s.untimed++;
      return;
    }
    widen(f, t);
    const hour = Math.floor(t / HOUR_MS);
    const span = s.hours.get(hour);
    if (span) widen(span, t);
    else s.hours.set(hour, { min: t, max: t });
  }

  /** The state as plain data (structured-clone safe). */
  state(): CoverageState {
    return {
      sources: [...this.sources.entries()].map(([name, s]) => ({
        name,
        files: [...s.files.entries()].map(([f, c]) => [f, c.min, c.max, c.records] as const),
        hours: [...s.hours.entries()].map(([h, sp]) => [h, sp.min, sp.max] as const),
        records: s.records,
        untimed: s.untimed,
      })),
    };
  }

  /** Adds another tracker's state (e.g. from a worker thread) to this one. */
  merge(state: CoverageState): void {
    for (const src of state.sources) {
      const s = this.source(src.name);
      s.records += src.records;
      s.untimed += src.untimed;
      for (const [file, min, max, records] of src.files) {
        const f = s.files.get(file);
        if (f) {
          f.min = Math.min(f.min, min);
          f.max = Math.max(f.max, max);
          f.records += records;
        } else s.files.set(file, { min, max, records });
      }
      for (const [hour, min, max] of src.hours) {
        const span = s.hours.get(hour);
        if (span) {
          span.min = Math.min(span.min, min);
          span.max = Math.max(span.max, max);
        } else s.hours.set(hour, { min, max });
      }
    }
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
