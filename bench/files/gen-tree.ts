/**
 * Generates a tree of ordinary (benign) files for the file-scan benchmark: web pages, scripts,
 * styles, config, logs, JSON and small binaries, deterministic (seeded), in a temp folder.
 *   node --import tsx bench/files/gen-tree.ts DIR [COUNT=100000]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const WORDS = ('the server page user mail box owa ecp auth config value item list table row column data ' +
  'request response session cookie header view state form button label text style script module handler ' +
  'exchange transport queue message folder calendar contact task note search index cache token error').split(' ');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

type Kind = { ext: string; make(r: () => number, size: number): Buffer };

function words(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(r() * WORDS.length)] ?? 'x');
  return out.join(' ');
}

const KINDS: Kind[] = [
  { ext: '.html', make: (r, n) => Buffer.from(`<!DOCTYPE html><html><head><title>${words(r, 4)}</title></head><body>\n${Array.from({ length: Math.ceil(n / 80) }, () => `<p class="c">${words(r, 10)}</p>`).join('\n')}\n</body></html>\n`) },
  { ext: '.js', make: (r, n) => Buffer.from(Array.from({ length: Math.ceil(n / 60) }, (_, i) => `function f${i}(a, b) { return a + b + "${words(r, 3)}"; }`).join('\n')) },
  { ext: '.css', make: (r, n) => Buffer.from(Array.from({ length: Math.ceil(n / 50) }, (_, i) => `.c${i} { color: #${Math.floor(r() * 0xffffff).toString(16)}; margin: ${i}px; }`).join('\n')) },
  { ext: '.config', make: (r, n) => Buffer.from(`<?xml version="1.0"?>\n<configuration>\n${Array.from({ length: Math.ceil(n / 70) }, (_, i) => `  <add key="k${i}" value="${words(r, 4)}" />`).join('\n')}\n</configuration>\n`) },
  { ext: '.log', make: (r, n) => Buffer.from(Array.from({ length: Math.ceil(n / 90) }, (_, i) => `2021-03-0${1 + (i % 9)} 10:00:0${i % 10} GET /owa/${words(r, 1)} - 443 - 10.0.0.${i % 250} Mozilla/5.0 200 0 0 ${i}`).join('\n')) },
  { ext: '.json', make: (r, n) => Buffer.from(JSON.stringify(Array.from({ length: Math.ceil(n / 40) }, (_, i) => ({ id: i, name: words(r, 2) })))) },
  { ext: '.dll', make: (r, n) => { const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256); b.write('MZ', 0, 'latin1'); return b; } },
  { ext: '.aspx', make: (r, n) => Buffer.from(`<%@ Page Language="C#" AutoEventWireup="true" %>\n<html><body><form runat="server">\n${Array.from({ length: Math.ceil(n / 70) }, (_, i) => `<asp:Label ID="l${i}" runat="server" Text="${words(r, 3)}" />`).join('\n')}\n</form></body></html>\n`) },
];

export async function generateTree(dir: string, count: number, seed = 42): Promise<void> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${Math.floor(i / 1000)}`, `s${Math.floor(i / 100) % 10}`);
    if (i % 100 === 0) await mkdir(sub, { recursive: true });
    const kind = KINDS[i % KINDS.length] ?? KINDS[0]!;
    const size = 200 + Math.floor(r() * r() * 16000);
    await writeFile(join(sub, `f${i}${kind.ext}`), kind.make(r, size));
  }
}

if (process.argv[1]?.endsWith('gen-tree.ts')) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: gen-tree.ts DIR [COUNT]');
  await generateTree(dir, Number(process.argv[3] ?? 100000));
}
