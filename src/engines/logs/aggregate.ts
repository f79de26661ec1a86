/**
 * Aggregation: by default one finding per rule, client IP and day (UTC), with the count,
 * first/last time, the highest severity seen and a count per HTTP status; `raw` keeps one
 * finding per matching line. Memory grows with distinct (rule, IP, day) keys, not with lines.
 * The result never depends on the order hits arrive in (worker threads finish in any order):
 * a bucket shows its earliest hit (by time, then file and line), the first files by name, and
 * its status counts by status.
 */
import { findingId } from '../../findings/id.js';
import { severityRank, type Finding } from '../../findings/types.js';
import type { RuleRef } from '../../findings/types.js';
import type { LogRecord } from '../../parsers/types.js';
import type { LogRule } from '../../rules/types.js';
import { hitFinding, outcomeOfCounts, ruleRefOf } from './finding.js';
import { hitDataOf, type LogHitData } from './hit-data.js';
import type { MatchHit } from './matcher.js';
import { compareIso, earlierIso, laterIso } from '../../findings/time.js';

const MAX_FILES = 5;

interface Bucket {
  first: Finding;
  /** Where `first` came from, to keep the earliest hit whatever the arrival order. */
  firstAt: LogHitData;
  severity: Finding['severity'];
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  statuses: Map<string, number>;
  /** The first MAX_FILES file paths in name order. */
  files: string[];
}

/** Hit order for a bucket's shown hit: time (undated last), then path, then line. */
function before(a: LogHitData, b: LogHitData): boolean {
  if (a.time !== b.time) {
    if (a.time === null) return false;
    if (b.time === null) return true;
    const c = compareIso(a.time, b.time);
    if (c !== 0) return c < 0;
  }
  if (a.path !== b.path) return a.path < b.path;
  return (a.line ?? 0) < (b.line ?? 0);
}

/** Adds `path` to the sorted list `files` if it is among its first `max` names. */
function addFile(files: string[], path: string, max: number): void {
  let i = 0;
  while (i < files.length && (files[i] as string) < path) i++;
  if (files[i] === path || i >= max) return;
  files.splice(i, 0, path);
  if (files.length > max) files.pop();
}

export interface Aggregator {
  add(rec: LogRecord, hit: MatchHit): void;
  /** The same for a hit built elsewhere (`hitDataOf`, e.g. on a worker thread) by `rule`. */
  addHit(d: LogHitData, rule: LogRule): void;
  /** Findings so far, in order of first appearance. */
  findings(): Finding[];
}

const earlier = earlierIso;
const later = laterIso;

export interface AggregatorOptions {
  readonly raw: boolean;
  /**
   * Raw findings go here as they are built instead of being kept until `findings()` (which
   * then has only the aggregated ones): a raw hunt's findings grow with the input.
   */
  readonly emitRaw?: ((f: Finding) => void) | undefined;
}

export function createAggregator(opts: AggregatorOptions): Aggregator {
  const raw: Finding[] = [];
  const buckets = new Map<string, Bucket>();
  /** One rule reference per rule, shared by its findings (they are read-only). */
  const refs = new Map<LogRule, RuleRef>();
  const refOf = (rule: LogRule): RuleRef => {
    let ref = refs.get(rule);
    if (!ref) refs.set(rule, (ref = ruleRefOf(rule)));
    return ref;
  };
  const addHit = (d: LogHitData, rule: LogRule): void => {
    if (opts.raw) {
      const f = hitFinding(d, rule, refOf(rule));
      if (opts.emitRaw) opts.emitRaw(f);
      else raw.push(f);
      return;
    }
    const day = d.time?.slice(0, 10) ?? 'undated';
    const key = `${rule.meta.id}\u0000${d.clientIp ?? '-'}\u0000${day}`;
    let b = buckets.get(key);
    if (!b) {
      const first = hitFinding(d, rule, refOf(rule));
      b = { first, firstAt: d, severity: d.severity, count: 0, firstSeen: d.time, lastSeen: d.time, statuses: new Map(), files: [] };
      buckets.set(key, b);
    } else if (before(d, b.firstAt)) {
      b.first = hitFinding(d, rule, refOf(rule));
      b.firstAt = d;
    }
    b.count++;
    if (severityRank(d.severity) > severityRank(b.severity)) b.severity = d.severity;
    b.firstSeen = earlier(b.firstSeen, d.time);
    b.lastSeen = later(b.lastSeen, d.time);
    if (d.status) b.statuses.set(d.status, (b.statuses.get(d.status) ?? 0) + 1);
    addFile(b.files, d.path, MAX_FILES);
  };
  return {
    add(rec, hit) {
      addHit(hitDataOf(rec, { ruleId: hit.rule.meta.id, severity: hit.severity, status: hit.status }, opts.raw), hit.rule);
    },
    addHit,
    findings() {
      if (opts.raw) return [...raw];
      return [...buckets.entries()].map(([key, b]) => {
        const [ruleId = '', ip = '', day = ''] = key.split('\u0000');
        return {
          ...b.first,
          id: findingId({ ruleId, path: '', key: `${ip}|${day}` }),
          severity: b.severity,
          time: b.firstSeen,
          firstSeen: b.firstSeen,
          lastSeen: b.lastSeen,
          count: b.count,
          details: {
            aggregated: { by: 'rule+clientIp+day', clientIp: ip, day },
            ...(b.statuses.size ? { statusCounts: Object.fromEntries([...b.statuses].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) } : {}),
            ...(b.statuses.size && outcomeOfCounts(b.statuses) !== null ? { outcome: outcomeOfCounts(b.statuses) } : {}),
            files: [...b.files],
          },
        };
      });
    },
  };
}
