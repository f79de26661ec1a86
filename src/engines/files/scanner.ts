/**
 * The file scanner: for each FileRecord, hashes (one streaming pass), YARA (rules compiled once
 * per scan), structure anomalies and artifact checks, as findings. Files over the size limit
 * are hashed and only checked by name and magic. Reads overlap with scanning when callers run
 * several `scanFile` calls at once (file I/O runs on libuv's thread pool).
 */
import { basename } from 'node:path';
import type { Finding } from '../../findings/types.js';
import type { FileRecord, ParseIssue } from '../../parsers/types.js';
import { compileYara, type YaraDiagnostic, type YaraMatch, type YaraScanner } from '../../rules/yara.js';
import { artifacts, structureAnomalies, type ScanContext } from './builtin.js';
import { extensionOf, yaraFiletype } from './classify.js';
import { readFileContent, type FileHashes } from './content.js';
import { builtinFinding, oversizeFinding, yaraFinding } from './findings.js';

export type { ScanContext } from './builtin.js';

export const DEFAULT_MAX_SCAN_BYTES = 20 * 1024 * 1024;

export interface FileScannerOptions {
  /** User rule files or folders (`--rules`); bundled rules are always included. */
  readonly rules: readonly string[];
  readonly maxScanBytes?: number;
  onError(e: ParseIssue): void;
}

export interface FileInspection {
  readonly hashes: FileHashes | null;
  readonly contentScanned: boolean;
  readonly findings: Finding[];
}

export interface FileScanner {
  scanFile(file: FileRecord, ctx: ScanContext): Promise<Finding[]>;
  /** Like scanFile, also giving the hashes (for IOC lists and baselines). */
  inspectFile(file: FileRecord, ctx: ScanContext): Promise<FileInspection>;
  readonly diagnostics: readonly YaraDiagnostic[];
  readonly yaraAvailable: boolean;
  /** Why YARA is unavailable, when it is. */
  readonly yaraUnavailableReason: string | null;
  readonly ruleCount: number;
}

function runYara(scanner: YaraScanner | null, file: FileRecord, buf: Buffer): YaraMatch[] {
  if (!scanner) return [];
  return scanner.scan(buf, {
    filename: basename(file.path),
    filepath: file.path,
    extension: extensionOf(file.path),
    filetype: yaraFiletype(buf),
    owner: '',
  });
}

export async function createFileScanner(opts: FileScannerOptions): Promise<FileScanner> {
  const limit = opts.maxScanBytes ?? DEFAULT_MAX_SCAN_BYTES;
  const compiled = await compileYara(opts.rules);
  const scanner = compiled.available ? compiled.scanner : null;

  async function inspectFile(file: FileRecord, ctx: ScanContext): Promise<FileInspection> {
    let content;
    try {
      content = await readFileContent(file, limit);
    } catch (err) {
      opts.onError({ path: file.path, line: null, message: `cannot read: ${err instanceof Error ? err.message : String(err)}` });
      return { hashes: null, contentScanned: false, findings: [] };
    }
    const findings: Finding[] = [];
    if (content.complete) {
      const matches = runYara(scanner, file, content.buf);
      const y = yaraFinding(file, content, matches);
      if (y) findings.push(y);
      for (const h of structureAnomalies(file.path, content, ctx)) findings.push(builtinFinding(file, content, h));
    } else {
      findings.push(oversizeFinding(file, content, limit));
    }
    for (const h of artifacts(file.path, content, ctx)) findings.push(builtinFinding(file, content, h));
    return { hashes: content.hashes, contentScanned: content.complete, findings };
  }

  return {
    inspectFile,
    scanFile: async (file, ctx) => (await inspectFile(file, ctx)).findings,
    diagnostics: compiled.diagnostics,
    yaraAvailable: compiled.available,
    yaraUnavailableReason: compiled.available ? null : compiled.reason,
    ruleCount: compiled.ruleCount,
  };
}
