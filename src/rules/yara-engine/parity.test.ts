/**
 * Parity of the portable engine with YARA-X (`@litko/yara-x`, where it loads) and the YARA
 * command line (Debian `yara`, when installed): the bundled rules over every file of the
 * development corpora (`../shared/corpus/*.zip` beside the clone, or EXHUNT_CORPUS), unzipped
 * into a temporary folder, must give the same matched rules per file. Skipped, with the reason
 * printed, when the corpus is absent. The files are attacker tools: only read as bytes.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import yauzl from 'yauzl';
import { PACKAGE_ROOT } from '../../version.js';
import { loadYaraX } from '../yara.js';
import { BUNDLED_YARA_DIR } from '../yara-source.js';
import { buildEngine } from './engine.js';

const CORPUS = process.env.EXHUNT_CORPUS ?? [resolve(PACKAGE_ROOT, '..', 'shared', 'corpus'), '/work/shared/corpus'].find((d) => existsSync(d)) ?? '';
const ZIPS = ['webshells-dev.zip', 'benign-aspnet-dev.zip', 'webshells-dev2.zip', 'benign-aspnet-dev2.zip'];

function unzip(zipPath: string, into: string, prefix: string): Promise<string[]> {
  return new Promise((res, rej) => {
    yauzl.open(zipPath, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err) return rej(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(e, (err2, rs) => {
          if (err2) return rej(err2);
          const chunks: Buffer[] = [];
          rs.on('data', (c: Buffer) => chunks.push(c));
          rs.on('end', () => {
            // Flat, numbered names: the archive's own names are not trusted as paths.
            const name = `${prefix}-${String(names.length).padStart(5, '0')}`;
            writeFileSync(join(into, name), Buffer.concat(chunks));
            names.push(name);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => res(names));
      zip.on('error', rej);
      zip.readEntry();
    });
  });
}

const ruleFiles = readdirSync(BUNDLED_YARA_DIR)
  .filter((f) => f.endsWith('.yar'))
  .sort()
  .map((f) => join(BUNDLED_YARA_DIR, f));

void describe('portable YARA engine: parity on the development corpora', () => {
  let dir = '';
  const files: string[] = [];
  const portable = new Map<string, string[]>();

  before(async () => {
    if (!CORPUS || !ZIPS.every((z) => existsSync(join(CORPUS, z)))) return;
    dir = mkdtempSync(join(tmpdir(), 'exhunt-parity-'));
    mkdirSync(join(dir, 'f'));
    for (const [i, z] of ZIPS.entries()) files.push(...(await unzip(join(CORPUS, z), join(dir, 'f'), `z${i}`)));
    const sources = ruleFiles.map((file) => ({ file, namespace: 'exhunt', text: readFileSync(file, 'utf8') }));
    const built = buildEngine(sources, []);
    assert.deepEqual(built.diagnostics, []);
    for (const f of files) {
      const hits = built.engine.scan(readFileSync(join(dir, 'f', f)), {}, 1).map((m) => m.rule);
      portable.set(f, hits.sort());
    }
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function skipReason(): string | null {
    if (!CORPUS) return 'development corpus not found (../shared/corpus beside the clone, or EXHUNT_CORPUS)';
    const missing = ZIPS.filter((z) => !existsSync(join(CORPUS, z)));
    return missing.length ? `corpus archives missing in ${CORPUS}: ${missing.join(', ')}` : null;
  }

  function compare(other: Map<string, string[]>, name: string): void {
    const diffs: string[] = [];
    for (const f of files) {
      const a = (portable.get(f) ?? []).join(',');
      const b = (other.get(f) ?? []).sort().join(',');
      if (a !== b) diffs.push(`${f}: portable [${a}] ${name} [${b}]`);
    }
    assert.deepEqual(diffs, [], `${diffs.length} files differ`);
    const flagged = files.filter((f) => (portable.get(f) ?? []).length > 0).length;
    console.log(`# parity with ${name}: ${files.length} files, ${flagged} with matches, identical rule sets`);
  }

  void it('matches YARA-X file by file', (t) => {
    const why = skipReason();
    if (why) {
      console.log(`# skipped: ${why}`);
      return t.skip(why);
    }
    const x = loadYaraX();
    if ('error' in x) {
      console.log(`# skipped: YARA-X does not load here (${x.error})`);
      return t.skip('YARA-X does not load here');
    }
    const src = ruleFiles.map((f) => readFileSync(f, 'utf8').replace(/\n$/, '') + '\n').join('');
    const rules = x.mod.compile(src);
    const other = new Map<string, string[]>();
    for (const f of files) other.set(f, rules.scan(readFileSync(join(dir, 'f', f))).map((m) => m.ruleIdentifier));
    compare(other, 'YARA-X');
  });

  void it('matches the yara command line file by file (when installed)', (t) => {
    const why = skipReason();
    if (why) {
      console.log(`# skipped: ${why}`);
      return t.skip(why);
    }
    if (spawnSync('yara', ['--version']).status !== 0) {
      console.log('# skipped: yara command line not installed');
      return t.skip('yara command line not installed');
    }
    const out = execFileSync('yara', ['-w', '-r', '-p', '2', ...ruleFiles, join(dir, 'f')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const other = new Map<string, string[]>();
    for (const line of out.split('\n').filter(Boolean)) {
      const sp = line.indexOf(' ');
      const name = line.slice(line.lastIndexOf('/') + 1);
      other.set(name, [...(other.get(name) ?? []), line.slice(0, sp)]);
    }
    compare(other, 'yara');
  });
});
