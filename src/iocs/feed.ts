/**
 * Reads one feed file: refuses it before reading when it is over the size limit, detects the
 * format (MSTIC CSV/JSON, STIX bundle, MISP event, plain list) and parses it whole, so that a
 * caller gets either every indicator or a FeedError naming the file and line.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseJson } from './collect.js';
import { isMsticCsvHeader, isMsticJson, parseMsticCsv, parseMsticJson } from './mstic.js';
import { mispEvent, parseMisp } from './misp.js';
import { looksPlain, parsePlain } from './plain.js';
import { isStixBundle, parseStix } from './stix.js';
import { FeedError, type ParsedFeed, type Tlp } from './types.js';

/** Largest feed read (bytes). Real feeds are kilobytes to a few megabytes. */
export const MAX_FEED_BYTES = 200 * 1024 * 1024;

/** When neither the feed nor the user says, indicators are treated as TLP:AMBER (never over-shared). */
export const DEFAULT_TLP: Tlp = 'amber';

export interface ReadFeedOptions {
  /** Feed name (default: the file name without extension). */
  readonly name?: string;
  /** TLP for indicators the feed leaves unmarked. */
  readonly tlp?: Tlp;
  readonly maxBytes?: number;
}

export interface LoadedFeed extends ParsedFeed {
  readonly name: string;
  readonly text: string;
}

export function feedNameOf(path: string): string {
  return basename(path, extname(path));
}

export async function readFeed(path: string, opts: ReadFeedOptions = {}): Promise<LoadedFeed> {
  const max = opts.maxBytes ?? MAX_FEED_BYTES;
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new FeedError(path, null, 'not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof FeedError) throw e;
    throw new FeedError(path, null, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (size > max) throw new FeedError(path, null, `feed is ${size} bytes, over the ${max}-byte limit; split it or check it is the right file`);
  const buf = await readFile(path);
  if (buf.includes(0)) throw new FeedError(path, null, 'binary content (NUL bytes): not an indicator feed');
  const name = opts.name ?? feedNameOf(path);
  const parsed = parseFeedText(buf.toString('utf8'), path, name, opts.tlp);
  return { ...parsed, name, text: buf.toString('utf8') };
}

/** Detects the format of `text` and parses it. */
export function parseFeedText(text: string, path: string, feed: string, tlp?: Tlp): ParsedFeed {
  const ctx = { path, feed, ...(tlp !== undefined ? { tlp } : {}) };
  const def = tlp ?? DEFAULT_TLP;
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') {
    const data = parseJson(body, path);
    if (isStixBundle(data)) return parseStix(data, ctx, def);
    if (mispEvent(data) !== null) return parseMisp(data, ctx, def);
    if (isMsticJson(data)) return parseMsticJson(data, ctx, def);
    throw new FeedError(path, null, 'JSON that is neither a STIX bundle, a MISP event nor a Microsoft indicator list');
  }
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  if (isMsticCsvHeader(firstLine)) return parseMsticCsv(body, ctx, def);
  if (looksPlain(body)) return parsePlain(body, ctx, def);
  if (firstLine.includes(',')) throw new FeedError(path, 1, 'CSV without the Microsoft indicator header (DateAdded,FirstSeen,Indicator,IndicatorType,TLP)');
  return parsePlain(body, ctx, def);
}
