/**
 * Realistic synthetic agent reports for the fleet server bench (issue #8 item 7).
 *
 * Posture: real builds from the bundled KB (content/kb/builds.yaml), evaluated by the posture
 * engine itself (`evaluatePosture`), so open CVEs, support status and the posture findings are
 * what a scan of that build reports. Hunt findings: the built-in log and event rules
 * (content/rules/{logs,events}/*.yml: id, title, category, cves, ATT&CK) on made-up evidence
 * locations. Deterministic per (agent index, round): every agent's report has different bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { evaluatePosture } from '../../src/engines/posture/evaluate.js';
import { loadKb } from '../../src/engines/posture/kb-load.js';
import { indexKb, type KbIndex } from '../../src/engines/posture/kb-index.js';
import { findingId } from '../../src/findings/id.js';
import { CATEGORIES, type Category, type Finding, type Posture, type Report, type Severity } from '../../src/findings/types.js';
import { rng } from '../logs/traffic.js';

const ROOT = join(import.meta.dirname, '..', '..');


function pick<T>(r: () => number, items: readonly T[]): T {
  const v = items[Math.floor(r() * items.length)];
  if (v === undefined) throw new Error('pick from an empty list');
  return v;
}

interface RuleInfo {
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  readonly cves: readonly string[];
  readonly attack: readonly string[];
  readonly kind: 'log' | 'event';
}

function loadRules(): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const [dir, kind] of [['logs', 'log'], ['events', 'event']] as const) {
    const base = join(ROOT, 'content', 'rules', dir);
    for (const f of readdirSync(base).filter((n) => n.endsWith('.yml')).sort()) {
      const r = parse(readFileSync(join(base, f), 'utf8')) as Record<string, unknown>;
      const category = (CATEGORIES as readonly string[]).includes(String(r.category)) ? (r.category as Category) : 'exploitation';
      out.push({ id: String(r.id), title: String(r.title), category, cves: (r.cves as string[] | undefined) ?? [], attack: (r.attack as string[] | undefined) ?? [], kind });
    }
  }
  return out;
}

/** Build mix: most servers current, a long tail of old and ProxyLogon-era builds (weights, not data). */
const BUILD_WEIGHTS: readonly (readonly [RegExp, number])[] = [
  [/^15\.2\.(2562|1748|1544)\./, 50], // Exchange SE RTM, 2019 CU15/CU14
  [/^15\.1\.(2507|2375)\./, 30], // 2016 CU23/CU22
  [/^15\.[012]\./, 20], // everything else, back to 2013 and the 2021 builds
];

const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,}$/;

interface PostureCase { readonly posture: Posture; readonly findings: readonly Finding[] }

export interface FleetGenerator {
  /** A report for agent `i` (hostname `host`), `round` varies times and a few findings. */
  report(i: number, host: string, opts?: { readonly round?: number; readonly findings?: number }): Report;
  readonly builds: number;
  readonly rules: number;
}

const SEVERITY_WEIGHTS: readonly (readonly [Severity, number])[] = [['info', 38], ['low', 30], ['medium', 19], ['high', 9], ['critical', 4]];

function weighted<T>(r: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of items) {
    if ((x -= w) < 0) return v;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new Error('empty weights');
  return last[0];
}

const LOG_PATHS = ['inetpub/logs/LogFiles/W3SVC1', 'inetpub/logs/LogFiles/W3SVC2', 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa', 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp', 'Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server'];
const EVTX = ['Windows/System32/winevt/Logs/Security.evtx', 'Windows/System32/winevt/Logs/System.evtx', 'Windows/System32/winevt/Logs/MSExchange Management.evtx', 'Windows/System32/winevt/Logs/Microsoft-Windows-PowerShell%4Operational.evtx'];
const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'python-requests/2.25.1', 'ExchangeServicesClient/15.02.1544.004', 'curl/7.68.0', 'Microsoft Office/16.0'];

function huntFinding(r: () => number, rule: RuleInfo, severity: Severity, day: number, k: number, round: number): Finding {
  const t = new Date(Date.UTC(2026, 10, 27) - day * 86_400_000 - Math.floor(r() * 86_400_000) + round * 3_600_000).toISOString();
  const log = rule.kind === 'log';
  const path = log ? `${pick(r, LOG_PATHS)}/u_ex2611${String(27 - (day % 27)).padStart(2, '0')}.log` : pick(r, EVTX);
  const line = Math.floor(r() * 200_000) + 1;
  const ip = `${[198, 203, 192][k % 3] ?? 198}.${[51, 0, 0][k % 3] ?? 51}.${[100, 113, 2][k % 3] ?? 100}.${Math.floor(r() * 254) + 1}`;
  const excerpt = log ? `${t.slice(0, 19).replace('T', ' ')} 10.0.0.${k % 200} POST /ecp/x${k}.js - 443 - ${ip} ${pick(r, AGENTS)} 200 0 0 ${Math.floor(r() * 900)}` : `EventID ${4624 + (k % 7)} record ${line}`;
  return {
    id: findingId(log ? { ruleId: rule.id, path, line } : { ruleId: rule.id, path, recordId: line }),
    ruleId: rule.id,
    title: rule.title,
    severity,
    confidence: severity === 'critical' || severity === 'high' ? 'high' : 'medium',
    category: rule.category,
    cves: [...rule.cves],
    attack: [...rule.attack],
    evidence: log ? { kind: 'log', path, line, excerpt } : { kind: 'event', path, recordId: line, excerpt },
    time: t,
    firstSeen: t,
    lastSeen: t,
    count: 1 + Math.floor(r() * 5),
    rule: { source: 'builtin', author: 'exhunt contributors', license: 'Apache-2.0', refs: [] },
    details: { clientIp: ip },
  };
}

function postureCases(kb: KbIndex): { readonly cases: PostureCase[]; readonly weights: number[] } {
  const cases: PostureCase[] = [];
  const weights: number[] = [];
  const builds = Object.values(kb.bundle.builds).flat().map((b) => b.build);
  for (const [re, w] of BUILD_WEIGHTS) {
    const group = builds.filter((b) => re.test(b) && !cases.some((c) => c.posture.build === b));
    for (const b of group) {
      const p = evaluatePosture(b, { asOf: '2026-11-27', source: 'ExSetup.exe', evidencePath: 'Program Files/Microsoft/Exchange Server/V15/Bin/ExSetup.exe', kb });
      // The KB lists advisory ADV190018 beside CVEs; report.v1.json only takes CVE ids there, so
      // a report of such a build is refused at upload (reported to the lead); leave those builds out.
      if (![...p.posture.openCves, ...p.findings.flatMap((f) => f.cves)].every((c) => CVE_ID.test(c))) continue;
      cases.push({ posture: p.posture, findings: p.findings });
      weights.push(w / group.length);
    }
  }
  return { cases, weights };
}

export function fleetGenerator(): FleetGenerator {
  const kb = indexKb(loadKb().bundle);
  const rules = loadRules();
  const { cases, weights } = postureCases(kb);
  const caseWeights = cases.map((c, i) => [c, weights[i] ?? 0] as const);
  return {
    builds: cases.length,
    rules: rules.length,
    report(i, host, opts = {}) {
      const round = opts.round ?? 0;
      const r = rng(i * 7919 + 17);
      const pc = weighted(r, caseWeights);
      const want = opts.findings ?? 50 + Math.floor(r() * 101);
      const findings: Finding[] = pc.findings.slice(0, want);
      const hr = rng(i * 7919 + round * 104_729 + 3);
      for (let k = 0; findings.length < want; k++) {
        findings.push(huntFinding(hr, pick(hr, rules), weighted(hr, SEVERITY_WEIGHTS), k % 30, k, round));
      }
      const from = new Date(Date.UTC(2026, 9, 28)).toISOString();
      const to = new Date(Date.UTC(2026, 10, 27) + round * 3_600_000).toISOString();
      return {
        schemaVersion: 1,
        tool: { name: 'exhunt', version: '0.1.0' },
        asOf: '2026-11-27',
        target: { kind: 'live', root: 'C:/', hostname: host },
        posture: pc.posture,
        coverage: [
          { source: 'iis', files: 30, from, to, gaps: [] },
          { source: 'evtx', files: 4, from, to, gaps: [] },
        ],
        findings,
        errors: [],
        stats: { files: 34 + (i % 50), bytes: 1_000_000 + i, records: 100_000 + i, skippedRecords: 0, seconds: 10 + (i % 60) },
      };
    },
  };
}

/** The host name of bench agent `i`. */
export function benchHost(i: number): string {
  return `mbx${String(i).padStart(5, '0')}.corp.example`;
}
