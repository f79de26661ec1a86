/** Turns a finished ScanContext into the Report of the contract (schema version 1). */
import { SCHEMA_VERSION, type Coverage, type DiscoveryItem, type ExaminedPart, type Posture, type Report, type Target } from '../../findings/types.js';
import { TOOL_VERSION } from '../../version.js';
import type { ScanContext } from './context.js';

export interface AssembleParts {
  readonly target: Target;
  readonly posture: Posture | null;
  readonly coverage: readonly Coverage[];
  readonly discovery?: readonly DiscoveryItem[];
  /** The engines that ran (the report's `examined`). */
  readonly examined: readonly ExaminedPart[];
  /** performance.now() at the start of the run. */
  readonly started: number;
  readonly now: number;
}

export function assembleReport(ctx: ScanContext, parts: AssembleParts): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'exhunt', version: TOOL_VERSION },
    asOf: ctx.options.asOf,
    target: parts.target,
    posture: parts.posture,
    coverage: parts.coverage,
    findings: ctx.sortedFindings(),
    errors: ctx.errors,
    stats: { ...ctx.counters, seconds: Math.round(parts.now - parts.started) / 1000 },
    ...(parts.discovery ? { discovery: parts.discovery } : {}),
    examined: parts.examined,
    ...(ctx.notes.length > 0 ? { notes: ctx.notes } : {}),
  };
}
