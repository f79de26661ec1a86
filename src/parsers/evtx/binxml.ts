/**
 * Binary XML (BinXml) reader for one EVTX chunk: element/attribute/value tokens, CDATA,
 * character and entity references, template instances with substitution arrays (templates
 * are compiled once per chunk and cached by offset) and nested BinXml values (type 0x21).
 * The result is a small element tree; `event.ts` turns it into an EventRecord.
 *
 * Token layouts: libyal/libevtx "Windows XML Event Log (EVTX)" §4 (binary XML) and
 * [MS-EVEN6] 2.2.12. All offsets inside BinXml are relative to the chunk start, so the reader
 * works on a Buffer holding exactly one chunk.
 */
import { ARRAY_FLAG, TOKEN_MORE_FLAG, Tok, VT } from './format.js';
import { renderArrayItems, renderValue } from './values.js';

export interface XElement {
  readonly k: 1;
  /** True when a substitution occurs inside (the element must be instantiated per record). */
  readonly dyn: boolean;
  /** True when an attribute value holds a substitution. */
  readonly attrsDyn: boolean;
  readonly name: string;
  readonly attrs: readonly XAttr[];
  readonly children: readonly XNode[];
}
export interface XAttr {
  readonly name: string;
  readonly value: readonly XNode[];
}
/** A substitution placeholder inside a compiled template. */
export interface XSub {
  readonly k: 2;
  readonly index: number;
  readonly optional: boolean;
}
export type XNode = string | XElement | XSub;

/** Per-chunk state: the chunk bytes plus caches of names and compiled templates. */
export interface ChunkCtx {
  readonly buf: Buffer;
  readonly names: Map<number, string>;
  readonly templates: Map<number, readonly XNode[]>;
}

export interface SubValue {
  readonly off: number;
  readonly size: number;
  readonly type: number;
}

const MAX_DEPTH = 200;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export class BinXmlError extends Error {}

export function newChunkCtx(buf: Buffer): ChunkCtx {
  return { buf, names: new Map(), templates: new Map() };
}

function check(ctx: ChunkCtx, p: number, n: number, end: number): void {
  if (p + n > end || p + n > ctx.buf.length) throw new BinXmlError(`BinXml overruns its data at 0x${p.toString(16)}`);
}

function readName(ctx: ChunkCtx, off: number): string {
  const hit = ctx.names.get(off);
  if (hit !== undefined) return hit;
  const buf = ctx.buf;
  if (off + 8 > buf.length) throw new BinXmlError(`name offset 0x${off.toString(16)} outside the chunk`);
  const n = buf.readUInt16LE(off + 6);
  if (off + 8 + 2 * n > buf.length) throw new BinXmlError('name overruns the chunk');
  const name = buf.toString('utf16le', off + 8, off + 8 + 2 * n);
  ctx.names.set(off, name);
  return name;
}

/** Reads a name reference at `p`; returns the name and the position after any inline copy. */
function nameAt(ctx: ChunkCtx, p: number, end: number): [string, number] {
  check(ctx, p, 4, end);
  const off = ctx.buf.readUInt32LE(p);
  p += 4;
  const name = readName(ctx, off);
  if (off === p) p += 10 + 2 * name.length; // next offset, hash, length, chars, NUL
  return [name, p];
}

interface Cursor {
  p: number;
}

/** Parses content tokens until End Element / EOF (both consumed when `stopAtEnd`). */
function parseContent(ctx: ChunkCtx, c: Cursor, end: number, depth: number, valueOnly: boolean): XNode[] {
  if (depth > MAX_DEPTH) throw new BinXmlError('BinXml nested too deep');
  const buf = ctx.buf;
  const out: XNode[] = [];
  while (c.p < end) {
    const tok = buf[c.p] as number;
    const base = tok & 0x0f;
    if (valueOnly && base !== Tok.Value && base !== Tok.CharRef && base !== Tok.EntityRef &&
      base !== Tok.NormalSubstitution && base !== Tok.OptionalSubstitution) return out;
    switch (base) {
      case Tok.Eof:
        c.p++;
        return out;
      case Tok.EndElement:
        return out;
      case Tok.FragmentHeader:
        check(ctx, c.p, 4, end);
        c.p += 4;
        break;
      case Tok.OpenStartElement:
        out.push(parseElement(ctx, c, end, depth + 1));
        break;
      case Tok.Value: {
        check(ctx, c.p, 4, end);
        const type = buf[c.p + 1] as number;
        const n = buf.readUInt16LE(c.p + 2);
        if (type !== VT.WString && type !== VT.AnsiString) throw new BinXmlError(`value text of type 0x${type.toString(16)}`);
        const bytes = type === VT.WString ? 2 * n : n;
        check(ctx, c.p + 4, bytes, end);
        out.push(renderValue(buf, c.p + 4, bytes, type));
        c.p += 4 + bytes;
        break;
      }
      case Tok.CData: {
        check(ctx, c.p, 3, end);
        const n = buf.readUInt16LE(c.p + 1);
        check(ctx, c.p + 3, 2 * n, end);
        out.push(buf.toString('utf16le', c.p + 3, c.p + 3 + 2 * n));
        c.p += 3 + 2 * n;
        break;
      }
      case Tok.CharRef:
        check(ctx, c.p, 3, end);
        out.push(String.fromCharCode(buf.readUInt16LE(c.p + 1)));
        c.p += 3;
        break;
      case Tok.EntityRef: {
        const [name, next] = nameAt(ctx, c.p + 1, end);
        out.push(ENTITIES[name] ?? `&${name};`);
        c.p = next;
        break;
      }
      case Tok.PiTarget:
        c.p = nameAt(ctx, c.p + 1, end)[1];
        break;
      case Tok.PiData:
        check(ctx, c.p, 3, end);
        check(ctx, c.p + 3, 2 * buf.readUInt16LE(c.p + 1), end);
        c.p += 3 + 2 * buf.readUInt16LE(c.p + 1);
        break;
      case Tok.TemplateInstance:
        for (const n of parseTemplateInstance(ctx, c, end, depth + 1)) out.push(n);
        break;
      case Tok.NormalSubstitution:
      case Tok.OptionalSubstitution:
        check(ctx, c.p, 4, end);
        out.push({ k: 2, index: buf.readUInt16LE(c.p + 1), optional: base === Tok.OptionalSubstitution });
        c.p += 4;
        break;
      default:
        throw new BinXmlError(`unknown BinXml token 0x${tok.toString(16)} at 0x${c.p.toString(16)}`);
    }
  }
  return out;
}

function parseAttributes(ctx: ChunkCtx, c: Cursor, end: number, depth: number): XAttr[] {
  const buf = ctx.buf;
  const attrs: XAttr[] = [];
  check(ctx, c.p, 4, end);
  c.p += 4; // attribute list size
  while (c.p < end && ((buf[c.p] as number) & 0x0f) === Tok.Attribute) {
    const more = ((buf[c.p] as number) & TOKEN_MORE_FLAG) !== 0;
    const [name, next] = nameAt(ctx, c.p + 1, end);
    c.p = next;
    attrs.push({ name, value: parseContent(ctx, c, end, depth + 1, true) });
    if (!more) break;
  }
  return attrs;
}

function hasSub(nodes: readonly XNode[]): boolean {
  for (const n of nodes) if (typeof n !== 'string' && (n.k === 2 || n.dyn)) return true;
  return false;
}

function parseElement(ctx: ChunkCtx, c: Cursor, end: number, depth: number): XElement {
  const buf = ctx.buf;
  const tok = buf[c.p] as number;
  check(ctx, c.p, 11, end);
  const [name, next] = nameAt(ctx, c.p + 7, end); // token, dependency id (2), data size (4)
  c.p = next;
  const attrs = (tok & TOKEN_MORE_FLAG) !== 0 ? parseAttributes(ctx, c, end, depth) : [];
  check(ctx, c.p, 1, end);
  const close = (buf[c.p] as number) & 0x0f;
  c.p++;
  const attrsDyn = attrs.some((a) => hasSub(a.value));
  if (close === Tok.CloseEmptyElement) return { k: 1, dyn: attrsDyn, attrsDyn, name, attrs, children: [] };
  if (close !== Tok.CloseStartElement) throw new BinXmlError(`element <${name}> not closed (token 0x${close.toString(16)})`);
  const children = parseContent(ctx, c, end, depth + 1, false);
  check(ctx, c.p, 1, end);
  if (((buf[c.p] as number) & 0x0f) !== Tok.EndElement) throw new BinXmlError(`element <${name}> has no end`);
  c.p++;
  return { k: 1, dyn: attrsDyn || hasSub(children), attrsDyn, name, attrs, children };
}

function compileTemplate(ctx: ChunkCtx, defOff: number, depth: number): readonly XNode[] {
  const hit = ctx.templates.get(defOff);
  if (hit) return hit;
  const buf = ctx.buf;
  if (defOff + 24 > buf.length) throw new BinXmlError(`template offset 0x${defOff.toString(16)} outside the chunk`);
  const size = buf.readUInt32LE(defOff + 20); // next (4), GUID (16), data size (4)
  const start = defOff + 24;
  const end = Math.min(start + size, buf.length);
  const nodes = parseContent(ctx, { p: start }, end, depth + 1, false);
  ctx.templates.set(defOff, nodes);
  return nodes;
}

/** A template instance: the compiled template and where its substitution values lie. */
export interface Instance {
  readonly template: readonly XNode[];
  readonly values: readonly SubValue[];
}

function readInstance(ctx: ChunkCtx, c: Cursor, end: number, depth: number): Instance {
  const buf = ctx.buf;
  check(ctx, c.p, 10, end);
  const defOff = buf.readUInt32LE(c.p + 6); // token, unknown (1), template id (4), offset (4)
  c.p += 10;
  if (defOff === c.p) {
    check(ctx, c.p, 24, end);
    c.p += 24 + buf.readUInt32LE(c.p + 20);
  }
  const template = compileTemplate(ctx, defOff, depth);
  check(ctx, c.p, 4, end);
  const count = buf.readUInt32LE(c.p);
  c.p += 4;
  check(ctx, c.p, 4 * count, end);
  const values: SubValue[] = new Array<SubValue>(count);
  let vp = c.p + 4 * count;
  for (let i = 0; i < count; i++) {
    const size = buf.readUInt16LE(c.p + 4 * i);
    values[i] = { off: vp, size, type: buf[c.p + 4 * i + 2] as number };
    vp += size;
  }
  if (vp > end) throw new BinXmlError('substitution values overrun the record');
  c.p = vp;
  return { template, values };
}

function parseTemplateInstance(ctx: ChunkCtx, c: Cursor, end: number, depth: number): XNode[] {
  const { template, values } = readInstance(ctx, c, end, depth);
  return instantiate(ctx, template, values, depth + 1);
}

/**
 * The common record shape — fragment header, one template instance, EOF — as the instance
 * itself (for `extract.ts`'s fast path), or null when the record is anything else.
 */
export function recordInstance(ctx: ChunkCtx, start: number, end: number): Instance | null {
  const buf = ctx.buf;
  let p = start;
  if (p < end && ((buf[p] as number) & 0x0f) === Tok.FragmentHeader) p += 4;
  if (p >= end || ((buf[p] as number) & 0x0f) !== Tok.TemplateInstance) return null;
  const c = { p };
  const inst = readInstance(ctx, c, end, 1);
  if (c.p < end && (buf[c.p] as number) !== Tok.Eof) return null;
  return inst;
}

/** Whether a substitution value renders as nothing (absent, NULL, or empty non-string). */
export function isEmptyValue(v: SubValue | undefined): boolean {
  return v === undefined || v.type === VT.Null || (v.size === 0 && v.type !== VT.WString);
}

function substitute(ctx: ChunkCtx, v: SubValue | undefined, out: XNode[], depth: number): void {
  if (v === undefined || isEmptyValue(v)) return;
  if (v.type === VT.BinXml) {
    const nested = parseContent(ctx, { p: v.off }, v.off + v.size, depth + 1, false);
    for (const n of nested) out.push(n);
    return;
  }
  out.push(renderValue(ctx.buf, v.off, v.size, v.type));
}

/** The array value when `el`'s only content is one substitution of an array type. */
export function arrayContent(el: XElement, values: readonly SubValue[]): SubValue | null {
  if (el.children.length !== 1) return null;
  const only = el.children[0];
  if (typeof only === 'string' || only === undefined || only.k !== 2) return null;
  const v = values[only.index];
  return v !== undefined && (v.type & ARRAY_FLAG) !== 0 && v.size > 0 ? v : null;
}

/**
 * Children of <System> that EventRecord uses, with the attributes it reads. The others
 * (Version, Task, Keywords, Correlation, Execution, Security, …) are not rendered at all,
 * which saves formatting GUIDs, SIDs and hex values that nobody reads.
 */
const SYSTEM_WANTED: ReadonlyMap<string, readonly string[]> = new Map([
  ['Provider', ['Name']],
  ['EventID', []],
  ['Level', []],
  ['TimeCreated', ['SystemTime']],
  ['EventRecordID', []],
  ['Channel', []],
  ['Computer', []],
]);

export function instantiate(ctx: ChunkCtx, nodes: readonly XNode[], values: readonly SubValue[], depth: number, inSystem = false): XNode[] {
  if (depth > MAX_DEPTH) throw new BinXmlError('BinXml nested too deep');
  const out: XNode[] = [];
  for (const n of nodes) {
    if (typeof n === 'string') out.push(n);
    else if (n.k === 2) substitute(ctx, values[n.index], out, depth);
    else if (!n.dyn) out.push(n); // static subtree: shared, never mutated
    else {
      const wanted = inSystem ? SYSTEM_WANTED.get(n.name) : undefined;
      if (inSystem && wanted === undefined) continue;
      const attrList = wanted ? n.attrs.filter((a) => wanted.includes(a.name)) : n.attrs;
      const attrs = attrList.length === 0 || !n.attrsDyn ? attrList : attrList.map((a) => ({ name: a.name, value: instantiate(ctx, a.value, values, depth + 1) }));
      const arr = arrayContent(n, values);
      if (arr) {
        // One element per item, as Windows renders an array substitution.
        for (const item of renderArrayItems(ctx.buf, arr.off, arr.size, arr.type)) out.push({ k: 1, dyn: false, attrsDyn: false, name: n.name, attrs, children: [item] });
      } else {
        const children = instantiate(ctx, n.children, values, depth + 1, n.name === 'System' && depth <= 3);
        out.push({ k: 1, dyn: false, attrsDyn: false, name: n.name, attrs, children });
      }
    }
  }
  return out;
}

/** Parses a nested BinXml fragment (a 0x21 value) into nodes. */
export function parseFragment(ctx: ChunkCtx, start: number, end: number): XNode[] {
  return parseContent(ctx, { p: start }, end, 4, false);
}

/** Parses the BinXml of one record, [start, end) in the chunk, into top-level nodes. */
export function parseRecordXml(ctx: ChunkCtx, start: number, end: number): XNode[] {
  const nodes = parseContent(ctx, { p: start }, end, 0, false);
  if (!nodes.some((n) => typeof n !== 'string' && n.k === 1)) throw new BinXmlError('record holds no element');
  return nodes;
}
