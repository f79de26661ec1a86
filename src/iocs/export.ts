/**
 * `report export`: a report's findings as a STIX 2.1 bundle or a MISP event, at a chosen TLP.
 * IOC findings become sightings of the matched indicators (the feed's own STIX indicator id
 * when it had one); file findings with a SHA-256 at medium or above (web shells, dumps,
 * archives) become observed-data with a file object. Nothing marked above the chosen TLP is
 * written: an IOC finding carries its indicator's TLP; everything else is the responder's own
 * data and is marked with the chosen TLP.
 */
import { atLeast, type Finding, type Report } from '../findings/types.js';
import { parseTlp, tlpRank } from './normalize.js';
import { patternOf, stixId, tlpMarkingObject, uuidFrom } from './stix-write.js';
import { TLP2_MARKINGS } from './tlp-markings.js';
import { IOC_TYPES, type IocType, type Tlp } from './types.js';

export interface ExportOptions {
  readonly tlp: Tlp;
  /** Producer name for the STIX identity / MISP Orgc-less event info. */
  readonly producer?: string;
  readonly now?: Date;
}

export interface ExportResult {
  readonly document: Record<string, unknown>;
  readonly sightings: number;
  readonly files: number;
  /** Findings left out because their TLP is above the chosen one. */
  readonly withheld: number;
}

interface Hit { readonly type: IocType; readonly value: string; readonly tlp: Tlp; readonly feed: string; readonly sourceId: string | undefined; readonly findings: Finding[] }
interface Selected { readonly hits: Hit[]; readonly files: Finding[]; readonly withheld: number }

function iocOf(f: Finding): { type: IocType; value: string; tlp: Tlp; feed: string; sourceId: string | undefined } | null {
  const d = f.details;
  if (f.rule.source !== 'ioc' || typeof d.indicator !== 'string' || !(IOC_TYPES as readonly unknown[]).includes(d.type)) return null;
  return {
    type: d.type as IocType, value: d.indicator, tlp: parseTlp(typeof d.tlp === 'string' ? d.tlp : null) ?? 'red',
    feed: typeof d.feed === 'string' ? d.feed : f.rule.author, sourceId: typeof d.sourceId === 'string' ? d.sourceId : undefined,
  };
}

/** Groups IOC findings per indicator and picks file findings; drops what is above `tlp`. */
function select(report: Report, tlp: Tlp): Selected {
  const hits = new Map<string, Hit>();
  const files: Finding[] = [];
  let withheld = 0;
  for (const f of report.findings) {
    const ioc = iocOf(f);
    if (ioc === null) {
      if (f.evidence.kind === 'file' && typeof f.evidence.sha256 === 'string' && atLeast(f.severity, 'medium')) files.push(f);
      continue;
    }
    if (tlpRank(ioc.tlp) > tlpRank(tlp)) { withheld++; continue; }
    const key = `${ioc.feed}\u0000${ioc.type}\u0000${ioc.value}`;
    const h = hits.get(key);
    if (h === undefined) hits.set(key, { ...ioc, findings: [f] });
    else h.findings.push(f);
  }
  return { hits: [...hits.values()], files, withheld };
}

function span(fs: readonly Finding[]): { first: string | null; last: string | null; count: number } {
  const times = fs.flatMap((f) => [f.firstSeen ?? f.time, f.lastSeen ?? f.time]).filter((t): t is string => typeof t === 'string').sort();
  return { first: times[0] ?? null, last: times[times.length - 1] ?? null, count: fs.reduce((n, f) => n + f.count, 0) };
}

function basenameOf(p: string): string {
  return p.slice(p.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

export function exportStix(report: Report, opts: ExportOptions): ExportResult {
  const now = (opts.now ?? new Date()).toISOString();
  const sel = select(report, opts.tlp);
  const seed = `${report.target.root}\u0000${report.target.hostname ?? ''}\u0000${report.asOf}`;
  const identity = { type: 'identity', spec_version: '2.1', id: stixId('identity', opts.producer ?? 'exhunt'), created: now, modified: now,
    name: opts.producer ?? 'exhunt', identity_class: 'system' };
  const marking = TLP2_MARKINGS[opts.tlp];
  const common = { spec_version: '2.1', created: now, modified: now, created_by_ref: identity.id };
  const objects: Record<string, unknown>[] = [identity, tlpMarkingObject(opts.tlp)];
  for (const own of new Set(sel.hits.map((h) => h.tlp))) if (own !== opts.tlp) objects.push(tlpMarkingObject(own));
  for (const h of sel.hits) {
    const indId = h.sourceId?.startsWith('indicator--') ? h.sourceId : stixId('indicator', `${h.feed}\u0000${h.type}\u0000${h.value}`);
    objects.push({ type: 'indicator', ...common, id: indId, name: `${h.type} from feed ${h.feed}`, pattern: patternOf(h.type, h.value),
      pattern_type: 'stix', valid_from: now, object_marking_refs: [TLP2_MARKINGS[h.tlp]] });
    const s = span(h.findings);
    objects.push({ type: 'sighting', ...common, id: stixId('sighting', `${seed}\u0000${indId}`), sighting_of_ref: indId, count: s.count,
      ...(s.first !== null ? { first_seen: s.first } : {}), ...(s.last !== null ? { last_seen: s.last } : {}),
      description: `seen at: ${[...new Set(h.findings.map((f) => f.evidence.path))].slice(0, 20).join(', ')}`, object_marking_refs: [marking] });
  }
  for (const f of sel.files) {
    const sha = String(f.evidence.sha256).toLowerCase();
    const file = { type: 'file', spec_version: '2.1', id: stixId('file', sha), hashes: { 'SHA-256': sha }, name: basenameOf(f.evidence.path) };
    const t = f.firstSeen ?? f.time ?? now;
    objects.push(file, { type: 'observed-data', ...common, id: stixId('observed-data', `${seed}\u0000${f.id}`), first_observed: t,
      last_observed: f.lastSeen ?? t, number_observed: Math.max(1, f.count), object_refs: [file.id], object_marking_refs: [marking],
      labels: [f.category, f.ruleId] });
  }
  const document = { type: 'bundle', id: stixId('bundle', `${seed}\u0000${opts.tlp}\u0000${now}`), objects };
  return { document, sightings: sel.hits.length, files: sel.files.length, withheld: sel.withheld };
}

const MISP_TYPE: Readonly<Record<IocType, [string, string]>> = {
  md5: ['md5', 'Payload delivery'], sha1: ['sha1', 'Payload delivery'], sha256: ['sha256', 'Payload delivery'],
  filename: ['filename', 'Payload delivery'], path: ['filename', 'Artifacts dropped'], 'path-regex': ['pattern-in-file', 'Artifacts dropped'], ip: ['ip-src', 'Network activity'],
  domain: ['domain', 'Network activity'], url: ['url', 'Network activity'], 'user-agent': ['user-agent', 'Network activity'],
};

export function exportMisp(report: Report, opts: ExportOptions): ExportResult {
  const now = opts.now ?? new Date();
  const sel = select(report, opts.tlp);
  const seed = `${report.target.root}\u0000${report.target.hostname ?? ''}\u0000${report.asOf}`;
  const ts = String(Math.floor(now.getTime() / 1000));
  const attrs = sel.hits.map((h) => {
    const [type, category] = MISP_TYPE[h.type];
    const s = span(h.findings);
    const value = h.type === 'path' ? `C:\\${h.value.replace(/\//g, '\\')}` : h.value;
    return { uuid: uuidFrom(`${seed}\u0000${h.feed}\u0000${h.type}\u0000${h.value}`), type, category, value, to_ids: true, timestamp: ts,
      comment: `matched ${s.count} time(s) (feed ${h.feed}); seen at ${[...new Set(h.findings.map((f) => f.evidence.path))].slice(0, 5).join(', ')}`,
      ...(s.first !== null ? { first_seen: s.first } : {}), ...(s.last !== null ? { last_seen: s.last } : {}),
      Tag: [{ name: `tlp:${h.tlp}` }] };
  });
  const objs = sel.files.map((f) => ({
    name: 'file', meta_category: 'file', uuid: uuidFrom(`${seed}\u0000${f.id}`), timestamp: ts, comment: `${f.title} (${f.ruleId})`,
    Attribute: [
      { type: 'filename', category: 'Payload delivery', object_relation: 'filename', value: basenameOf(f.evidence.path), to_ids: false, uuid: uuidFrom(`${f.id}\u0000name`) },
      { type: 'sha256', category: 'Payload delivery', object_relation: 'sha256', value: String(f.evidence.sha256).toLowerCase(), to_ids: true, uuid: uuidFrom(`${f.id}\u0000sha256`) },
    ],
  }));
  const worst = report.findings.some((f) => atLeast(f.severity, 'high')) ? '1' : report.findings.length > 0 ? '2' : '3';
  const document = { Event: {
    uuid: uuidFrom(`${seed}\u0000misp\u0000${opts.tlp}`), info: `exhunt findings${report.target.hostname !== null ? ` on ${report.target.hostname}` : ''} (as of ${report.asOf})`,
    date: now.toISOString().slice(0, 10), timestamp: ts, threat_level_id: worst, analysis: '1', distribution: '0', published: false,
    Tag: [{ name: `tlp:${opts.tlp}` }], Attribute: attrs, Object: objs,
  } };
  return { document, sightings: sel.hits.length, files: sel.files.length, withheld: sel.withheld };
}
