/** Stable finding ids: a hash of the rule id and the evidence location relative to the drive. */
import * as crypto from 'node:crypto';

/**
 * Drops a leading drive folder (`C/`, `D/`) so that the same file keeps its id whether the
 * evidence was collected KAPE-style (`<root>/C/...`) or as a drive root (`<root>/...`).
 */
export function driveRelative(path: string): string {
  return path.replace(/^[A-Za-z]\//, '');
}

export interface IdParts {
  readonly ruleId: string;
  readonly path: string;
  readonly line?: number | null;
  readonly recordId?: number | null;
  /** Extra discriminator for aggregated findings (e.g. client IP + day). */
  readonly key?: string;
}

export function findingId(p: IdParts): string {
  const loc = [
    p.ruleId,
    driveRelative(p.path).toLowerCase(),
    p.line ?? '',
    p.recordId ?? '',
    p.key ?? '',
  ].join('\u0000');
  return sha256Hex(loc).slice(0, 24);
}

/**
 * SHA-256 of a string (as UTF-8), hex. The one-shot `crypto.hash` (Node >= 20.12) is ~5x
 * faster than a Hash object for short inputs, and a raw log hunt hashes one id per hit.
 */
function sha256Hex(s: string): string {
  const oneShot = (crypto as { hash?: typeof crypto.hash }).hash;
  return oneShot ? oneShot('sha256', s, 'hex') : crypto.createHash('sha256').update(s).digest('hex');
}
