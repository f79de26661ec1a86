/** `exhunt baseline create ROOT`: hashes every web-exposed file of a known-good server. */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { openEvidenceRoot } from '../../evidence/root.js';
import { discoverSources } from '../../evidence/discover.js';
import { outermostDirs } from '../../evidence/sources.js';
import { walkFiles } from '../../evidence/walk.js';
import type { ParseIssue } from '../../parsers/types.js';
import { detectBuild } from '../posture/detect-build.js';
import { BASELINE_FORMAT, baselineKey, type Baseline, type BaselineEntry } from './baseline.js';

export interface CreateResult {
  readonly baseline: Baseline;
  readonly errors: readonly ParseIssue[];
}

export async function createBaseline(input: string, onFile?: (path: string) => void): Promise<CreateResult> {
  const root = await openEvidenceRoot(input);
  const errors: ParseIssue[] = [];
  const onError = (e: ParseIssue): void => void errors.push(e);
  const sources = await discoverSources(root, { onError });
  const found = await detectBuild({
    exchangeAbs: sources.exchange?.abs ?? null,
    exsetupAbs: sources.exsetup?.abs ?? null,
    regFiles: sources.regFiles.map((r) => r.abs),
    softwareHives: sources.hives.filter((h) => h.kind === 'SOFTWARE').map((h) => h.abs),
  });
  const files: Record<string, BaselineEntry> = {};
  for (const dir of outermostDirs(sources.webDirs)) {
    for await (const file of walkFiles(root, dir.abs, { onError })) {
      onFile?.(file.path);
      const hash = createHash('sha256');
      try {
        await pipeline(file.open(), hash);
      } catch (err) {
        onError({ path: file.path, line: null, message: `cannot read: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      files[baselineKey(file.path)] = { sha256: hash.digest('hex'), size: file.size };
    }
  }
  return {
    baseline: { format: BASELINE_FORMAT, createdAt: new Date().toISOString(), build: found?.build ?? null, source: input, files },
    errors,
  };
}
