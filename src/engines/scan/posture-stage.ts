/**
 * Scan stage: which build the evidence shows (ExSetup.exe, versioned folders, a registry
 * export, or --build) and what that build leaves open.
 */
import type { EvidenceRoot } from '../../evidence/root.js';
import type { Sources } from '../../evidence/sources.js';
import type { Posture } from '../../findings/types.js';
import { detectBuild } from '../posture/detect-build.js';
import { evaluatePosture } from '../posture/evaluate.js';
// The orchestrator is the one place an engine stage reaches right, for read-only checks.
import { checkMitigations } from '../../remediate/mitigations.js';
import type { ScanContext } from './context.js';

export async function assessPosture(root: EvidenceRoot, sources: Sources, ctx: ScanContext): Promise<Posture | null> {
  ctx.progress.update('posture');
  const found = await detectBuild({
    exchangeAbs: sources.exchange?.abs ?? null,
    exsetupAbs: sources.exsetup?.abs ?? null,
    regFiles: sources.regFiles.map((r) => r.abs),
    softwareHives: sources.hives.filter((h) => h.kind === 'SOFTWARE').map((h) => h.abs),
    buildOption: ctx.options.build,
  });
  if (found === null) {
    for (const f of await checkMitigations(root, sources, null)) ctx.emit(f);
    return null;
  }
  // A live registry export sits in the temporary folder: its evidence path names the key.
  const reg = sources.regFiles.find((r) => r.abs === found.evidenceAbs);
  const evidencePath = found.evidenceAbs !== undefined ? (reg?.evidencePath ?? root.toEvidencePath(found.evidenceAbs)) : undefined;
  const result = evaluatePosture(found.build, { asOf: ctx.options.asOf, source: found.source, evidencePath });
  for (const f of result.findings) ctx.emit(f);
  for (const f of await checkMitigations(root, sources, result.posture)) ctx.emit(f);
  return result.posture;
}
