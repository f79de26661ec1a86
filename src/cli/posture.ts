/** `exhunt posture [ROOT] --build B [--directive ID]`: exposure of one build, as a report plus a human view. */
import type { Command } from 'commander';
import { SCHEMA_VERSION, type Report } from '../findings/types.js';
import { TOOL_VERSION } from '../version.js';
import { openEvidenceRoot } from '../evidence/root.js';
import { discoverSources } from '../evidence/discover.js';
import { detectBuild, type DetectedBuild } from '../engines/posture/detect-build.js';
import { evaluatePosture } from '../engines/posture/evaluate.js';
import { indexKb } from '../engines/posture/kb-index.js';
import { loadKb } from '../engines/posture/kb-load.js';
import { evaluateDirective } from '../engines/posture/directive.js';
import { directiveFinding, directiveOf } from './directive-option.js';
import { formatBuild, parseBuild } from '../engines/posture/build.js';
import { addReportOptions, readReportOptions } from './common.js';
import { action } from './run.js';
import { emitReport, exitCodeFor, openOutput } from './emit-report.js';
import { withVerdict } from '../verdict/compute.js';
import { exitSummaryLines } from '../report/text.js';
import { UsageError } from './errors.js';
import { postureView } from './posture-view.js';

interface Located {
  readonly detected: DetectedBuild;
  readonly evidencePath?: string;
  readonly root: string;
  readonly kind: 'tree' | 'paths';
}

async function locate(root: string | undefined, build: string | undefined): Promise<Located> {
  if (root === undefined) {
    if (build === undefined) throw new UsageError('posture: give --build B, or an evidence ROOT');
    const norm = parseBuild(build);
    return { detected: { build, source: 'option', partial: norm?.revision === null }, root: `build:${norm !== null ? formatBuild(norm) : build}`, kind: 'paths' };
  }
  const ev = await openEvidenceRoot(root);
  const sources = await discoverSources(ev, { onError: () => {} });
  const detected = await detectBuild({
    exchangeAbs: sources.exchange?.abs ?? null,
    exsetupAbs: sources.exsetup?.abs ?? null,
    regFiles: sources.regFiles.map((r) => r.abs),
    softwareHives: sources.hives.filter((h) => h.kind === 'SOFTWARE').map((h) => h.abs),
    buildOption: build,
  });
  if (detected === null) throw new UsageError(`posture: no Exchange build found under ${root}; give --build B`);
  const evidencePath = detected.evidenceAbs !== undefined ? ev.toEvidencePath(detected.evidenceAbs) : undefined;
  return { detected, evidencePath, root, kind: 'tree' };
}

async function runPosture(root: string | undefined, raw: Record<string, unknown>): Promise<number> {
  const opts = readReportOptions(raw);
  const started = Date.now();
  const kb = indexKb(loadKb({ warn: (m) => process.stderr.write(`exhunt: ${m}\n`) }).bundle);
  const directiveId = raw.directive as string | undefined;
  const directive = directiveId !== undefined ? directiveOf(kb, directiveId, 'posture') : null;
  const loc = await locate(root, raw.build as string | undefined);
  const result = evaluatePosture(loc.detected.build, { asOf: opts.asOf, source: loc.detected.source, evidencePath: loc.evidencePath, kb });
  const d = directive !== null ? evaluateDirective(kb, directive, loc.detected.build, opts.asOf) : null;
  const dFinding = d !== null ? directiveFinding(d, loc.evidencePath ?? `build:${result.posture.build ?? loc.detected.build}`) : null;
  const findings = dFinding !== null ? [...result.findings, dFinding] : result.findings;
  const posture = { ...result.posture, directive: d, detectionNotes: loc.detected.notes ?? [] };
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'exhunt', version: TOOL_VERSION },
    asOf: opts.asOf,
    target: { kind: loc.kind, root: loc.root, hostname: null },
    posture,
    coverage: [],
    findings,
    errors: [],
    stats: { files: loc.kind === 'tree' ? 1 : 0, bytes: 0, records: 0, skippedRecords: 0, seconds: (Date.now() - started) / 1000 },
    examined: ['posture'],
  };
  if (opts.format !== 'text') return emitReport(report, opts);
  // Text: the posture view alone (it opens with the verdict), not the report summary after it.
  const judged = withVerdict(report);
  const { out, tty, close } = await openOutput(opts);
  const width = tty ? process.stdout.columns : 100;
  const view = postureView(kb, posture, d, judged.verdict ?? null, { all: raw.all === true, width });
  out.write(`${view}\n${exitSummaryLines(judged, opts.failOn, width).join('\n')}\n`);
  await close('');
  return exitCodeFor(judged, opts.failOn);
}

export function registerPosture(program: Command): string[] {
  const cmd = program
    .command('posture [root]')
    .description('exposure of one Exchange build: open CVEs, support status, what to install')
    .option('--build <build>', 'the build to judge (15.2.792.10 or 15.02.0792.010); with ROOT: used when the evidence shows none')
    .option('--directive <id>', 'also judge compliance with an emergency directive (e.g. ED-21-02-SDv2)')
    .option('--all', 'text: list every open CVE and every CVE published for an out-of-support product (default: one screen)', false);
  addReportOptions(cmd).action(action(async (root: string | undefined, raw: Record<string, unknown>) => runPosture(root, raw)));
  return ['posture'];
}
