/**
 * MISP event JSON (`{"Event": {...}}`, a bare event, or a `{"response": [{"Event": ...}]}`
 * search result): the event's `Attribute`s and its `Object`s' attributes of the types exhunt
 * applies, composite `filename|sha256`-style types split. TLP from `tlp:*` tags (attribute tag
 * over event tag); a `filename` holding a folder is a path. Attributes with `to_ids: false` (context, not detection), `deleted`, or a
 * `decay_score` entry marked `decayed` are not applied and are listed as skipped.
 */
import { FeedCollector, isRecord, str } from './collect.js';
import { parseTlp } from './normalize.js';
import { FeedError, type Indicator, type IocType, type ParseContext, type ParsedFeed, type Tlp } from './types.js';

const TYPES: Readonly<Record<string, IocType>> = {
  md5: 'md5', sha1: 'sha1', sha256: 'sha256', filename: 'filename', 'ip-src': 'ip', 'ip-dst': 'ip',
  domain: 'domain', hostname: 'domain', url: 'url', 'user-agent': 'user-agent', port: 'ip',
};
const THREAT_LEVEL: Readonly<Record<string, Indicator['severity']>> = { '1': 'high', '2': 'medium', '3': 'low' };

/** The event object of a MISP document, or null when `data` is not one. */
export function mispEvent(data: unknown): Record<string, unknown> | null {
  if (!isRecord(data)) return null;
  if (isRecord(data.Event)) return data.Event;
  const r = Array.isArray(data.response) ? (data.response as unknown[])[0] : undefined;
  if (isRecord(r) && isRecord(r.Event)) return r.Event;
  return Array.isArray(data.Attribute) && ('info' in data || 'uuid' in data) ? data : null;
}

function tagTlp(o: Record<string, unknown>): Tlp | null {
  const tags = Array.isArray(o.Tag) ? o.Tag : [];
  for (const t of tags) {
    const tlp = isRecord(t) && typeof t.name === 'string' && /^tlp:/i.test(t.name) ? parseTlp(t.name) : null;
    if (tlp !== null) return tlp;
  }
  return null;
}

function skipReason(a: Record<string, unknown>): string | null {
  if (a.deleted === true) return 'deleted';
  if (a.to_ids === false || a.to_ids === '0') return 'to_ids is false (context, not detection)';
  const decay = Array.isArray(a.decay_score) ? a.decay_score : [];
  if (decay.some((d) => isRecord(d) && d.decayed === true)) return 'decayed';
  return null;
}

interface EventInfo { readonly tlp: Tlp | null; readonly severity: Indicator['severity']; readonly title: string | undefined }

function addAttribute(c: FeedCollector, a: unknown, where: string, ev: EventInfo): void {
  if (!isRecord(a)) return;
  const type = str(a.type) ?? '';
  const value = str(a.value) ?? '';
  const id = str(a.uuid) ?? where;
  const parts = type.split('|');
  const values = value.split('|');
  const mapped = parts.map((p) => (p === 'port' ? undefined : TYPES[p]));
  if (mapped.every((t) => t === undefined)) {
    c.unsupported({ sourceId: id, what: type, reason: 'attribute type not applied by exhunt' });
    return;
  }
  const skip = skipReason(a);
  if (skip !== null) {
    c.unsupported({ sourceId: id, what: `${type} ${value.slice(0, 80)}`, reason: skip });
    return;
  }
  if (values.length !== parts.length) throw new FeedError(c.path, null, `${id}: composite ${type} value has ${values.length} parts`);
  mapped.forEach((t, i) => {
    const v = values[i];
    if (t === undefined || v === undefined) return;
    const kind = t === 'filename' && /[\\/]/.test(v) ? 'path' : t;
    c.add({ type: kind, value: v, tlp: tagTlp(a) ?? ev.tlp, sourceId: id, title: str(a.comment) ?? ev.title, severity: ev.severity }, null);
  });
}

export function parseMisp(data: unknown, ctx: ParseContext, defaultTlp: Tlp): ParsedFeed {
  const e = mispEvent(data);
  if (e === null) throw new FeedError(ctx.path, null, 'not a MISP event');
  const ev: EventInfo = { tlp: tagTlp(e), severity: THREAT_LEVEL[String(e.threat_level_id)], title: str(e.info) };
  const c = new FeedCollector(ctx, defaultTlp);
  const attrs = Array.isArray(e.Attribute) ? e.Attribute : [];
  attrs.forEach((a, i) => addAttribute(c, a, `Attribute[${i}]`, ev));
  const objs = Array.isArray(e.Object) ? e.Object : [];
  objs.forEach((o, i) => {
    if (!isRecord(o) || !Array.isArray(o.Attribute)) return;
    o.Attribute.forEach((a: unknown, j: number) => addAttribute(c, a, `Object[${i}].Attribute[${j}]`, ev));
  });
  return c.result('misp');
}
