/**
 * Microsoft's indicator feeds, CSV and JSON. Shapes as published:
 * - `DateAdded,FirstSeen,Indicator,IndicatorType,TLP` (CSV) and the JSON array of the same keys
 *   plus `ThreatType` and `AdditionalMetadata: {FileMd5, FileSha1}`: Azure/Azure-Sentinel
 *   "Sample Data/Feeds/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.{csv,json}"
 *   (types seen: sha256, filepath; TLP "White").
 * - `DateAdded,FirstSeen,IoC,Type,TLP,Release,Category,MalwareFamily,SHA1,MD5,Filename,C2Domain`:
 *   microsoft/mstic "Indicators/May21-NOBELIUM/May21NOBELIUMIoCs.csv" (types SHA256, Domain, Url).
 */
import { FeedCollector, isRecord, str } from './collect.js';
import { readCsv } from './csv.js';
import { parseTlp } from './normalize.js';
import { FeedError, type IocType, type ParseContext, type ParsedFeed, type Tlp } from './types.js';

const TYPE_NAMES: Readonly<Record<string, IocType>> = {
  sha256: 'sha256', sha1: 'sha1', md5: 'md5', filepath: 'path', path: 'path', filename: 'filename',
  domain: 'domain', domainname: 'domain', url: 'url', ip: 'ip', ipaddress: 'ip', ipv4: 'ip', ipv6: 'ip',
  useragent: 'user-agent',
};

/** True when the first line is one of Microsoft's indicator CSV headers. */
export function isMsticCsvHeader(firstLine: string): boolean {
  const h = firstLine.replace(/^\uFEFF/, '').trim().toLowerCase().split(',');
  return h[0] === 'dateadded' && h[1] === 'firstseen' && (h.includes('indicator') || h.includes('ioc'));
}

/** True when `data` is an array of objects with `Indicator` and `IndicatorType`. */
export function isMsticJson(data: unknown): boolean {
  return Array.isArray(data) && data.length > 0 && isRecord(data[0]) && 'Indicator' in data[0] && 'IndicatorType' in data[0];
}

interface Row {
  readonly value: string | undefined;
  readonly type: string | undefined;
  readonly tlp: string | undefined;
  readonly extra: readonly [IocType, string | undefined][];
  readonly line: number | null;
  readonly title?: string | undefined;
  readonly where: string;
}

function addRow(c: FeedCollector, ctx: ParseContext, r: Row): void {
  if (r.value === undefined || r.type === undefined) throw new FeedError(ctx.path, r.line, 'row without an indicator or its type');
  const type = TYPE_NAMES[r.type.toLowerCase().replace(/[\s_-]/g, '')];
  const tlp = r.tlp === undefined ? null : parseTlp(r.tlp);
  if (r.tlp !== undefined && tlp === null) throw new FeedError(ctx.path, r.line, `unknown TLP ${JSON.stringify(r.tlp)}`);
  const sourceId = r.where;
  if (type === undefined) {
    c.unsupported({ sourceId, what: r.type, reason: 'indicator type not applied by exhunt' });
    return;
  }
  c.add({ type, value: r.value, tlp, sourceId, title: r.title }, r.line);
  for (const [t, v] of r.extra) if (v !== undefined) c.add({ type: t, value: v, tlp, sourceId, title: r.title }, r.line);
}

export function parseMsticCsv(text: string, ctx: ParseContext, defaultTlp: Tlp): ParsedFeed {
  const rows = readCsv(text.replace(/^\uFEFF/, ''), ctx.path);
  const header = (rows[0]?.cells ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  const iv = col('indicator') >= 0 ? col('indicator') : col('ioc');
  const it = col('indicatortype') >= 0 ? col('indicatortype') : col('type');
  const [tlpCol, sha1, md5, rel] = [col('tlp'), col('sha1'), col('md5'), col('release')];
  const c = new FeedCollector(ctx, defaultTlp);
  for (const row of rows.slice(1)) {
    if (row.cells.length !== header.length) {
      throw new FeedError(ctx.path, row.line, `malformed CSV: ${row.cells.length} fields, header has ${header.length}`);
    }
    const cell = (i: number): string | undefined => (i < 0 ? undefined : str(row.cells[i]));
    addRow(c, ctx, { value: cell(iv), type: cell(it), tlp: cell(tlpCol), line: row.line, where: `line ${row.line}`, title: cell(rel),
      extra: [['sha1', cell(sha1)], ['md5', cell(md5)]] });
  }
  return c.result('mstic-csv');
}

export function parseMsticJson(data: unknown, ctx: ParseContext, defaultTlp: Tlp): ParsedFeed {
  if (!Array.isArray(data)) throw new FeedError(ctx.path, null, 'expected a JSON array of indicators');
  const c = new FeedCollector(ctx, defaultTlp);
  data.forEach((e: unknown, i) => {
    if (!isRecord(e)) throw new FeedError(ctx.path, null, `element ${i} is not an object`);
    const meta = isRecord(e.AdditionalMetadata) ? e.AdditionalMetadata : {};
    addRow(c, ctx, { value: str(e.Indicator), type: str(e.IndicatorType), tlp: str(e.TLP), line: null, where: `element ${i}`,
      title: str(e.ThreatType), extra: [['md5', str(meta.FileMd5)], ['sha1', str(meta.FileSha1)]] });
  });
  return c.result('mstic-json');
}

