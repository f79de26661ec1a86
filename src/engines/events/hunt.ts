/**
 * The event engine's entry point for the scan and `hunt events`: streams each `.evtx` file
 * (parsers/evtx), runs the event matcher on every record and aggregates the hits into
 * findings. A file that cannot be read is reported through `onIssue` and the rest go on.
 */
import type { Finding } from '../../findings/types.js';
import { readEvtx } from '../../parsers/evtx/index.js';
import type { EventRecord, ParseIssue } from '../../parsers/types.js';
import type { Rule } from '../../rules/types.js';
import { createEventAggregator } from './aggregate.js';
import { createEventMatcher } from './matcher.js';

export interface EventFile {
  /** Absolute path on this machine. */
  readonly abs: string;
  /** Evidence path with `/` separators (goes into records, issues and findings). */
  readonly evidencePath: string;
}

export interface HuntEventsOptions {
  /** One finding per matching record instead of per rule + computer + day. */
  readonly raw?: boolean;
  readonly onIssue?: (i: ParseIssue) => void;
  /** Every record read, in file order (coverage, stats, progress). */
  readonly onRecord?: (rec: EventRecord) => void;
  /** Decoder worker threads for large files (parsers/evtx; default 2, 0 = this thread only). */
  readonly workers?: number;
}

/**
 * Runs every event rule among `rules` (own `logsource: evtx` rules, Sigma `product: windows`
 * rules; others are ignored) over the records of `files`, one file after another.
 */
export async function huntEvents(files: readonly EventFile[], rules: readonly Rule[], opts: HuntEventsOptions = {}): Promise<Finding[]> {
  const matcher = createEventMatcher(rules);
  const agg = createEventAggregator({ raw: opts.raw ?? false });
  const onIssue = opts.onIssue ?? ((): void => undefined);
  for (const f of files) {
    try {
      for await (const rec of readEvtx(f.abs, f.evidencePath, { onIssue, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) })) {
        opts.onRecord?.(rec);
        if (matcher.size === 0) continue;
        for (const hit of matcher.match(rec)) agg.add(rec, hit);
      }
    } catch (e) {
      onIssue({ path: f.evidencePath, line: null, message: `cannot read event log: ${(e as Error).message}` });
    }
  }
  return agg.findings();
}
