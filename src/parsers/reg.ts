/**
 * Parses a registry export (`.reg`, "Windows Registry Editor Version 5.00" or REGEDIT4; UTF-16LE
 * with BOM or UTF-8) into keys and values, and finds the Exchange Setup key's version values.
 * Text is attacker-controlled: only parsed, never executed; sizes are capped.
 */
import { readFile, stat } from 'node:fs/promises';

export type RegValue =
  | { readonly type: 'dword'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'other'; readonly raw: string };

export interface RegKey {
  readonly path: string;
  readonly values: ReadonlyMap<string, RegValue>;
}

/** Decodes .reg bytes: UTF-16LE (BOM FF FE, or NULs in every other byte) or UTF-8. */
export function decodeReg(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0) return buf.toString('utf16le');
  return buf.toString('utf8');
}

function unquote(s: string): string | null {
  if (!s.startsWith('"')) return null;
  let out = '';
  for (let i = 1; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) out += s[++i] ?? '';
    else if (ch === '"') return out;
    else out += ch;
  }
  return null;
}

function parseValue(text: string): RegValue {
  const dw = /^dword:([0-9a-fA-F]{1,8})$/.exec(text.trim());
  if (dw?.[1] !== undefined) return { type: 'dword', value: Number.parseInt(dw[1], 16) };
  const str = unquote(text.trim());
  if (str !== null) return { type: 'string', value: str };
  return { type: 'other', raw: text.slice(0, 256) };
}

/** Joins continuation lines (ending in `\`) and splits into logical lines. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = cur === '' ? raw : raw.trimStart();
    if (line.endsWith('\\')) cur += line.slice(0, -1);
    else {
      out.push(cur + line);
      cur = '';
    }
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** Parses .reg text into keys (later duplicates of a key merge into it). */
export function parseReg(text: string): RegKey[] {
  const keys = new Map<string, { path: string; values: Map<string, RegValue> }>();
  let current: { path: string; values: Map<string, RegValue> } | null = null;
  for (const line of logicalLines(text)) {
    const t = line.trim();
    if (t.startsWith('[') && t.endsWith(']')) {
      const path = t.slice(1, -1);
      if (path.startsWith('-')) { current = null; continue; }
      const k = path.toLowerCase();
      current = keys.get(k) ?? { path, values: new Map() };
      keys.set(k, current);
      continue;
    }
    if (current === null || t === '' || t.startsWith(';')) continue;
    let name: string | null;
    let rest: string;
    if (t.startsWith('@=')) { name = ''; rest = t.slice(2); }
    else {
      const m = /^"((?:[^"\\]|\\.)*)"=(.*)$/.exec(t);
      if (!m) continue;
      name = (m[1] ?? '').replace(/\\(.)/g, '$1');
      rest = m[2] ?? '';
    }
    current.values.set(name.toLowerCase(), parseValue(rest));
  }
  return [...keys.values()];
}

const SETUP_KEY = /\\microsoft\\exchangeserver\\v1[45]\\setup$/i;

/** The build recorded by Exchange setup (`MsiProductMajor.MsiProductMinor.MsiBuildMajor.MsiBuildMinor`), or null. */
export function exchangeSetupBuild(keys: readonly RegKey[]): { build: string; key: string } | null {
  for (const k of keys) {
    if (!SETUP_KEY.test(k.path)) continue;
    const get = (n: string): number | null => {
      const v = k.values.get(n.toLowerCase());
      return v?.type === 'dword' ? v.value : null;
    };
    const parts = [get('MsiProductMajor'), get('MsiProductMinor'), get('MsiBuildMajor'), get('MsiBuildMinor')];
    if (parts.every((p): p is number => p !== null)) return { build: parts.join('.'), key: k.path };
  }
  return null;
}

/** Reads a .reg file (at most `maxBytes`) and returns the Exchange setup build it records, if any. */
export async function readExchangeSetupBuild(abs: string, maxBytes = 32 * 1024 * 1024): Promise<{ build: string; key: string } | null> {
  const st = await stat(abs);
  if (st.size > maxBytes) return null;
  return exchangeSetupBuild(parseReg(decodeReg(await readFile(abs))));
}
