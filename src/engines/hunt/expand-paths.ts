/**
 * `hunt … PATH…`: turns the paths a user named into files. A file is itself; a folder is walked
 * (hidden files included, links never followed out of it). Evidence paths are the path as given
 * plus the path below it, with `/` separators.
 */
import { stat } from 'node:fs/promises';
import { openEvidenceRoot } from '../../evidence/root.js';
import { walkFiles, fileRecord } from '../../evidence/walk.js';
import type { FileRecord } from '../../parsers/types.js';
import type { ScanContext } from '../scan/context.js';
import { trimEndChar } from '../../evidence/trim.js';

function slashes(p: string): string {
  return trimEndChar(p.replace(/\\/g, '/'), '/');
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Yields the files below each path; a path that cannot be read is an error, the rest go on. */
export async function* expandPaths(paths: readonly string[], ctx: ScanContext): AsyncGenerator<FileRecord> {
  for (const given of paths) {
    const shown = slashes(given) || '.';
    let st;
    try {
      st = await stat(given);
    } catch (err) {
      ctx.error(shown, null, `cannot read: ${errorText(err)}`);
      continue;
    }
    if (st.isFile()) {
      yield fileRecord(given, shown, st);
      continue;
    }
    let root;
    try {
      root = await openEvidenceRoot(given);
    } catch (err) {
      ctx.error(shown, null, errorText(err));
      continue;
    }
    const rebase = (p: string): string => `${shown}/${p}`;
    const walk = walkFiles(root, root.abs, { onError: (e) => ctx.error(rebase(e.path), e.line, e.message) });
    for await (const f of walk) {
      const path = rebase(f.path);
      yield { ...f, path, location: { ...f.location, path } };
    }
  }
}

/** Fails the whole hunt (exit 2) only when none of the paths exists. */
export async function anyExists(paths: readonly string[]): Promise<boolean> {
  for (const p of paths) {
    try {
      await stat(p);
      return true;
    } catch {
      // try the next one
    }
  }
  return false;
}
