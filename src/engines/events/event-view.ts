/**
 * FieldView over one Windows event record, for compiled detections. The record's fields are
 * its flattened form (parsers/evtx `flattenEvent`: System fields under their Windows names,
 * EventData by name, unnamed data joined as `Data`) plus each unnamed value as `Data1`,
 * `Data2`, ... (or `Data[1]`, ...). A selector's field map (content/mappings/windows.yaml)
 * translates Sigma names first; names are matched exactly, then case-insensitively.
 */
import type { EventRecord } from '../../parsers/types.js';
import type { FieldView } from '../../rules/types.js';

/** A record's fields computed once and shared by every view of that record. */
export class EventFields {
  private lowerKeys: Map<string, string> | null = null;
  private textVal: string | null = null;
  private textLowVal: string | null = null;

  constructor(
    readonly rec: EventRecord,
    readonly flat: Readonly<Record<string, string>>,
  ) {}

  get(name: string): string | undefined {
    const v = this.flat[name];
    if (v !== undefined) return v;
    const m = /^Data\[?(\d+)\]?$/.exec(name);
    if (m) {
      const u = this.rec.dataUnnamed[Number(m[1]) - 1];
      return u === undefined ? undefined : (u ?? '');
    }
    if (!this.lowerKeys) {
      this.lowerKeys = new Map();
      for (const k of Object.keys(this.flat)) if (!this.lowerKeys.has(k.toLowerCase())) this.lowerKeys.set(k.toLowerCase(), k);
    }
    const k = this.lowerKeys.get(name.toLowerCase());
    return k === undefined ? undefined : this.flat[k];
  }

  text(): string {
    this.textVal ??= Object.values(this.flat).join(' ');
    return this.textVal;
  }

  textLower(): string {
    this.textLowVal ??= this.text().toLowerCase();
    return this.textLowVal;
  }
}

export class EventView implements FieldView {
  private fields: EventFields | null = null;
  private readonly vals = new Map<string, string | undefined>();
  private readonly lows = new Map<string, string | undefined>();

  constructor(private readonly mapping: ReadonlyMap<string, string> | null) {}

  reset(fields: EventFields): this {
    this.fields = fields;
    this.vals.clear();
    this.lows.clear();
    return this;
  }

  get(field: string): string | undefined {
    if (this.vals.has(field)) return this.vals.get(field);
    const name = this.mapping?.get(field.toLowerCase()) ?? field;
    const v = this.fields?.get(name);
    this.vals.set(field, v);
    return v;
  }

  lower(field: string): string | undefined {
    if (this.lows.has(field)) return this.lows.get(field);
    const v = this.get(field)?.toLowerCase();
    this.lows.set(field, v);
    return v;
  }

  text(): string {
    return this.fields?.text() ?? '';
  }

  textLower(): string {
    return this.fields?.textLower() ?? '';
  }
}
