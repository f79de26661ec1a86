/**
 * FieldView over one Windows event record, for compiled detections. The record's fields are
 * its flattened form (parsers/evtx `flattenEvent`: System fields under their Windows names,
 * EventData by name, unnamed data joined as `Data`) plus each unnamed value as `Data1`,
 * `Data2`, ... (or `Data[1]`, ...). A selector's field map (content/mappings/windows.yaml)
 * translates Sigma names first.
 */
import { flattenEvent } from '../../parsers/evtx/index.js';
import type { EventRecord } from '../../parsers/types.js';
import type { FieldView } from '../../rules/types.js';

/**
 * A record's fields, read on demand and shared by every view of that record: System values
 * and EventData straight from the record (no per-record object for the common case), the
 * flattened form (parsers/evtx `flattenEvent`) only for UserData leaves and whole-record text.
 * Field names match exactly, as the event XML spells them.
 */
export class EventFields {
  private flat: Readonly<Record<string, string>> | null = null;
  private joined: string | null = null;
  private textVal: string | null = null;
  private textLowVal: string | null = null;

  constructor(readonly rec: EventRecord) {}

  private flattened(): Readonly<Record<string, string>> {
    this.flat ??= flattenEvent(this.rec);
    return this.flat;
  }

  private system(name: string): string | null | undefined {
    const r = this.rec;
    switch (name) {
      case 'EventID':
        return String(r.eventId);
      case 'Channel':
        return r.channel;
      case 'Provider_Name':
        return r.provider;
      case 'Computer':
        return r.computer;
      case 'Level':
        return r.level === null ? null : String(r.level);
      case 'EventRecordID':
        return String(r.recordId);
      case 'TimeCreated':
        return r.time;
      default:
        return undefined;
    }
  }

  get(name: string): string | undefined {
    const sys = this.system(name);
    if (sys !== undefined) return sys ?? undefined;
    const v = this.rec.data[name];
    if (v !== undefined && v !== null) return v;
    if (name === 'Data' && this.rec.dataUnnamed.length > 0) {
      this.joined ??= this.rec.dataUnnamed.map((x) => x ?? '').join('\n');
      return this.joined;
    }
    const m = /^Data\[?(\d+)\]?$/.exec(name);
    if (m) {
      const u = this.rec.dataUnnamed[Number(m[1]) - 1];
      return u === undefined ? undefined : (u ?? '');
    }
    return this.rec.userData ? this.flattened()[name] : undefined;
  }

  text(): string {
    this.textVal ??= Object.values(this.flattened()).join(' ');
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
    let v: string | undefined;
    // `A|B` (content/mappings/windows.yaml): the first of the names with a value other than `-`.
    if (name.includes('|')) {
      for (const n of name.split('|')) {
        v = this.fields?.get(n);
        if (v !== undefined && v !== '' && v !== '-') break;
      }
    } else v = this.fields?.get(name);
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
