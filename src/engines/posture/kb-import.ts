/**
 * `kb import`: validates a KB bundle file and installs it atomically as the imported KB
 * ($EXHUNT_HOME/kb/kb-bundle.json, folders created owner-only). On any failure the KB already
 * installed is left untouched.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, openSync, fsyncSync, closeSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkKb } from './kb-check.js';
import { exhuntHome, importedKbPath, isNewer, loadKb, schemaErrors } from './kb-load.js';
import type { KbBundle } from './types.js';

/** A bundle that fails a check (exit 1 of `kb import`). */
export class KbRejectedError extends Error {
  override readonly name = 'KbRejectedError';
}

const MAX_BYTES = 64 * 1024 * 1024;

function readCandidate(file: string): KbBundle {
  const size = statSync(file).size;
  if (size > MAX_BYTES) throw new KbRejectedError(`${file}: ${size} bytes is too large for a knowledge base bundle`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new KbRejectedError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const errs = schemaErrors(data);
  if (errs.length > 0) throw new KbRejectedError(`${file}: does not match the knowledge base schema: ${errs.join('; ')}`);
  const bundle = data as KbBundle;
  const problems = checkKb(bundle);
  if (problems.length > 0) throw new KbRejectedError(`${file}: inconsistent knowledge base: ${problems.slice(0, 10).join('; ')}`);
  return bundle;
}

export interface ImportResult {
  readonly path: string;
  readonly bundle: KbBundle;
  readonly replaced: string;
}

export function importKb(file: string, env: NodeJS.ProcessEnv = process.env): ImportResult {
  const candidate = readCandidate(file);
  const current = loadKb({ env });
  if (!isNewer(candidate, current.bundle)) {
    throw new KbRejectedError(
      `${file}: knowledge base ${candidate.meta.kbVersion} (${candidate.meta.kbDate}) is not newer than the one in use, ` +
        `${current.bundle.meta.kbVersion} (${current.bundle.meta.kbDate}, ${current.origin}); nothing installed`,
    );
  }
  const target = importedKbPath(env);
  mkdirSync(exhuntHome(env), { recursive: true, mode: 0o700 });
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  chmodSync(dirname(target), 0o700);
  const tmp = join(dirname(target), `.kb-bundle.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, `${JSON.stringify(candidate)}\n`, { mode: 0o600, flag: 'wx' });
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return { path: target, bundle: candidate, replaced: `${current.bundle.meta.kbVersion} (${current.origin})` };
}

