/**
 * The event engine's entry points for the scan and `hunt events`: `huntEvents` streams each
 * `.evtx` file (parsers/evtx), runs the event matcher on every record and aggregates the hits
 * into findings; `createEventHunter` is the same per record, for a caller that reads the
 * files itself. A file that cannot be read is reported and the rest go on.
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

export interface EventHunter {
  /** Matches one record and keeps its hits. */
  add(rec: EventRecord): void;
  /** Findings so far (aggregated unless `raw`), in order of first appearance. */
  findings(): Finding[];
  /** How many of the rules given apply to event records (0: nothing to match). */
  readonly ruleCount: number;
}

/** Event rules among `rules` (own `logsource: evtx`, Sigma `product: windows`) over records fed one by one. */
export function createEventHunter(rules: readonly Rule[], opts: { readonly raw?: boolean } = {}): EventHunter {
  const matcher = createEventMatcher(rules);
  const agg = createEventAggregator({ raw: opts.raw ?? false });
  return {
    ruleCount: matcher.size,
    add(rec) {
      if (matcher.size === 0) return;
      for (const hit of matcher.match(rec)) agg.add(rec, hit);
    },
    findings: () => agg.findings(),
  };
}

export interface HuntEventsOptions {
  /** One finding per matching record instead of per rule + computer + day. */
  readonly raw?: boolean;
  /** Problems inside a file (corrupt chunk or record): reported, the rest is parsed. */
  readonly onIssue?: (i: ParseIssue) => void;
  /** A file that could not be read at all (default: reported through `onIssue`). */
  readonly onFileError?: (file: EventFile, message: string) => void;
  /** Before each file (progress). */
  readonly onFile?: (file: EventFile) => void;
  /** Every record read, in file order (coverage, stats, progress). */
  readonly onRecord?: (rec: EventRecord) => void;
  /** Decoder worker threads for large files (parsers/evtx; default 2, 0 = this thread only). */
  readonly workers?: number;
}

/** Runs the event rules among `rules` over the records of `files`, one file after another. */
export async function huntEvents(files: readonly EventFile[], rules: readonly Rule[], opts: HuntEventsOptions = {}): Promise<Finding[]> {
  const hunter = createEventHunter(rules, { raw: opts.raw ?? false });
  const onIssue = opts.onIssue ?? ((): void => undefined);
  const onFileError = opts.onFileError ?? ((f: EventFile, message: string): void => onIssue({ path: f.evidencePath, line: null, message }));
  const readOpts = { onIssue, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) };
  for (const f of files) {
    opts.onFile?.(f);
    try {
      for await (const rec of readEvtx(f.abs, f.evidencePath, readOpts)) {
        opts.onRecord?.(rec);
        hunter.add(rec);
      }
    } catch (e) {
      onFileError(f, `cannot read event log: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return hunter.findings();
}
