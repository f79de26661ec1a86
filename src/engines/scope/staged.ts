/**
 * Archives staged for theft: archive and PST files in the web-exposed folders and the staging
 * places discovery knows (ProgramData, Windows/Temp, Users/Public, PerfLogs, …), by name
 * (`.zip .7z .rar .pst .tar .gz …`) or by magic number under another name (a renamed `.zip`).
 * Formats that are zip containers by design (`.xap`, `.docx`, `.jar`, …) are not archives here.
 */
import type { EvidenceRoot } from '../../evidence/root.js';
import { walkOptions, walkPlaces, type Sources } from '../../evidence/sources.js';
import { walkFiles } from '../../evidence/walk.js';
import { extensionOf, magicOf } from '../files/classify.js';
import type { FileRecord, ParseIssue } from '../../parsers/types.js';
import type { ScopeStaged } from './types.js';

const ARCHIVE_EXT: Readonly<Record<string, string>> = {
  '.zip': 'zip', '.7z': '7z', '.rar': 'rar', '.pst': 'pst', '.ost': 'ost', '.tar': 'tar', '.gz': 'gzip', '.tgz': 'gzip',
  '.bz2': 'bzip2', '.xz': 'xz', '.zst': 'zstd', '.cab': 'cab', '.arj': 'arj', '.lzh': 'lzh', '.z': 'compress',
};

/** Zip containers that are documents or packages, not collections of stolen data. */
const ZIP_FORMATS = new Set(['.xap', '.docx', '.xlsx', '.pptx', '.jar', '.nupkg', '.vsix', '.appx', '.msix', '.odt', '.epub', '.xpi', '.whl', '.apk']);

const GZIP = [0x1f, 0x8b];
const HEAD_BYTES = 8;

/** The archive kind of a file from its name and first bytes, or null. */
export function archiveKind(path: string, head: Buffer): string | null {
  const ext = extensionOf(path);
  const byName = ARCHIVE_EXT[ext];
  if (byName) return byName;
  if (ZIP_FORMATS.has(ext)) return null;
  const magic = magicOf(head);
  if (magic === 'pst' || magic === 'zip' || magic === '7z' || magic === 'rar') return `${magic} (named ${ext || 'without extension'})`;
  if (head[0] === GZIP[0] && head[1] === GZIP[1]) return `gzip (named ${ext || 'without extension'})`;
  return null;
}

async function kindOf(f: FileRecord, onError: (e: ParseIssue) => void): Promise<string | null> {
  if (ARCHIVE_EXT[extensionOf(f.path)]) return archiveKind(f.path, Buffer.alloc(0));
  if (f.size < 4) return null;
  try {
    return archiveKind(f.path, await f.read(HEAD_BYTES));
  } catch (err) {
    onError({ path: f.path, line: null, message: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/** Archives in the web-exposed and staging folders, each file once, by path. */
export async function findStaged(root: EvidenceRoot, sources: Sources, onError: (e: ParseIssue) => void): Promise<ScopeStaged[]> {
  const seen = new Set<string>();
  const out: ScopeStaged[] = [];
  for (const w of walkPlaces(sources)) {
    const p = { place: w.web ? ('web' as const) : ('staging' as const) };
    for await (const f of walkFiles(root, w.abs, walkOptions(w, onError))) {
      if (seen.has(f.absPath)) continue;
      seen.add(f.absPath);
      const kind = await kindOf(f, onError);
      if (kind === null) continue;
      out.push({ path: f.path, size: f.size, kind, mtime: f.mtime, birthtime: f.birthtime, place: p.place });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
