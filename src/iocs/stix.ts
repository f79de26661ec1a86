/**
 * STIX 2.1 bundles: every `indicator` with `pattern_type: stix` becomes one Indicator per
 * alternative its pattern allows (see stix-pattern.ts). TLP from `object_marking_refs` (fixed
 * TLP ids or marking-definitions in the bundle), expiry from `valid_until`, confidence as given.
 */
import { FeedCollector, isRecord, str } from './collect.js';
import { parseTlp, tlpRank } from './normalize.js';
import { evaluatePattern, PatternSyntaxError } from './stix-pattern.js';
import { tlpOfMarking } from './tlp-markings.js';
import { FeedError, type ParseContext, type ParsedFeed, type Tlp } from './types.js';

export function isStixBundle(data: unknown): data is Record<string, unknown> {
  return isRecord(data) && data.type === 'bundle' && Array.isArray(data.objects);
}

/** Marking ids defined in the bundle itself (TLP 1.0 `definition.tlp`, TLP 2.0 by name). */
function bundleMarkings(objects: readonly unknown[]): Map<string, Tlp> {
  const m = new Map<string, Tlp>();
  for (const o of objects) {
    if (!isRecord(o) || o.type !== 'marking-definition' || typeof o.id !== 'string') continue;
    const def = isRecord(o.definition) ? str(o.definition.tlp) : undefined;
    const tlp = parseTlp(def ?? str(o.name));
    if (tlp !== null) m.set(o.id, tlp);
  }
  return m;
}

/** The most restrictive TLP among an object's markings, or null. */
function objectTlp(o: Record<string, unknown>, local: Map<string, Tlp>): Tlp | null {
  const refs = Array.isArray(o.object_marking_refs) ? o.object_marking_refs : [];
  let best: Tlp | null = null;
  for (const r of refs) {
    const t = typeof r === 'string' ? (tlpOfMarking(r) ?? local.get(r) ?? null) : null;
    if (t !== null && (best === null || tlpRank(t) > tlpRank(best))) best = t;
  }
  return best;
}

function confidenceOf(v: unknown): number | undefined {
  return typeof v === 'number' && v >= 0 && v <= 100 ? v : undefined;
}

export function parseStix(data: unknown, ctx: ParseContext, defaultTlp: Tlp): ParsedFeed {
  if (!isStixBundle(data)) throw new FeedError(ctx.path, null, 'not a STIX bundle');
  const objects = data.objects as unknown[];
  const local = bundleMarkings(objects);
  const c = new FeedCollector(ctx, defaultTlp);
  objects.forEach((o, i) => {
    if (!isRecord(o) || o.type !== 'indicator') return;
    const id = str(o.id) ?? `objects[${i}]`;
    const pattern = str(o.pattern);
    if (pattern === undefined) throw new FeedError(ctx.path, null, `${id}: indicator without a pattern`);
    if ((str(o.pattern_type) ?? 'stix') !== 'stix') {
      c.unsupported({ sourceId: id, what: pattern, reason: `pattern_type ${String(o.pattern_type)} is not evaluated` });
      return;
    }
    let ev;
    try {
      ev = evaluatePattern(pattern);
    } catch (e) {
      if (e instanceof PatternSyntaxError) throw new FeedError(ctx.path, null, `${id}: malformed STIX pattern: ${e.message}`);
      throw e;
    }
    if (!ev.ok) {
      c.unsupported({ sourceId: id, what: pattern, reason: ev.reason });
      return;
    }
    const base = { tlp: objectTlp(o, local), confidence: confidenceOf(o.confidence), validUntil: str(o.valid_until), sourceId: id, title: str(o.name) };
    for (const t of ev.terms) c.add({ ...base, type: t.type, value: t.value }, null);
  });
  return c.result('stix');
}
