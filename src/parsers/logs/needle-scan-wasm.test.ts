// The committed needle-scan.wasm is exactly what its source (wasm/needle-scan.ts) compiles to
// with the flags of `npm run build:wasm`: the binary can never drift from the reviewed source.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));

void describe('needle-scan.wasm', () => {
  void it('is the build of wasm/needle-scan.ts', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const args = (pkg.scripts['build:wasm'] ?? '').split(' ');
    assert.equal(args[0], 'asc');
    const out = mkdtempSync(join(tmpdir(), 'exhunt-wasm-'));
    try {
      const o = args.indexOf('-o');
      const rebuilt = join(out, 'needle-scan.wasm');
      const argv = [...args.slice(1, o), '-o', rebuilt];
      execFileSync(process.execPath, [join(root, 'node_modules/assemblyscript/bin/asc.js'), ...argv], { cwd: root, stdio: 'pipe' });
      assert.deepEqual(readFileSync(rebuilt), readFileSync(join(root, args[o + 1] ?? '')));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
