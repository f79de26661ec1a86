/**
 * The file scanner: for each FileRecord, hashes (one streaming pass), YARA (rules compiled once
 * per scan), structure anomalies and artifact checks, as findings. Files over the size limit
 * are hashed and only checked by name and magic. Reading, hashing and YARA run in a pool of
 * worker threads (one per core, up to 2 by default) when it can start; otherwise in this thread.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Finding } from '../../findings/types.js';
import type { FileRecord, ParseIssue } from '../../parsers/types.js';
import { compileYara, type CompileResult, type YaraDiagnostic, type YaraExternals, type YaraMatch } from '../../rules/yara.js';
import { artifacts, structureAnomalies, type ScanContext } from './builtin.js';
import { loadOwaAuthStock, unexpectedPlacement } from './placement.js';
import { extensionOf, yaraFiletype } from './classify.js';
import { readFileContent, type FileContent, type FileHashes } from './content.js';
import { builtinFinding, oversizeFinding, yaraFinding } from './findings.js';
import { createScanPool, type ScanPool } from './pool.js';

export type { ScanContext } from './builtin.js';

export const DEFAULT_MAX_SCAN_BYTES = 20 * 1024 * 1024;

export interface FileScannerOptions {
  /** User rule files or folders (`--rules`); bundled rules are always included. */
  readonly rules: readonly string[];
  readonly maxScanBytes?: number;
  /** Rules already compiled (by compileYara) to reuse instead of compiling `rules` again. */
  readonly compiled?: CompileResult;
  /** Worker threads for reading + YARA (default: cores, at most 2; 0 scans in this thread). */
  readonly workers?: number;
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
  /** Stops the worker threads (they also stop keeping the process alive when idle). */
  close(): Promise<void>;
  readonly diagnostics: readonly YaraDiagnostic[];
  readonly yaraAvailable: boolean;
  /** Why YARA is unavailable, when it is. */
  readonly yaraUnavailableReason: string | null;
  readonly ruleCount: number;
}

function externalsFor(file: FileRecord, head: Buffer): YaraExternals {
  return {
    filename: basename(file.path),
    filepath: file.path,
    extension: extensionOf(file.path),
    filetype: yaraFiletype(head),
    owner: '',
  };
}

interface Scanned {
  readonly content: FileContent;
  readonly matches: readonly YaraMatch[];
}

export async function createFileScanner(opts: FileScannerOptions): Promise<FileScanner> {
  const limit = opts.maxScanBytes ?? DEFAULT_MAX_SCAN_BYTES;
  const owaAuthStock = loadOwaAuthStock();
  const compiled = opts.compiled ?? (await compileYara(opts.rules));
  const scanner = compiled.available ? compiled.scanner : null;
  const size = opts.workers ?? Math.min(2, availableParallelism());
  const pool: ScanPool | null = compiled.available && size > 0 ? createScanPool(compiled.recipe, size, limit) : null;

  /** Reads and scans in a worker; null when the worker could not (the caller does it here). */
  async function viaPool(file: FileRecord): Promise<Scanned | null> {
    if (!pool || file.size > limit) return null;
    // The worker sets `filetype` from the bytes it reads.
    const r = await pool.run(file.absPath, externalsFor(file, Buffer.alloc(0)));
    if (!r.ok) return null;
    const buf = Buffer.from(r.buf.buffer, r.buf.byteOffset, r.buf.byteLength);
    return { content: { hashes: r.hashes, buf, complete: true, bytes: buf.length }, matches: r.matches };
  }

  async function inThread(file: FileRecord): Promise<Scanned> {
    const content = await readFileContent(file, limit);
    const matches = scanner && content.complete ? scanner.scan(content.buf, externalsFor(file, content.buf)) : [];
    return { content, matches };
  }

  async function inspectFile(file: FileRecord, ctx: ScanContext): Promise<FileInspection> {
    let scanned: Scanned;
    try {
      scanned = (await viaPool(file)) ?? (await inThread(file));
    } catch (err) {
      opts.onError({ path: file.path, line: null, message: `cannot read: ${err instanceof Error ? err.message : String(err)}` });
      return { hashes: null, contentScanned: false, findings: [] };
    }
    const { content, matches } = scanned;
    const findings: Finding[] = [];
    if (content.complete) {
      const y = yaraFinding(file, content, matches);
      if (y) findings.push(y);
      for (const h of structureAnomalies(file.path, content, ctx)) findings.push(builtinFinding(file, content, h));
    } else {
      findings.push(oversizeFinding(file, content, limit));
    }
    for (const h of artifacts(file.path, content, ctx)) findings.push(builtinFinding(file, content, h));
    // Only when nothing in the content spoke: placement alone is weaker evidence.
    if (ctx.webExposed && !findings.some((f) => f.category === 'webshell')) {
      for (const h of unexpectedPlacement(file.path, owaAuthStock)) findings.push(builtinFinding(file, content, h));
    }
    return { hashes: content.hashes, contentScanned: content.complete, findings };
  }

  return {
    inspectFile,
    scanFile: async (file, ctx) => (await inspectFile(file, ctx)).findings,
    close: async () => pool?.close(),
    diagnostics: compiled.diagnostics,
    yaraAvailable: compiled.available,
    yaraUnavailableReason: compiled.available ? null : compiled.reason,
    ruleCount: compiled.ruleCount,
  };
}
