/**
 * The matching API the scan engines use. `loadIocSet` gathers the stored feeds and the run's
 * `--ioc` files (expired indicators left out) into one IocSet; engines call its `match*` methods
 * per file / log line and turn each hit into a finding with `iocFinding`.
 *
 *   const { set, errors } = await loadIocSet({ files: opts.ioc, home: undefined, asOf: '2026-11-27' });
 *   for (const ind of set.matchHashes({ sha256 })) findings.push(iocFinding(ind, { kind: 'file', path, sha256 }));
 *   for (const ind of set.matchIp(fields['c-ip'])) findings.push(iocFinding(ind, { kind: 'log', path, line }, { time }));
 */
import { readFeed } from './feed.js';
import { IocSet } from './index-set.js';
import { defaultHome, listFeeds } from './store.js';
import { FeedError, type Indicator, type Unsupported } from './types.js';

export { IocSet, type FileHashes, type TextField } from './index-set.js';
export type { Indicator } from './types.js';
export { iocFinding, type IocFindingExtra } from './finding.js';

export interface LoadIocOptions {
  /** `--ioc` files, parsed for this run only. A file that fails to parse is skipped whole and listed in `errors`. */
  readonly files: readonly string[];
  /** Data folder holding `iocs/`; undefined = $EXHUNT_HOME or ~/.exhunt. */
  readonly home: string | undefined;
  /** Indicators whose `validUntil` is at or before this date/time are not applied. */
  readonly asOf: string | Date;
}

export interface LoadedIocSet {
  readonly set: IocSet;
  readonly errors: { path: string; line: number | null; message: string }[];
  /** Patterns/attributes in the `--ioc` files that are not applied (for the report's notes). */
  readonly unsupported: (Unsupported & { path: string })[];
  /** Feed names in the set, and how many indicators were left out as expired. */
  readonly feeds: string[];
  readonly expired: number;
}

function asOfTime(asOf: string | Date): number {
  const t = asOf instanceof Date ? asOf.getTime() : Date.parse(asOf);
  if (Number.isNaN(t)) throw new Error(`invalid asOf date: ${String(asOf)}`);
  return t;
}

export async function loadIocSet(opts: LoadIocOptions): Promise<LoadedIocSet> {
  const now = asOfTime(opts.asOf);
  const all: Indicator[] = [];
  const errors: LoadedIocSet['errors'] = [];
  const unsupported: LoadedIocSet['unsupported'] = [];
  const feeds: string[] = [];
  const stored = await listFeeds(opts.home ?? defaultHome());
  for (const e of stored.errors) errors.push({ path: e.path, line: null, message: e.message });
  for (const f of stored.feeds) { feeds.push(f.meta.name); all.push(...f.indicators); }
  for (const path of opts.files) {
    try {
      const f = await readFeed(path);
      feeds.push(f.name);
      all.push(...f.indicators);
      unsupported.push(...f.unsupported.map((u) => ({ ...u, path })));
    } catch (e) {
      if (!(e instanceof FeedError)) throw e;
      errors.push({ path: e.path, line: e.line, message: e.detail });
    }
  }
  const live = all.filter((i) => i.validUntil === undefined || !(Date.parse(i.validUntil) <= now));
  return { set: new IocSet(live), errors, unsupported, feeds, expired: all.length - live.length };
}
