/**
 * Turning matcher hits into findings (src/findings/types.ts): evidence, rule reference, ids.
 * A hit on a worker thread becomes `LogHitData` there (hit-data.ts); `hitFinding` builds its
 * finding on the main thread, the same as `ruleHitFinding` would from the record.
 */
import type { Evidence, Finding, RuleRef } from '../../findings/types.js';
import { findingId } from '../../findings/id.js';
import type { LogRecord } from '../../parsers/types.js';
import type { LogRule } from '../../rules/types.js';
import type { MatchHit } from './matcher.js';
import { hitDataOf, locusOf, type LogHitData, type LogLocus } from './hit-data.js';

export const EXCERPT_MAX = 300;

/**
 * The record as the log wrote it, near enough: OAB's message; W3C values space-separated with
 * `-` for empty and `+` for spaces; CSV values comma-separated, quoted where needed. Truncated.
 */
export function excerptOf(rec: LogRecord): string {
  let line = '';
  if (rec.source === 'oab') line = rec.fields.message ?? '';
  else {
    // Built up to just past the cut: the excerpt depends only on that much (HttpProxy lines
    // run to kilobytes, and every raw finding builds one). Joined once: a string grown cell
    // by cell made a cons string per cell, the largest allocation of a raw log hunt.
    const iis = rec.source === 'iis';
    const cells: string[] = [];
    // The joined length so far plus one (each cell brings itself and one separator).
    let size = 0;
    for (const k in rec.fields) {
      if (k === 'client-ip') continue;
      const v = rec.fields[k] as string;
      const cell = iis ? (v === '' ? '-' : v.replace(/ /g, '+')) : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      cells.push(cell);
      size += cell.length + 1;
      if (size - 1 > EXCERPT_MAX) break;
    }
    line = cells.join(iis ? ' ' : ',');
  }
  return line.length > EXCERPT_MAX ? `${line.slice(0, EXCERPT_MAX - 1)}…` : line;
}

/** Fields evidence and aggregation read by name (clientIpOf, evidenceOf). */
const NAMED_FIELDS = ['message', 'client-ip', 'c-ip', 'ClientIpAddress', 'ClientIp', 'X-Forwarded-For', 'cs(X-Forwarded-For)'];

/**
 * The record cut to what its finding shows, for sending an indicator hit between threads
 * (rule hits travel as `LogHitData`): the fields in
 * order until the excerpt is past its cut (so `excerptOf` gives the same text), plus the ones
 * read by name. `evidenceOf`, `clientIpOf` and aggregation give the same results for it as for
 * the whole record; an HttpProxy record keeps ~15 of its 70+ fields.
 */
export function findingRecord(rec: LogRecord): LogRecord {
  const all = rec.fields;
  const fields: Record<string, string> = {};
  let chars = 0;
  for (const k in all) {
    // Past EXCERPT_MAX + 1 counted, the excerpt is longer than EXCERPT_MAX: it stops here too.
    if (chars > EXCERPT_MAX + 1) break;
    const v = all[k] as string;
    setField(fields, k, v);
    // Each cell adds at least its length and one separator; quoting only adds more.
    if (k !== 'client-ip') chars += v.length + 1;
  }
  for (const k of NAMED_FIELDS) {
    const v = all[k];
    if (v !== undefined && !Object.hasOwn(fields, k)) setField(fields, k, v);
  }
  return { ...rec, fields };
}

/** Field names come from evidence: `__proto__` must stay an ordinary key. */
function setField(o: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

export function clientIpOf(rec: LogRecord): string | null {
  const f = rec.fields;
  return f['client-ip'] || f['c-ip'] || f.ClientIpAddress || f.ClientIp || null;
}

/** Evidence of a log record: the real client (`client-ip`), and the connection address and
 * X-Forwarded-For as logged when a balancer sits in front (issue 4 item 8: keep both). */
export function evidenceOf(rec: LogRecord): Evidence {
  return logEvidence(locusOf(rec));
}

/** The evidence of a locus (`locusOf`); key order is the report's. */
export function logEvidence(l: LogLocus): Evidence {
  // Built by assignment: object spreads cost twice as much, once per raw finding.
  const e: { -readonly [K in keyof Evidence]: Evidence[K] } = {
    kind: 'log',
    path: l.path,
    line: l.line,
    excerpt: l.excerpt,
    clientIp: l.clientIp,
    logFamily: l.family,
  };
  if (l.peerIp !== null) e.peerIp = l.peerIp;
  if (l.forwardedFor !== null) e.forwardedFor = l.forwardedFor;
  return e;
}

/** What an HTTP status class says of a request's fate (a finding's `details.outcome`). */
const OUTCOME: Readonly<Record<string, string>> = {
  '1': 'got through (answered 1xx)',
  '2': 'got through (answered 2xx: the server processed it)',
  '3': 'redirected (answered 3xx): it may not have got through',
  '4': 'refused (answered 4xx): it did not get through',
  '5': 'reached the server, which failed (answered 5xx): it may have got through',
};

/** `details` of a log finding with an HTTP status: the status and what it says of the outcome. */
export function statusDetails(status: string): { status: string; outcome?: string } {
  const o = OUTCOME[status.trim().charAt(0)];
  return o === undefined ? { status } : { status, outcome: o };
}

/**
 * The outcome of an aggregated finding's requests from their status counts: whether any got
 * through, and how the others were answered.
 */
export function outcomeOfCounts(counts: ReadonlyMap<string, number>): string | null {
  const byClass = new Map<string, number>();
  let total = 0;
  for (const [st, n] of counts) {
    const c = st.trim().charAt(0);
    if (!OUTCOME[c]) continue;
    byClass.set(c, (byClass.get(c) ?? 0) + n);
    total += n;
  }
  if (total === 0) return null;
  const got = (byClass.get('1') ?? 0) + (byClass.get('2') ?? 0);
  const parts = ['3', '4', '5'].filter((c) => byClass.has(c)).map((c) => `${byClass.get(c) ?? 0} answered ${c}xx`);
  if (got > 0) return `got through: ${got} of ${total} request(s) answered 1xx/2xx${parts.length ? `; ${parts.join(', ')}` : ''}`;
  if (byClass.size === 1 && byClass.has('4')) return `did not get through: every request (${total}) was refused (4xx)`;
  return `none answered 2xx: ${parts.join(', ')}${byClass.has('5') ? ' (a 5xx reached the server and may have got through)' : ''}`;
}

/** One finding for one matching record (`--raw`). */
export function rawFinding(rec: LogRecord, hit: MatchHit): Finding {
  return hitFinding(hitDataOf(rec, { ruleId: hit.rule.meta.id, severity: hit.severity, status: hit.status }, true), hit.rule);
}

/** The rule reference a finding shows; findings are read-only, so one rule's findings may share one. */
export function ruleRefOf(rule: LogRule): RuleRef {
  const { meta } = rule;
  return { source: rule.kind, author: meta.author, license: meta.license, refs: meta.refs };
}

/**
 * The finding of one hit (`hitDataOf`, maybe built on a worker thread): the same as
 * `ruleHitFinding` gives for the record, without the record. `ref`: the rule's `ruleRefOf`.
 */
export function hitFinding(d: LogHitData, rule: LogRule, ref: RuleRef = ruleRefOf(rule)): Finding {
  const { meta } = rule;
  return {
    id: d.id ?? findingId({ ruleId: meta.id, path: d.path, line: d.line }),
    ruleId: meta.id,
    title: meta.title,
    severity: d.severity,
    confidence: meta.confidence,
    category: meta.category,
    cves: meta.cves,
    attack: meta.attack,
    evidence: logEvidence(d),
    time: d.time,
    firstSeen: d.time,
    lastSeen: d.time,
    count: 1,
    rule: ref,
    details: d.status ? statusDetails(d.status) : {},
  };
}
