/**
 * The exposure half of the verdict, from the report's `posture` (the build, its support status
 * and its open CVEs as the knowledge base judged them):
 *
 * - `unknown`: no build found, a build the knowledge base does not know (newer, not listed,
 *   malformed, another product), only the CU known while the SU decides, or CVEs fixed on the
 *   build only when configured (configuration not checked). Never `not-exposed`.
 * - `exposed`: open CVEs, or a product or CU that no longer receives security fixes ("no fixes
 *   since DATE; assume every later flaw is open").
 * - `not-exposed`: a known, supported build with no open CVE.
 */
import {
  SEVERITIES,
  type ExposureVerdict,
  type Finding,
  type OpenCveEntry,
  type Posture,
  type Severity,
  type VerdictReason,
} from '../findings/types.js';

export interface ExposurePart {
  readonly exposure: ExposureVerdict;
  readonly openCves: readonly OpenCveEntry[];
  readonly noFixesSince: string | null;
  readonly reasons: readonly VerdictReason[];
}

const UNJUDGED = new Set(['newer', 'malformed', 'unknown-product']);

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** The per-CVE entries of a posture (`cveDetails`, see engines/posture), else bare ids. */
export function cveEntries(p: Posture): OpenCveEntry[] {
  const details = Array.isArray(p.cveDetails) ? (p.cveDetails as unknown[]) : [];
  const byId = new Map<string, OpenCveEntry>();
  for (const d of details) {
    if (d === null || typeof d !== 'object') continue;
    const o = d as Record<string, unknown>;
    const id = str(o.id);
    if (id === null) continue;
    byId.set(id, {
      ...o,
      id,
      severity: isSeverity(o.severity) ? o.severity : 'high',
      exploited: typeof o.exploited === 'boolean' ? o.exploited : null,
      kev: typeof o.kev === 'boolean' ? o.kev : null,
      cvss: typeof o.cvss === 'number' ? o.cvss : null,
      title: str(o.title),
    });
  }
  const bare = (id: string, ifConfigured: boolean): OpenCveEntry =>
    byId.get(id) ?? { id, severity: 'high', exploited: null, kev: null, cvss: null, title: null, ...(ifConfigured ? { ifConfigured } : {}) };
  return [...p.openCves.map((id) => bare(id, false)), ...p.openCvesIfConfigured.map((id) => bare(id, true))];
}

function exploitedOf(cves: readonly OpenCveEntry[]): number {
  return cves.filter((c) => c.exploited === true || c.kev === true).length;
}

function openText(open: readonly OpenCveEntry[]): string {
  const n = open.length === 1 ? '1 open CVE' : `${open.length} open CVEs`;
  return `${n} (${exploitedOf(open)} exploited in the wild)`;
}

function caseOpen(v: unknown): number | null {
  if (v === null || typeof v !== 'object') return null;
  const open = (v as { openCves?: unknown }).openCves;
  return Array.isArray(open) ? open.length : null;
}

function part(exposure: ExposureVerdict, text: string, ids: readonly string[], openCves: readonly OpenCveEntry[] = [], noFixesSince: string | null = null): ExposurePart {
  return { exposure, openCves, noFixesSince, reasons: [{ about: 'exposure', text, findings: ids }] };
}

/** Exposure of one server from its posture; `findings` supplies the exposure item's id. */
export function exposurePart(p: Posture | null, findings: readonly Finding[]): ExposurePart {
  const ids = findings.filter((f) => f.category === 'posture' && f.details.kind === 'exposure').map((f) => f.id);
  if (p === null) return part('unknown', 'Unknown: no Exchange build was found or given, so the open CVEs cannot be told', ids);
  const status = str(p.status);
  const note = str(p.note);
  if (p.build === null || (status !== null && UNJUDGED.has(status))) {
    return part('unknown', `Unknown: ${note ?? `build ${p.build ?? 'not found'} is not known to the knowledge base`}`, ids);
  }
  const all = cveEntries(p);
  const open = all.filter((c) => c.ifConfigured !== true);
  const noFixesSince = str(p.noFixesSince);
  if (p.supported === false) {
    const since = noFixesSince === null ? '' : `; no security fixes since ${noFixesSince}`;
    const reason = str(p.supportReason) ?? 'the version is out of support';
    const known = open.length > 0 ? `; ${openText(open)} known` : '';
    return part('exposed', `Exposed: ${reason}${since}: assume every later flaw is open${known}`, ids, open, noFixesSince);
  }
  if (status === 'partial' && caseOpen(p.bestCase) === 0 && open.length > 0) {
    return part('unknown', `Unknown: only the CU is known; up to ${openText(open)} depending on the SU installed`, ids, open);
  }
  if (open.length > 0) return part('exposed', `Exposed: ${openText(open)} on build ${p.build}`, ids, open);
  if (status === 'between') return part('unknown', `Unknown: ${note ?? `build ${p.build} is not listed in the knowledge base`}`, ids);
  const needsConfig = all.filter((c) => c.ifConfigured === true && c.fixedByDefault !== true);
  if (needsConfig.length > 0) {
    const list = needsConfig.map((c) => c.id).join(', ');
    return part('unknown', `Unknown: fixed on build ${p.build} only when configured (not checked): ${list}`, ids, needsConfig);
  }
  return part('not-exposed', `Not exposed: build ${p.build} has no open CVE in the knowledge base${str(p.kbDate) ? ` of ${str(p.kbDate)}` : ''}`, ids);
}
