/**
 * The file scanner: for each FileRecord, hashes (one streaming pass), YARA (rules compiled once
 * per scan), structure anomalies and artifact checks, as findings. Files over the size limit
 * are hashed and scanned at their head and tail (content.ts `PART_BYTES`); a script file in a
 * web folder with server-side code there is at least medium. Reading, hashing and YARA run in a pool of
 * worker threads (one per core, up to 2 by default) when it can start; otherwise in this thread.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Finding } from '../../findings/types.js';
import type { FileRecord, ParseIssue } from '../../parsers/types.js';
import { compileYara, type CompileResult, type YaraDiagnostic, type YaraExternals, type YaraMatch } from '../../rules/yara.js';
import { SCRIPT_MARK, artifacts, scriptBehaviours, structureAnomalies, type ScanContext } from './builtin.js';
import { loadOwaAuthStock, unexpectedPlacement } from './placement.js';
import { SCRIPT_EXTENSIONS, extensionOf, yaraFiletype } from './classify.js';
import { partBytes, readFileContent, type FileContent, type FileHashes } from './content.js';
import { builtinFinding, oversizeFinding, shiftMatches, yaraFinding, type CodeSeen } from './findings.js';
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

/** Where server-side code is in the head and tail of a file over the limit. */
function codeSeen(c: FileContent): CodeSeen {
  const head = SCRIPT_MARK.test(c.buf.toString('latin1'));
  const tail = c.tail !== undefined && SCRIPT_MARK.test(c.tail.toString('latin1'));
  return head && tail ? 'head and tail' : head ? 'head' : tail ? 'tail' : null;
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
    // A path that is not valid UTF-8 is read here, through the record's byte path.
    if (!pool || file.size > limit || file.fsPath) return null;
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

  /** YARA on the head of a file over the limit, else on its tail (offsets made file offsets). */
  function partsFindings(file: FileRecord, content: FileContent): Finding[] {
    if (!scanner) return [];
    const head = yaraFinding(file, content, scanner.scan(content.buf, externalsFor(file, content.buf)));
    if (head) return [head];
    const tail = content.tail;
    if (!tail || tail.length === 0) return [];
    const found = yaraFinding(file, { ...content, buf: tail }, scanner.scan(tail, externalsFor(file, content.buf)));
    return found ? [shiftMatches(found, content.tailOffset ?? 0)] : [];
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
      for (const h of scriptBehaviours(content)) findings.push(builtinFinding(file, content, h));
    } else {
      findings.push(...partsFindings(file, content));
      for (const h of structureAnomalies(file.path, content, ctx)) findings.push(builtinFinding(file, content, h));
      const script = ctx.webExposed && SCRIPT_EXTENSIONS.has(extensionOf(file.path));
      findings.push(oversizeFinding(file, content, limit, script ? codeSeen(content) : null, partBytes(limit)));
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
