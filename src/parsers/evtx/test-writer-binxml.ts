/**
 * BinXml encoding half of the test EVTX writer: template definitions (the Event/System/
 * EventData or UserData skeleton with substitution slots) and nested UserData fragments
 * (with entity and character references). Names are written inline on first use in a chunk
 * and referenced by chunk offset afterwards. Token layouts per libyal/libevtx
 * "Windows XML Event Log (EVTX)" §4 and [MS-EVEN6] 2.2.12.
 */
import { TOKEN_MORE_FLAG, Tok, VT } from './format.js';

export type DataValue = string | readonly string[] | { readonly hex64: bigint } | { readonly uint32: number } | { readonly sid: string };

/** The template a record uses: which optional parts it has. */
export interface Shape {
  readonly qualifiers: boolean;
  /** Data names in order (null = unnamed), or null for no EventData. */
  readonly data: readonly (string | null)[] | null;
  readonly userData: boolean;
}

/** Substitution slots of the System part (see `writeValues` in test-writer.ts). */
export const SUB_DATA_START = 8;
const SUB_QUALIFIERS = 7;
const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

type Attr = readonly [string, { sub: number; optional?: boolean } | string];

/** A cursor over the chunk buffer that throws RangeError when the chunk is full. */
class Out {
  constructor(readonly b: Buffer, public p: number, readonly names: Map<string, number>) {}
  room(n: number): void {
    if (this.p + n > this.b.length) throw new RangeError('chunk full');
  }
  u8(v: number): void {
    this.room(1);
    this.b.writeUInt8(v, this.p++);
  }
  u16(v: number): void {
    this.room(2);
    this.b.writeUInt16LE(v, this.p);
    this.p += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.b.writeUInt32LE(v, this.p);
    this.p += 4;
  }
  utf16(s: string): void {
    this.room(2 * s.length);
    this.p += this.b.write(s, this.p, 'utf16le');
  }
  name(n: string): void {
    const known = this.names.get(n);
    if (known !== undefined) return this.u32(known);
    const at = this.p + 4;
    this.names.set(n, at);
    this.u32(at);
    this.u32(0); // next string offset
    this.u16(0); // hash (not checked by readers)
    this.u16(n.length);
    this.utf16(n);
    this.u16(0);
  }
  text(s: string): void {
    // '&' as an entity reference and '<' as a character reference, the rest as value text.
    for (const part of s.split(/([&<])/)) {
      if (part === '&') {
        this.u8(Tok.EntityRef);
        this.name('amp');
      } else if (part === '<') {
        this.u8(Tok.CharRef);
        this.u16(0x3c);
      } else if (part !== '') {
        this.u8(Tok.Value);
        this.u8(VT.WString);
        this.u16(part.length);
        this.utf16(part);
      }
    }
  }
  sub(index: number, type: number, optional = false): void {
    this.u8(optional ? Tok.OptionalSubstitution : Tok.NormalSubstitution);
    this.u16(index);
    this.u8(type);
  }
  fragmentHeader(): void {
    for (const x of [Tok.FragmentHeader, 1, 1, 0]) this.u8(x);
  }
  /** Writes `<name attrs>` + children() + `</name>`, or `<name attrs/>` without children. */
  element(name: string, attrs: readonly Attr[], children?: () => void): void {
    this.u8(attrs.length > 0 ? Tok.OpenStartElement | TOKEN_MORE_FLAG : Tok.OpenStartElement);
    this.u16(0xffff); // dependency id
    const sizeAt = this.p;
    this.u32(0);
    this.name(name);
    if (attrs.length > 0) {
      const listAt = this.p;
      this.u32(0);
      attrs.forEach(([an, av], i) => {
        this.u8(i < attrs.length - 1 ? Tok.Attribute | TOKEN_MORE_FLAG : Tok.Attribute);
        this.name(an);
        if (typeof av === 'string') this.text(av);
        else this.sub(av.sub, av.sub === SUB_QUALIFIERS ? VT.UInt16 : VT.WString, av.optional);
      });
      this.b.writeUInt32LE(this.p - listAt - 4, listAt);
    }
    if (children) {
      this.u8(Tok.CloseStartElement);
      children();
      this.u8(Tok.EndElement);
    } else this.u8(Tok.CloseEmptyElement);
    this.b.writeUInt32LE(this.p - sizeAt - 4, sizeAt);
  }
}

function systemPart(o: Out, shape: Shape): void {
  o.element('System', [], () => {
    o.element('Provider', [['Name', { sub: 0 }]]);
    o.element('EventID', shape.qualifiers ? [['Qualifiers', { sub: SUB_QUALIFIERS, optional: true }]] : [], () => o.sub(1, VT.UInt16));
    o.element('Level', [], () => o.sub(2, VT.UInt8));
    o.element('TimeCreated', [['SystemTime', { sub: 3 }]]);
    o.element('EventRecordID', [], () => o.sub(4, VT.UInt64));
    o.element('Channel', [], () => o.sub(5, VT.WString));
    o.element('Computer', [], () => o.sub(6, VT.WString));
  });
}

/** Writes an inline template definition at `p`; returns the position after it. */
export function buildTemplate(b: Buffer, p: number, shape: Shape, names: Map<string, number>): number {
  const o = new Out(b, p, names);
  o.u32(0); // next template offset
  o.room(16);
  b.writeUInt32LE(0x5eed0000, o.p); // GUID (first 4 bytes = template id)
  b.fill(0x11, o.p + 4, o.p + 16);
  o.p += 16;
  const sizeAt = o.p;
  o.u32(0);
  o.fragmentHeader();
  o.element('Event', [['xmlns', EVENT_NS]], () => {
    systemPart(o, shape);
    const data = shape.data;
    if (data) {
      o.element('EventData', [], () => {
        data.forEach((name, i) => o.element('Data', name === null ? [] : [['Name', name]], () => o.sub(SUB_DATA_START + i, VT.WString)));
      });
    }
    if (shape.userData) o.element('UserData', [], () => o.sub(SUB_DATA_START + (data?.length ?? 0), VT.BinXml));
  });
  o.u8(Tok.Eof);
  b.writeUInt32LE(o.p - sizeAt - 4, sizeAt);
  return o.p;
}

/** Writes a nested BinXml fragment for UserData at `p`; returns the position after it. */
export function nestedUserData(
  b: Buffer,
  p: number,
  ud: { readonly root: string; readonly xmlns: string; readonly fields: readonly (readonly [string, string])[] },
  names: Map<string, number>,
): number {
  const o = new Out(b, p, names);
  o.fragmentHeader();
  o.element(ud.root, [['xmlns', ud.xmlns]], () => {
    for (const [k, v] of ud.fields) o.element(k, [], v === '' ? undefined : () => o.text(v));
  });
  o.u8(Tok.Eof);
  return o.p;
}
