/**
 * Benchmark helper: unpacks the development corpus zips into a temporary folder (never into
 * the repository) as FileRecords labelled from MANIFEST.tsv. The files are attacker tools:
 * they are only read as bytes, never executed or rendered.
 */
import { mkdtemp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { fileRecord } from '../../src/evidence/walk.js';
import type { FileRecord } from '../../src/parsers/types.js';

export const CORPUS_DIR = process.env.EXHUNT_CORPUS ?? '/work/shared/corpus';

export interface CorpusFile {
  readonly archive: string;
  readonly label: 'malicious' | 'benign';
  /** `source_repo` of MANIFEST.tsv ('unknown' for a file it does not list). */
  readonly source: string;
  readonly file: FileRecord;
}

function entries(zipPath: string): Promise<{ name: string; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err) return reject(err);
      const out: { name: string; data: Buffer }[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(e, (err2, rs) => {
          if (err2) return reject(err2);
          const chunks: Buffer[] = [];
          rs.on('data', (c: Buffer) => chunks.push(c));
          rs.on('end', () => {
            out.push({ name: e.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function labels(): Promise<Map<string, { label: string; source: string }>> {
  const text = await readFile(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8');
  const map = new Map<string, { label: string; source: string }>();
  for (const line of text.split('\n').slice(1)) {
    const [label, archive, path, source] = line.split('\t');
    if (label && archive && path) map.set(`${archive}!${path}`, { label, source: source ?? 'unknown' });
  }
  return map;
}

/** Unpacks `archives` into a fresh temp folder; returns the files and the folder. */
export async function unpackCorpus(archives: readonly string[]): Promise<{ dir: string; files: CorpusFile[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-corpus-'));
  const lab = await labels();
  const files: CorpusFile[] = [];
  let n = 0;
  for (const archive of archives) {
    const sub = join(dir, String(files.length));
    await mkdir(sub, { recursive: true });
    for (const e of await entries(join(CORPUS_DIR, archive))) {
      const abs = join(sub, `${n++}.bin`);
      await writeFile(abs, e.data);
      const fallback = archive.startsWith('webshells') ? 'malicious' : 'benign';
      const row = lab.get(`${archive}!${e.name}`);
      const label = (row?.label ?? fallback) === 'malicious' ? 'malicious' : 'benign';
      files.push({ archive, label, source: row?.source ?? 'unknown', file: fileRecord(abs, `${archive}!${e.name}`, await stat(abs)) });
    }
  }
  return { dir, files };
}
