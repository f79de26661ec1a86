/** Sigma value encodings: base64, base64offset, UTF-16 (wide), windash, and CIDR parsing. */

export function base64(buf: Buffer): string {
  return buf.toString('base64');
}

/**
 * The three base64 forms of `buf` when it sits at offset 0, 1 or 2 of a larger encoded
 * string: the characters that do not depend on the neighbouring bytes.
 */
export function base64Offsets(buf: Buffer): string[] {
  const starts = [0, 2, 3];
  const endTrim = [0, 3, 2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), buf]).toString('base64');
    const rem = (buf.length + i) % 3;
    const end = enc.length - (endTrim[rem] ?? 0);
    out.push(enc.slice(starts[i], end));
  }
  return out;
}

export function utf16(s: string, variant: 'le' | 'be' | 'bom'): Buffer {
  const le = Buffer.from(s, 'utf16le');
  if (variant === 'le') return le;
  if (variant === 'bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] as number;
    be[i + 1] = le[i] as number;
  }
  return be;
}

export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/** Every variant of `s` with each `-` or `/` replaced by each dash form; null when too many. */
export function windashVariants(s: string, limit = 256): string[] | null {
  let out = [''];
  for (const c of s) {
    const alts: readonly string[] = c === '-' || c === '/' ? WINDASH_CHARS : [c];
    if (out.length * alts.length > limit) return null;
    out = out.flatMap((p) => alts.map((a) => p + a));
  }
  return out;
}

export interface Cidr {
  readonly v6: boolean;
  readonly net: bigint;
  readonly bits: number;
}

export function parseIp(s: string): { v6: boolean; value: bigint } | null {
  const t = s.trim();
  const m4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (m4) {
    const o = m4.slice(1).map(Number);
    if (o.some((x) => x > 255)) return null;
    return { v6: false, value: BigInt(((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!) };
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return null;
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...tail];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return { v6: true, value: all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n) };
}

export function parseCidr(s: string): Cidr | null {
  const [addr, len] = s.split('/');
  const ip = parseIp(addr ?? '');
  if (!ip) return null;
  const max = ip.v6 ? 128 : 32;
  const bits = len === undefined ? max : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return null;
  const shift = BigInt(max - bits);
  return { v6: ip.v6, net: (ip.value >> shift) << shift, bits };
}

export function inCidr(ipText: string, c: Cidr): boolean {
  const ip = parseIp(ipText);
  if (!ip || ip.v6 !== c.v6) return false;
  const shift = BigInt((c.v6 ? 128 : 32) - c.bits);
  return (ip.value >> shift) << shift === c.net;
}
