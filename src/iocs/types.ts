/**
 * The IOC contract: every feed format (MSTIC CSV/JSON, STIX 2.1, MISP, plain lists) is parsed
 * into these plain records before anything stores or matches them.
 */

export const IOC_TYPES = ['md5', 'sha1', 'sha256', 'ip', 'domain', 'url', 'filename', 'path', 'path-regex', 'user-agent'] as const;
export type IocType = (typeof IOC_TYPES)[number];

/** TLP levels, lowest first (TLP 2.0; `white` is TLP 1.0's name for `clear`). */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export type FeedFormat = 'mstic-csv' | 'mstic-json' | 'stix' | 'misp' | 'plain';

/** One indicator, normalised (see normalize.ts for how each type's value is written). */
export interface Indicator {
  readonly type: IocType;
  readonly value: string;
  /** Name of the feed it came from. */
  readonly feed: string;
  readonly tlp: Tlp;
  /** 0-100 as STIX defines it, when the feed gives one. */
  readonly confidence?: number;
  /** ISO 8601; the indicator is not applied after it. */
  readonly validUntil?: string;
  /** The feed's own id (STIX indicator id, MISP attribute uuid). */
  readonly sourceId?: string;
  readonly title?: string;
  /** When the feed rates the threat itself (MISP threat level, a `REGEX;SCORE` list's score). */
  readonly severity?: 'high' | 'medium' | 'low';
  /** `path-regex` only: paths that also match this regex are not reported (the list's third column). */
  readonly falsePositive?: string;
}

/** A pattern or attribute that is valid in its format but cannot be evaluated by exhunt. */
export interface Unsupported {
  readonly sourceId: string;
  readonly what: string;
  readonly reason: string;
}

export interface ParsedFeed {
  readonly format: FeedFormat;
  readonly indicators: readonly Indicator[];
  readonly unsupported: readonly Unsupported[];
}

/** A feed that cannot be read: names the file and, where known, the line (1-based) or byte position. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    readonly path: string,
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(`${path}${line === null ? '' : `:${line}`}: ${detail}`);
  }
}

/** Options every parser receives. */
export interface ParseContext {
  readonly path: string;
  readonly feed: string;
  /** TLP given on the command line; overrides what the feed says only when the feed says nothing. */
  readonly tlp?: Tlp;
}
