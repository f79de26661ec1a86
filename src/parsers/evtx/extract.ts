/**
 * Fast path from a template instance straight to an EventRecord: walks the compiled template
 * with the record's substitution values and renders only what EventRecord needs (the System
 * fields, Data values, UserData), without building the record's element tree. Anything
 * unusual — nested BinXml or elements inside a value, arrays in System, a substitution where
 * an element is expected — goes through the generic tree path for that part (or, at the top,
 * for the whole record), so both paths give the same record (checked by extract.test.ts).
 */
import type { EventRecord } from '../types.js';
import {
  arrayContent,
  instantiate,
  isEmptyValue,
  parseFragment,
  recordInstance,
  type ChunkCtx,
  type Instance,
  type SubValue,
  type XElement,
  type XNode,
} from './binxml.js';
import {
  addData,
  applyEventChild,
  applySystemChild,
  attr,
  buildRecord,
  newEventParts,
  newSystemFields,
  textOf,
  type EventParts,
  type RecordHeader,
} from './event.js';
import { VT } from './format.js';
import { renderArrayItems, renderValue } from './values.js';

const DEPTH = 3;

/** Text of template content with values; null when it needs the generic path. */
function text(ctx: ChunkCtx, nodes: readonly XNode[], values: readonly SubValue[]): string | null {
  let s = '';
  for (const n of nodes) {
    if (typeof n === 'string') s += n;
    else if (n.k === 2) {
      const v = values[n.index];
      if (v === undefined || isEmptyValue(v)) continue;
      if (v.type === VT.BinXml) return null;
      s += renderValue(ctx.buf, v.off, v.size, v.type);
    } else return null;
  }
  return s;
}

function attrText(ctx: ChunkCtx, el: XElement, name: string, values: readonly SubValue[]): string | null | undefined {
  for (const a of el.attrs) if (a.name === name) return text(ctx, a.value, values) ?? undefined;
  return null;
}

/** Generic path for one template element: instantiate it, then read it as a tree. */
function generic(ctx: ChunkCtx, el: XElement, values: readonly SubValue[]): XElement[] {
  return instantiate(ctx, [el], values, DEPTH).filter((n): n is XElement => typeof n !== 'string' && n.k === 1);
}

/** True when a value at this place would inject elements (nested BinXml). */
function injects(n: XNode, values: readonly SubValue[]): boolean {
  return typeof n !== 'string' && n.k === 2 && values[n.index]?.type === VT.BinXml;
}

function system(ctx: ChunkCtx, sys: XElement, values: readonly SubValue[]): EventParts['sys'] | null {
  const f = newSystemFields();
  for (const c of sys.children) {
    if (typeof c === 'string') continue;
    if (c.k === 2) {
      if (injects(c, values)) return null;
      continue;
    }
    if (arrayContent(c, values)) return null;
    let failed = false;
    applySystemChild(
      f,
      c.name,
      () => {
        const body = text(ctx, c.children, values);
        if (body === null) failed = true;
        return body ?? '';
      },
      (a) => {
        const v = attrText(ctx, c, a, values);
        if (v === undefined) failed = true;
        return v ?? null;
      },
    );
    if (failed) return null;
  }
  return f;
}

function eventData(ctx: ChunkCtx, ed: XElement, values: readonly SubValue[], parts: EventParts): boolean {
  for (const d of ed.children) {
    if (typeof d === 'string') continue;
    if (d.k === 2) {
      if (injects(d, values)) return false;
      continue;
    }
    if (d.name !== 'Data') continue;
    const name = attrText(ctx, d, 'Name', values);
    const arr = arrayContent(d, values);
    const value = arr ? null : text(ctx, d.children, values);
    if (name === undefined || (!arr && value === null)) {
      for (const g of generic(ctx, d, values)) addData(parts, attr(g, 'Name'), textOf(g.children));
    } else if (arr) {
      for (const item of renderArrayItems(ctx.buf, arr.off, arr.size, arr.type)) addData(parts, name, item);
    } else addData(parts, name, value ?? '');
  }
  return true;
}

/** One child element of <Event>; false when the record needs the generic path. */
function eventChild(ctx: ChunkCtx, n: XElement, values: readonly SubValue[], parts: EventParts): boolean {
  if (n.name === 'System') {
    const f = system(ctx, n, values);
    if (!f) return false;
    parts.sys = f;
  } else if (n.name === 'EventData') {
    if (!eventData(ctx, n, values, parts)) return false;
  } else if (n.name === 'UserData') {
    for (const g of generic(ctx, n, values)) applyEventChild(parts, g);
  }
  return true;
}

/**
 * The children of <Event>. Windows templates usually put EventData/UserData in a nested
 * BinXml value (`<Event><System>…</System>%19</Event>`): that fragment is itself a template
 * instance (read the same way) or plain elements (read as a tree).
 */
function eventChildren(ctx: ChunkCtx, nodes: readonly XNode[], values: readonly SubValue[], parts: EventParts, nest: number): boolean {
  for (const n of nodes) {
    if (typeof n === 'string') continue;
    if (n.k === 1) {
      if (!eventChild(ctx, n, values, parts)) return false;
      continue;
    }
    const v = values[n.index];
    if (v === undefined || v.type !== VT.BinXml || isEmptyValue(v)) continue;
    if (nest > 2) return false;
    const inner = recordInstance(ctx, v.off, v.off + v.size);
    if (inner) {
      if (!eventChildren(ctx, inner.template, inner.values, parts, nest + 1)) return false;
    } else {
      for (const g of parseFragment(ctx, v.off, v.off + v.size)) if (typeof g !== 'string' && g.k === 1) applyEventChild(parts, g);
    }
  }
  return true;
}

/** The EventRecord of a template-instance record, or null to use the generic path. */
export function extractEvent(ctx: ChunkCtx, inst: Instance, hdr: RecordHeader): EventRecord | null {
  let ev: XElement | null = null;
  for (const n of inst.template) {
    if (typeof n === 'string') continue;
    if (n.k === 2) return null; // a substitution before the first element
    ev = n;
    break;
  }
  if (!ev) return null;
  const parts = newEventParts();
  return eventChildren(ctx, ev.children, inst.values, parts, 0) ? buildRecord(parts, hdr) : null;
}
