/**
 * Collects a feed's indicators while it is parsed: normalises each value, drops what is not a
 * valid value of its type (as an error naming the line), and keeps each type+value once per feed
 * (the later copy wins only when it extends the validity).
 */
import { normalizeValue } from './normalize.js';
import { FeedError, type FeedFormat, type Indicator, type IocType, type ParseContext, type ParsedFeed, type Tlp, type Unsupported } from './types.js';

export interface RawIndicator {
  readonly type: IocType;
  readonly value: string;
  readonly tlp?: Tlp | null;
  readonly confidence?: number | undefined;
  readonly validUntil?: string | undefined;
  readonly sourceId?: string | undefined;
  readonly title?: string | undefined;
  readonly severity?: Indicator['severity'];
  readonly falsePositive?: string | undefined;
}

export class FeedCollector {
  private readonly byKey = new Map<string, Indicator>();
  private readonly skipped: Unsupported[] = [];

  constructor(
    private readonly ctx: ParseContext,
    private readonly defaultTlp: Tlp,
  ) {}

  /** Adds one indicator; throws FeedError (with `line`) when the value is not valid for its type. */
  add(raw: RawIndicator, line: number | null): void {
    const value = normalizeValue(raw.type, raw.value);
    if (value === null) {
      const who = line === null && raw.sourceId !== undefined ? `${raw.sourceId}: ` : '';
      throw new FeedError(this.ctx.path, line, `${who}not a valid ${raw.type}: ${JSON.stringify(raw.value.slice(0, 120))}`);
    }
    const ind: Indicator = {
      type: raw.type,
      value,
      feed: this.ctx.feed,
      tlp: raw.tlp ?? this.defaultTlp,
      ...(raw.confidence !== undefined ? { confidence: raw.confidence } : {}),
      ...(raw.validUntil !== undefined ? { validUntil: raw.validUntil } : {}),
      ...(raw.sourceId !== undefined ? { sourceId: raw.sourceId } : {}),
      ...(raw.title !== undefined ? { title: raw.title } : {}),
      ...(raw.severity !== undefined ? { severity: raw.severity } : {}),
      ...(raw.falsePositive !== undefined ? { falsePositive: raw.falsePositive } : {}),
    };
    const key = `${ind.type}\u0000${ind.value}`;
    const prev = this.byKey.get(key);
    if (prev === undefined || outlives(ind, prev)) this.byKey.set(key, ind);
  }

  get path(): string {
    return this.ctx.path;
  }

  unsupported(u: Unsupported): void {
    this.skipped.push(u);
  }

  result(format: FeedFormat): ParsedFeed {
    return { format, indicators: [...this.byKey.values()], unsupported: this.skipped };
  }
}

/** True when `a` stays valid longer than `b` (no expiry = forever). */
function outlives(a: Indicator, b: Indicator): boolean {
  if (b.validUntil === undefined) return false;
  return a.validUntil === undefined || a.validUntil > b.validUntil;
}

/** JSON.parse with the error naming the file and line. */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const line = pos?.[1] !== undefined ? lineAt(text, Number(pos[1])) : /line (\d+)/.exec(msg)?.[1];
    throw new FeedError(path, line === undefined ? null : Number(line), `malformed JSON: ${msg}`);
  }
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
