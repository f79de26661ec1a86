/**
 * Scan stage: files in the web-exposed folders and the artifact locations, each walked once,
 * through the file scanner (YARA, structure anomalies, artifacts), a few files at a time so
 * reads overlap with scanning.
 */
import type { EvidenceRoot } from '../../evidence/root.js';
import { walkOptions, walkPlaces, type Sources } from '../../evidence/sources.js';
import { walkFiles } from '../../evidence/walk.js';
import type { FileRecord } from '../../parsers/types.js';
import { createFileScanner, hashedFileFinding, type ScanContext as Place } from '../files/index.js';
import { compareToBaseline } from '../baseline/baseline.js';
import type { IocSet } from '../../iocs/match.js';
import { fileIocFindings } from './ioc-stage.js';
import type { ScanContext } from './context.js';

/** How many files are in flight at once (I/O on libuv's pool overlaps YARA on the main thread). */
const IN_FLIGHT = 8;

export interface PlacedFile {
  readonly file: FileRecord;
  readonly place: Place;
}

/** Every file below the web-exposed and artifact folders, each once, with where it sits. */
export async function* filesInSources(root: EvidenceRoot, sources: Sources, ctx: ScanContext): AsyncGenerator<PlacedFile> {
  const seen = new Set<string>();
  for (const p of walkPlaces(sources)) {
    const place = { webExposed: p.web, artifactDir: !p.web };
    for await (const file of walkFiles(root, p.abs, walkOptions(p, (e) => ctx.error(e.path, e.line, e.message)))) {
      if (seen.has(file.absPath)) continue;
      seen.add(file.absPath);
      yield { file, place };
    }
  }
}

/** Runs the file scanner over `files`, a few at a time; one file's failure never stops the rest. */
export async function huntFiles(
  files: AsyncIterable<PlacedFile>,
  yaraPaths: readonly string[],
  ctx: ScanContext,
  iocs: IocSet | null = null,
): Promise<void> {
  const scanner = await createFileScanner({
    rules: yaraPaths,
    maxScanBytes: ctx.options.maxScanBytes,
    onError: (e) => ctx.error(e.path, e.line, e.message),
  });
  // A rule file that cannot be used (an error in it, or a feature this platform's engines lack)
  // means its rules were not checked: an error entry and a "Not checked" line.
  for (const d of scanner.diagnostics) ctx.notChecked(`file contents against the YARA rules of ${d.file}`, d.file, d.message, 'EXH-E004');
  if (!scanner.yaraAvailable) {
    ctx.notChecked('file contents against the YARA rules (web shells, tools)', yaraPaths[0] ?? 'content/rules/yara', `YARA engine unavailable: ${scanner.yaraUnavailableReason ?? 'unknown reason'}`);
  }

  const inFlight = new Set<Promise<void>>();
  const baseline = ctx.options.baseline;
  const scanOne = async ({ file, place }: PlacedFile): Promise<void> => {
    try {
      const seen = await scanner.inspectFile(file, place);
      for (const f of seen.findings) ctx.emit(f);
      if (baseline && place.webExposed && seen.hashes) {
        const hit = compareToBaseline(baseline, file.path, seen.hashes.sha256);
        if (hit) ctx.emit(hashedFileFinding(file, seen.hashes, hit));
      }
      if (iocs) for (const f of fileIocFindings(iocs, file, seen.hashes)) ctx.emit(f);
    } catch (err) {
      ctx.error(file.path, null, err instanceof Error ? err.message : String(err));
    }
  };
  for await (const placed of files) {
    ctx.counters.files += 1;
    ctx.counters.bytes += placed.file.size;
    ctx.progress.update('files', placed.file.path);
    ctx.progress.tick();
    const p = scanOne(placed).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await scanner.close();
}
