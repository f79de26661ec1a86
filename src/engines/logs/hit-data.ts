/**
 * A rule hit cut to what its finding needs (`LogHitData`), built where the record was parsed,
 * and many of them packed as one flat array of primitives (`HitPack`) to cross from a worker
 * thread: no record, no per-hit keys, repeated strings (rule ids, paths) sent once. Cloning
 * whole records cost each worker ~0.5 s and the main thread its deserialisation on 1 GB.
 */
import type { Severity } from '../../findings/types.js';
import { findingId } from '../../findings/id.js';
import type { LogFamily, LogRecord } from '../../parsers/types.js';
import { clientIpOf, excerptOf } from './finding.js';
import { StringTable } from '../../findings/string-table.js';

/** Where a log finding points and what it shows (the evidence of `evidenceOf`, flattened). */
export interface LogLocus {
  readonly path: string;
  readonly line: number | null;
  readonly family: LogFamily;
  readonly time: string | null;
  readonly excerpt: string;
  readonly clientIp: string | null;
  /** The connection address when it differs from the client (a balancer in front), else null. */
  readonly peerIp: string | null;
  /** X-Forwarded-For as logged, when not empty. */
  readonly forwardedFor: string | null;
}

export interface LogHitData extends LogLocus {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly status: string | null;
  /** The raw finding's id (`findingId` of rule, path, line) when asked for, else null. */
  readonly id: string | null;
}

/** The locus of a record: what `evidenceOf` reads from it. */
export function locusOf(rec: LogRecord): LogLocus {
  const f = rec.fields;
  const client = clientIpOf(rec);
  const peer = f['c-ip'] || f.ClientIpAddress || null;
  const xff = f['X-Forwarded-For'] ?? f['cs(X-Forwarded-For)'];
  return {
    path: rec.location.path,
    line: rec.location.line ?? null,
    family: rec.source,
    time: rec.time,
    excerpt: excerptOf(rec),
    clientIp: client,
    peerIp: peer && peer !== client ? peer : null,
    forwardedFor: xff ? xff : null,
  };
}

export interface HitOf {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly status: string | null;
}

/** `withId`: compute the raw finding's id here (aggregated findings get their own ids). */
export function hitDataOf(rec: LogRecord, hit: HitOf, withId: boolean): LogHitData {
  return hitDataAt(locusOf(rec), hit, withId);
}

/** `hitDataOf` for a record's locus (one locus serves every hit on the record). */
export function hitDataAt(locus: LogLocus, hit: HitOf, withId: boolean): LogHitData {
  const id = withId ? findingId({ ruleId: hit.ruleId, path: locus.path, line: locus.line }) : null;
  const l = locus;
  return {
    ruleId: hit.ruleId,
    severity: hit.severity,
    status: hit.status,
    id,
    path: l.path,
    line: l.line,
    family: l.family,
    time: l.time,
    excerpt: l.excerpt,
    clientIp: l.clientIp,
    peerIp: l.peerIp,
    forwardedFor: l.forwardedFor,
  };
}

/** Hits as plain data: `table` holds each repeated string once, `cells` HIT_CELLS values per hit. */
export interface HitPack {
  readonly table: readonly string[];
  readonly cells: readonly (string | number | null)[];
}

/** Cells per hit: rule, severity, status, path, family (table indexes; -1: null), then line, time, excerpt, client, peer, forwarded-for, id. */
const HIT_CELLS = 12;

/** Collects hits of one file into a HitPack. */
export class HitPacker {
  private readonly table = new StringTable();
  private readonly cells: (string | number | null)[] = [];

  get size(): number {
    return this.cells.length / HIT_CELLS;
  }

  private ref(s: string | null): number {
    return s === null ? -1 : this.table.ref(s);
  }

  add(d: LogHitData): void {
    this.cells.push(
      this.ref(d.ruleId),
      this.ref(d.severity),
      this.ref(d.status),
      this.ref(d.path),
      this.ref(d.family),
      d.line,
      d.time,
      d.excerpt,
      d.clientIp,
      d.peerIp,
      d.forwardedFor,
      d.id,
    );
  }

  pack(): HitPack {
    return { table: this.table.strings, cells: this.cells };
  }
}

/** The hits of a pack, in the order they were added. */
export function* unpackHits(p: HitPack): Generator<LogHitData> {
  const { table, cells } = p;
  const str = (i: number): string | null => {
    const v = cells[i];
    return typeof v === 'string' ? v : null;
  };
  const ref = (i: number): string | null => {
    const k = cells[i];
    return typeof k === 'number' && k >= 0 ? (table[k] ?? null) : null;
  };
  for (let i = 0; i + HIT_CELLS <= cells.length; i += HIT_CELLS) {
    const line = cells[i + 5];
    yield {
      ruleId: ref(i) ?? '',
      severity: ref(i + 1) as Severity,
      status: ref(i + 2),
      path: ref(i + 3) ?? '',
      family: ref(i + 4) as LogFamily,
      line: typeof line === 'number' ? line : null,
      time: str(i + 6),
      excerpt: str(i + 7) ?? '',
      clientIp: str(i + 8),
      peerIp: str(i + 9),
      forwardedFor: str(i + 10),
      id: str(i + 11),
    };
  }
}
