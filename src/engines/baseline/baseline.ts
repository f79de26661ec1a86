/**
 * Known-good baselines: the path-aware hashes of the web-exposed files of a clean server of one
 * build (`exhunt baseline create ROOT`), and the comparison a scan makes against one
 * (`exhunt scan ROOT --baseline FILE`): every web-exposed file that is new or changed, by its
 * place, not just "hash known somewhere" (the flaw of hash lists without paths).
 */
import { readFile } from 'node:fs/promises';
import { driveRelative } from '../../findings/id.js';
import type { BuiltinHit } from '../files/builtin.js';
import { SCRIPT_EXTENSIONS, extensionOf } from '../files/classify.js';

export const BASELINE_FORMAT = 'exhunt-baseline/1';

export interface BaselineEntry {
  readonly sha256: string;
  readonly size: number;
}

export interface Baseline {
  readonly format: typeof BASELINE_FORMAT;
  readonly createdAt: string;
  /** Build of the server the baseline was taken from, when the evidence showed it. */
  readonly build: string | null;
  readonly source: string;
  /** Drive-relative, lower-case evidence path (`program files/.../owa/auth/logon.aspx`) → hashes. */
  readonly files: Readonly<Record<string, BaselineEntry>>;
}

/** The key of a file: its path relative to the drive, lower case (Windows paths ignore case). */
export function baselineKey(evidencePath: string): string {
  return driveRelative(evidencePath).toLowerCase();
}

export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

/** Reads and checks a baseline file; a malformed one is an error naming the file. */
export async function readBaseline(file: string): Promise<Baseline> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new BaselineError(`${file}: not a readable baseline (${err instanceof Error ? err.message : String(err)})`);
  }
  const b = doc as Partial<Baseline> | null;
  if (!b || b.format !== BASELINE_FORMAT || typeof b.files !== 'object' || b.files === null) {
    throw new BaselineError(`${file}: not an exhunt baseline (expected "format": "${BASELINE_FORMAT}")`);
  }
  for (const [k, v] of Object.entries(b.files)) {
    if (typeof v?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.sha256)) throw new BaselineError(`${file}: entry ${k}: bad sha256`);
  }
  return b as Baseline;
}

const REFS = ['https://www.cisa.gov/news-events/directives/ed-21-02-mitigate-microsoft-exchange-on-premises-product-vulnerabilities'];

function hit(ruleId: string, title: string, severity: BuiltinHit['severity'], reason: string): BuiltinHit {
  return { ruleId, title, severity, confidence: 'medium', category: 'webshell', attack: ['T1505.003'], reason, offset: 0, refs: REFS };
}

/** What a web-exposed file is relative to the baseline: nothing when it matches. */
export function compareToBaseline(baseline: Baseline, evidencePath: string, sha256: string): BuiltinHit | null {
  const known = Object.hasOwn(baseline.files, baselineKey(evidencePath)) ? baseline.files[baselineKey(evidencePath)] : undefined;
  const script = SCRIPT_EXTENSIONS.has(extensionOf(evidencePath));
  if (known === undefined) {
    return hit('exhunt:baseline-new-file', `Web-exposed ${script ? 'script ' : ''}file not in the baseline`, script ? 'medium' : 'low',
      `No file at this path on the known-good server (baseline of build ${baseline.build ?? 'unknown'})`);
  }
  if (known.sha256 !== sha256) {
    return hit('exhunt:baseline-changed-file', `Web-exposed ${script ? 'script ' : ''}file changed since the baseline`, script ? 'high' : 'medium',
      `Content differs from the known-good server's file at the same path (baseline sha256 ${known.sha256})`);
  }
  return null;
}
