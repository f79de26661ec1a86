/**
 * A fingerprint run: targets probed with a concurrency limit, each build judged against the
 * posture knowledge base, and one report (schema v1) with a `targets` array.
 */
import { SCHEMA_VERSION, type Finding, type Report, type ReportError } from '../findings/types.js';
import { evaluatePosture } from '../engines/posture/evaluate.js';
import { indexKb, type KbIndex } from '../engines/posture/kb-index.js';
import { loadKb } from '../engines/posture/kb-load.js';
import { TOOL_VERSION } from '../version.js';
import { atUrl, certFinding } from './findings.js';
import { probeTarget } from './probe.js';
import { parseTarget } from './targets.js';
import { UNREACHABLE_KINDS, type FetchOptions, type ProbeResult, type TargetReport } from './types.js';

export interface RunOptions extends FetchOptions {
  readonly concurrency: number;
  /** YYYY-MM-DD support status is judged at. */
  readonly asOf: string;
  /** KB to judge builds with, or a loader called once, on the first build found (default: the KB in force). */
  readonly kb?: KbIndex | (() => KbIndex);
  /** Clock for certificate days left (tests). */
  readonly now?: Date;
  readonly onTarget?: (t: TargetReport) => void;
}

const EMPTY: ProbeResult = { reachable: false, error: null, build: null, buildMethod: null, partial: false, tls: null, seen: {} };

interface Probed {
  readonly target: string;
  readonly url: string;
  readonly probe: ProbeResult;
}

async function probeOne(input: string, opts: RunOptions): Promise<Probed> {
  const spec = parseTarget(input);
  if (typeof spec === 'string') return { target: input, url: input, probe: { ...EMPTY, error: { kind: 'network', message: spec } } };
  return { target: spec.input, url: `${spec.origin}/owa/`, probe: await probeTarget(spec, opts, opts.now) };
}

function judge(p: Probed, opts: RunOptions, kb: () => KbIndex): TargetReport {
  const findings: Finding[] = [];
  let posture = null;
  if (p.probe.build !== null) {
    const r = evaluatePosture(p.probe.build, { asOf: opts.asOf, source: 'remote', kb: kb() });
    posture = { ...r.posture, buildMethod: p.probe.buildMethod };
    findings.push(...r.findings.map((f) => atUrl(f, p.url)));
  }
  const cert = certFinding(p.probe.tls, p.url);
  if (cert !== null) findings.push(cert);
  return { ...p.probe, target: p.target, url: p.url, posture, findings };
}

/**
 * Probes every target, at most `concurrency` at a time, then judges the builds. The KB is loaded
 * only after all probing (loading it blocks the event loop, which would time out requests in
 * flight) and only when some build was found. Results keep the input order.
 */
export async function fingerprintTargets(inputs: readonly string[], opts: RunOptions): Promise<TargetReport[]> {
  const probed = new Array<Probed>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < inputs.length; i = next++) probed[i] = await probeOne(inputs[i] ?? '', opts);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, inputs.length)) }, worker));
  let loaded: KbIndex | null = null;
  const given = opts.kb;
  const kb = (): KbIndex => (loaded ??= typeof given === 'function' ? given() : (given ?? indexKb(loadKb().bundle)));
  return probed.map((p) => {
    const r = judge(p, opts, kb);
    opts.onTarget?.(r);
    return r;
  });
}

export function allUnreachable(targets: readonly TargetReport[]): boolean {
  return targets.length > 0 && targets.every((t) => !t.reachable && (t.error === null || UNREACHABLE_KINDS.includes(t.error.kind)));
}

/** The report: `posture` is the single target's when there is one; findings of every target. */
export function fingerprintReport(targets: readonly TargetReport[], asOf: string, seconds: number): Report {
  const errors: ReportError[] = targets
    .filter((t) => t.error !== null)
    .map((t) => ({ path: t.url, line: null, message: `${t.error?.kind ?? ''}: ${t.error?.message ?? ''}` }));
  const only = targets.length === 1 ? targets[0] : undefined;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'exhunt', version: TOOL_VERSION },
    asOf,
    target: { kind: 'remote', root: targets.map((t) => t.target).join(' '), hostname: null },
    posture: only?.posture ?? null,
    targets: targets.map(({ findings, ...t }) => ({ ...t, findingIds: findings.map((f) => f.id) })),
    coverage: [],
    findings: targets.flatMap((t) => t.findings),
    errors,
    stats: { files: 0, bytes: 0, records: 0, skippedRecords: 0, seconds, targets: targets.length, reachable: targets.filter((t) => t.reachable).length },
    examined: ['posture'],
  };
}
