/**
 * Indicators for one scan: the stored feeds plus --ioc files, loaded once; file hashes and
 * paths are checked here, log fields in the log engine.
 */
import type { Finding } from '../../findings/types.js';
import type { FileRecord } from '../../parsers/types.js';
import { iocFinding, loadIocSet, type IocSet } from '../../iocs/match.js';
import type { FileHashes } from '../files/index.js';
import type { ScanContext } from './context.js';

/** The indicator set in force (null when there is none); feed problems become report errors. */
export async function loadScanIocs(ctx: ScanContext): Promise<IocSet | null> {
  const loaded = await loadIocSet({ files: ctx.options.ioc, home: process.env.EXHUNT_HOME, asOf: ctx.options.asOf });
  for (const e of loaded.errors) ctx.error(e.path, e.line, e.message);
  if (loaded.unsupported.length > 0) {
    ctx.notChecked(`${loaded.unsupported.length} indicator(s) from --ioc files`, '--ioc', `${loaded.unsupported.length} indicator(s) use patterns exhunt cannot evaluate; they were not applied`, 'EXH-E005');
  }
  if (loaded.expired > 0) ctx.notes.push(`${loaded.expired} expired indicator(s) were not applied`);
  return loaded.set.size > 0 ? loaded.set : null;
}

/** Findings for a file whose hashes or path match an indicator. */
export function fileIocFindings(set: IocSet, file: FileRecord, hashes: FileHashes | null): Finding[] {
  const hits = [...(hashes ? set.matchHashes(hashes) : []), ...set.matchPath(file.path)];
  const evidence = {
    kind: 'file' as const,
    path: file.path,
    sha256: hashes?.sha256 ?? null,
    md5: hashes?.md5 ?? null,
    sha1: hashes?.sha1 ?? null,
    size: file.size,
    mtime: file.mtime,
  };
  return hits.map((ind) => iocFinding(ind, evidence, { time: file.mtime, matched: ind.type === 'path' || ind.type === 'filename' ? file.path : undefined }));
}
