// Copies the non-TypeScript files the compiled code loads (WebAssembly modules) from src/ to
// dist/ beside their modules; tsc copies only what it compiles. Run by `build` and `prepare`.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET = /\.wasm$/;

function* assets(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* assets(p);
    else if (ASSET.test(e.name)) yield p;
  }
}

for (const src of assets(join(root, 'src'))) {
  const dest = join(root, 'dist', relative(join(root, 'src'), src));
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest);
}
