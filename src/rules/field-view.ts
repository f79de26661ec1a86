/**
 * FieldView over one LogRecord: what compiled detections read. With a field mapping, Sigma
 * field names are translated to the family's own fields (content/mappings/*.yaml); without,
 * names are the record's own. Lower-cased values are computed once per record and field.
 */
import type { LogRecord } from '../parsers/types.js';
import type { FieldSource, FieldView } from './types.js';

function readSource(rec: LogRecord, src: FieldSource): string | undefined {
  if (src.kind === 'field') {
    const v = rec.fields[src.name];
    return v !== undefined && src.plusAsSpace ? v.replace(/\+/g, ' ') : v;
  }
  let out: string | undefined;
  for (const n of src.names) {
    const v = rec.fields[n];
    if (v === undefined || v === '' || v === '-') continue;
    // A part that already starts with the separator (HttpProxy's `?query`) is not given another.
    out = out === undefined ? v : v.startsWith(src.separator) ? out + v : out + src.separator + v;
  }
  return out;
}

export function createFieldView(rec: LogRecord, mapping: ReadonlyMap<string, FieldSource> | null): FieldView {
  const cache = new Map<string, string | undefined>();
  const lowCache = new Map<string, string | undefined>();
  let text: string | undefined;
  let textLow: string | undefined;
  const get = (field: string): string | undefined => {
    if (!mapping) return rec.fields[field];
    if (cache.has(field)) return cache.get(field);
    const src = mapping.get(field.toLowerCase());
    const v = src ? readSource(rec, src) : rec.fields[field];
    cache.set(field, v);
    return v;
  };
  return {
    get,
    lower(field) {
      if (lowCache.has(field)) return lowCache.get(field);
      const v = get(field)?.toLowerCase();
      lowCache.set(field, v);
      return v;
    },
    text() {
      text ??= Object.values(rec.fields).join(' ');
      return text;
    },
    textLower() {
      textLow ??= this.text().toLowerCase();
      return textLow;
    },
  };
}
