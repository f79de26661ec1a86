/**
 * Remediation: the evidence-preserving quarantine vault (plan, apply, restore, verify) and,
 * read-only, checks of the published IIS URL Rewrite mitigations.
 */
export { applyPlan } from './apply.js';
export type { ApplyContext } from './apply.js';
export { crashHookFromEnv } from './crash-hook.js';
export type { CrashHook } from './crash-hook.js';
export { canonicalJson, entryHash, readManifest, MANIFEST_NAME } from './manifest.js';
export { buildPlan, evidenceSegments, vaultLocationProblem } from './plan.js';
export type { ActiveLookup, PlanOptions } from './plan.js';
export { restoreFile, findEntry } from './restore.js';
export type { RestoreResult } from './restore.js';
export { selectFindings, DEFAULT_CATEGORIES } from './select.js';
export { Vault, VaultError, activeEntries } from './vault.js';
export type { Who } from './vault.js';
export { listVault, verifyVault } from './verify.js';
export type { VerifyProblem, VerifyResult } from './verify.js';
export { whoIsActing } from './who.js';
export type * from './types.js';
export { checkMitigations } from './mitigations.js';
export { MITIGATIONS } from './mitigation-data.js';
export type { Mitigation, PublishedRule } from './mitigation-data.js';
export { parseRewriteRules } from './rewrite-rules.js';
export type { RewriteRule, RewriteCondition } from './rewrite-rules.js';
export { nextSteps } from './next-steps.js';
export type { NextStep } from './next-steps.js';
