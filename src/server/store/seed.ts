/**
 * Synthetic fleets for tests and benchmarks: schema-valid reports of made-up servers, and
 * `seedFleet` which sends them through `ingestReport` (the real write path), a few at a time.
 * Builds and CVE ids are real (Exchange 2019 CU8 = 15.2.792.3, before the March 2021 SU; see
 * test/fixtures/report/sample-report.ts for the sources); host names, paths and rules are not.
 */
import { createHash } from 'node:crypto';
import { findingId } from '../../findings/id.js';
import { CATEGORIES, SEVERITIES, type Finding, type Report } from '../../findings/types.js';
import type { FleetStore, IngestResult } from './types.js';

export interface SyntheticOptions {
  /** Number of findings in the report. */
  readonly findings: number;
  /** The report's asOf date (YYYY-MM-DD). */
  readonly asOf?: string;
  /** Varies the findings' times so that successive reports of one server differ. */
  readonly round?: number;
}

const OPEN_CVES = [['CVE-2021-26855', 'CVE-2021-27065', 'CVE-2021-28480'], ['CVE-2021-28480'], []] as const;

/** The host name of synthetic server `i`. */
export function syntheticHost(i: number): string {
  return `exch${String(i).padStart(5, '0')}.fleet.example`;
}

function syntheticFinding(i: number, k: number, time: string): Finding {
  const ruleId = `synthetic.rule-${k % 40}`;
  const path = `inetpub/logs/LogFiles/W3SVC1/u_ex${String(k % 30).padStart(2, '0')}.log`;
  return {
    id: findingId({ ruleId, path, line: k + 1 }),
    ruleId,
    title: `Synthetic finding ${k % 40} on server ${i}`,
    severity: SEVERITIES[(i + k) % SEVERITIES.length] ?? 'info',
    confidence: 'medium',
    category: CATEGORIES[k % CATEGORIES.length] ?? 'artifact',
    cves: [],
    attack: ['T1190'],
    evidence: { kind: 'log', path, line: k + 1, excerpt: `GET /owa/ 443 - 203.0.113.${k % 250} synthetic` },
    time,
    firstSeen: time,
    lastSeen: time,
    count: 1,
    rule: { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs: [] },
    details: {},
  };
}

/** A schema-valid report of synthetic server `i`. */
export function syntheticReport(i: number, opts: SyntheticOptions): Report {
  const asOf = opts.asOf ?? '2026-11-27';
  const round = opts.round ?? 0;
  const time = new Date(Date.parse(`${asOf}T00:00:00Z`) - (round % 1000) * 60_000).toISOString();
  const openCves = OPEN_CVES[i % OPEN_CVES.length] ?? [];
  return {
    schemaVersion: 1,
    tool: { name: 'exhunt', version: '0.1.0' },
    asOf,
    target: { kind: 'live', root: 'C:/', hostname: syntheticHost(i) },
    posture: {
      build: openCves.length > 0 ? '15.2.792.3' : '15.2.1544.4',
      product: 'Exchange Server 2019',
      cu: openCves.length > 0 ? 'CU8' : 'CU14',
      su: null,
      buildSource: 'ExSetup.exe',
      supported: openCves.length === 0,
      openCves: [...openCves],
      openCvesIfConfigured: [],
      fixedBy: null,
    },
    coverage: [{ source: 'iis', files: 30, from: time, to: time, gaps: [] }],
    findings: Array.from({ length: opts.findings }, (_, k) => syntheticFinding(i, k, time)),
    errors: [],
    stats: { files: 30, bytes: 1000, records: 100, skippedRecords: 0, seconds: 1 },
  };
}

export interface SeedOptions {
  readonly servers: number;
  readonly findingsPerServer: number;
  /** Reports ingested at once (PostgreSQL gains from a few; SQLite serialises anyway). Default 4. */
  readonly concurrency?: number;
  /** Index of the first server (to grow a fleet in steps). Default 0. */
  readonly first?: number;
  readonly round?: number;
  readonly onProgress?: (done: number) => void;
}

export interface SeedResult {
  readonly reports: number;
  readonly findings: number;
  readonly seconds: number;
}

/** Ingests one synthetic report per server through the store's real write path. */
export async function seedFleet(store: FleetStore, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const first = opts.first ?? 0;
  let next = first;
  let findings = 0;
  const worker = async (): Promise<void> => {
    while (next < first + opts.servers) {
      const i = next++;
      const report = syntheticReport(i, { findings: opts.findingsPerServer, round: opts.round ?? 0 });
      const body = JSON.stringify(report);
      const r: IngestResult = await store.ingestReport({
        serverName: syntheticHost(i),
        report,
        sha256: createHash('sha256').update(body).digest('hex'),
        bytes: Buffer.byteLength(body),
        source: 'agent',
        actor: { kind: 'system', id: null, name: 'seed' },
      });
      findings += r.findings;
      if ((i - first + 1) % 500 === 0) opts.onProgress?.(i - first + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return { reports: opts.servers, findings, seconds: (performance.now() - started) / 1000 };
}
