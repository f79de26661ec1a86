/**
 * FieldView over one LogRecord: what compiled detections read. With a field mapping, Sigma
 * field names are translated to the family's own fields (content/mappings/*.yaml); without,
 * names are the record's own. Values (and their lower-case forms) are computed once per
 * record and field. A RecordView is reused across records (`reset`) so the hot path does not
 * allocate per record: caches are slots stamped with a record generation.
 */
import type { LogRecord } from '../parsers/types.js';
import { installOfLog, judgeOabTempPath, oabTempPathOf } from './derived/oab-temp-path.js';
import { percentDecode } from './derived/percent-decode.js';
import type { FieldSource, FieldView } from './types.js';

/** `/a/b.aspx` → `aspx`; `/a/b`, `/a.b/` → '' (no extension). */
export function extensionOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  return dot > slash ? path.slice(dot + 1) : '';
}

function readSource(rec: LogRecord, src: FieldSource): string | undefined {
  if (src.kind === 'field') {
    const v = rec.fields[src.name];
    return v !== undefined && src.plusAsSpace ? v.replace(/\+/g, ' ') : v;
  }
  if (src.kind === 'absent') return undefined;
  if (src.kind === 'extension') {
    const v = rec.fields[src.name];
    return v === undefined ? undefined : extensionOf(v);
  }
  if (src.kind === 'oab-temp') {
    const msg = rec.fields.message;
    const path = msg === undefined ? null : oabTempPathOf(msg);
    if (src.part === 'path') return path ?? undefined;
    return path === null ? undefined : judgeOabTempPath(path, installOfLog(rec.location.path));
  }
  const joined = joinOf(rec, src);
  return src.kind === 'decoded' && joined !== undefined ? percentDecode(joined) : joined;
}

function joinOf(rec: LogRecord, src: { readonly names: readonly string[]; readonly separator: string }): string | undefined {
  let out: string | undefined;
  for (const n of src.names) {
    const v = rec.fields[n];
    if (v === undefined || v === '' || v === '-') continue;
    // A part that already starts with the separator (HttpProxy's `?query`) is not given another.
    out = out === undefined ? v : v.startsWith(src.separator) ? out + v : out + src.separator + v;
  }
  return out;
}

const EMPTY: LogRecord = { kind: 'log', source: 'iis', time: null, fields: {}, location: { path: '' } };

export class RecordView implements FieldView {
  private rec: LogRecord = EMPTY;
  private gen = 0;
  private readonly slots = new Map<string, number>();
  private readonly valGen: number[] = [];
  private readonly vals: (string | undefined)[] = [];
  private readonly lowGen: number[] = [];
  private readonly lows: (string | undefined)[] = [];
  private textGen = -1;
  private textVal = '';
  private textLowGen = -1;
  private textLowVal = '';

  constructor(private readonly mapping: ReadonlyMap<string, FieldSource> | null) {}

  reset(rec: LogRecord): this {
    this.rec = rec;
    this.gen++;
    return this;
  }

  private slot(field: string): number {
    let i = this.slots.get(field);
    if (i === undefined) {
      i = this.slots.size;
      this.slots.set(field, i);
      this.valGen.push(-1);
      this.vals.push(undefined);
      this.lowGen.push(-1);
      this.lows.push(undefined);
    }
    return i;
  }

  get(field: string): string | undefined {
    if (!this.mapping) return this.rec.fields[field];
    const i = this.slot(field);
    if (this.valGen[i] === this.gen) return this.vals[i];
    const src = this.mapping.get(field.toLowerCase());
    const v = src ? readSource(this.rec, src) : this.rec.fields[field];
    this.vals[i] = v;
    this.valGen[i] = this.gen;
    return v;
  }

  lower(field: string): string | undefined {
    const i = this.slot(field);
    if (this.lowGen[i] === this.gen) return this.lows[i];
    const v = this.get(field)?.toLowerCase();
    this.lows[i] = v;
    this.lowGen[i] = this.gen;
    return v;
  }

  text(): string {
    if (this.textGen !== this.gen) {
      this.textVal = Object.values(this.rec.fields).join(' ');
      this.textGen = this.gen;
    }
    return this.textVal;
  }

  textLower(): string {
    if (this.textLowGen !== this.gen) {
      this.textLowVal = this.text().toLowerCase();
      this.textLowGen = this.gen;
    }
    return this.textLowVal;
  }
}

/** A view of one record (tests, one-off use); the matcher reuses RecordViews instead. */
export function createFieldView(rec: LogRecord, mapping: ReadonlyMap<string, FieldSource> | null): FieldView {
  return new RecordView(mapping).reset(rec);
}
