/**
 * Ingestion bench: N simulated agents (default 10,000) against the real HTTP server
 * (serve-child.ts: buildApp on 127.0.0.1:0, its own process). An admin enrolment token is made
 * through the store; every agent enrols over HTTP (POST /api/v1/agents/enroll) and uploads one
 * report (POST /api/v1/reports, Bearer credential, Idempotency-Key), `--concurrency` at a time.
 * Reports: 200 generated reports (fleet-gen.ts: real KB builds and postures, 50–150 findings),
 * each agent's copy with its own host name, times and stats: different bytes per agent.
 * Into a fresh database by default; `--into STATE` adds the agents to a seeded fleet.
 *
 *   npx tsx bench/server/ingest.ts --db sqlite|postgres --state FILE [--agents 10000] [--concurrency 32]
 */
import { createHash } from 'node:crypto';
import type { Report } from '../../src/findings/types.js';
import { arg, createBenchDb, loadTarget, openBench, percentiles, saveTarget, type Backend } from './bench-db.js';
import { benchHost, fleetGenerator } from './fleet-gen.js';
import { startChild } from './listen.js';

const TEMPLATES = 200;

function agentBody(templates: readonly Report[], i: number): string {
  const t = templates[i % templates.length];
  if (t === undefined) throw new Error('no templates');
  const host = `agent-${benchHost(i)}`;
  const shift = (s: string | null): string | null => (s === null ? null : new Date(Date.parse(s) - (i % 3600) * 1000).toISOString());
  return JSON.stringify({
    ...t,
    target: { ...t.target, hostname: host },
    findings: t.findings.map((f) => ({ ...f, time: shift(f.time), firstSeen: shift(f.firstSeen), lastSeen: shift(f.lastSeen) })),
    stats: { ...t.stats, files: 30 + (i % 97), records: 100_000 + i, seconds: 5 + (i % 300) },
  });
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

async function pool(n: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await job(next++);
  }));
}

async function main(): Promise<void> {
  const agents = Number(arg('agents', '10000'));
  const conc = Number(arg('concurrency', '32'));
  const state = arg('state', '');
  const into = arg('into', '');
  const target = into !== '' ? loadTarget(into) : await createBenchDb(arg('db', 'sqlite') as Backend);
  if (into === '') saveTarget(state, target);
  const g = fleetGenerator();
  const templates = Array.from({ length: TEMPLATES }, (_, k) => g.report(100_000 + k, 'template', { round: k }));
  const store = await openBench(target);
  const token = (await store.createEnrolmentToken({ kind: 'system', id: null, name: 'bench-ingest' }, { ttlSeconds: 6 * 3600, uses: agents })).token;
  await store.close();
  const srv = await startChild(into !== '' ? into : state);
  try {
    const creds: string[] = [];
    const e0 = performance.now();
    await pool(agents, conc, async (i) => {
      const r = await post(`${srv.base}/api/v1/agents/enroll`, {}, JSON.stringify({ token, hostname: `agent-${benchHost(i)}` }));
      if (r.status !== 201) throw new Error(`enrol ${i}: ${r.status} ${JSON.stringify(r.json)}`);
      creds[i] = String(r.json.credential);
    });
    const e1 = performance.now();
    const ms: number[] = [];
    let findings = 0;
    let bytes = 0;
    await pool(agents, conc, async (i) => {
      const body = agentBody(templates, i);
      bytes += Buffer.byteLength(body);
      const t = performance.now();
      const r = await post(`${srv.base}/api/v1/reports`, { authorization: `Bearer ${creds[i] ?? ''}`, 'idempotency-key': createHash('sha256').update(body).digest('hex') }, body);
      ms.push(performance.now() - t);
      if (r.status !== 201) throw new Error(`upload ${i}: ${r.status} ${JSON.stringify(r.json).slice(0, 500)}`);
      findings += Number(r.json.findings);
      if ((i + 1) % 1000 === 0) process.stderr.write(`  ${i + 1} uploads, ${((performance.now() - e1) / 1000).toFixed(0)} s\n`);
    });
    const e2 = performance.now();
    const server = await srv.stop();
    const cpu = process.cpuUsage();
    const up = (e2 - e1) / 1000;
    console.log(JSON.stringify({
      step: 'ingest', backend: target.backend, agents, concurrency: conc, findings, megabytes: +(bytes / 1e6).toFixed(0),
      enrolSeconds: +((e1 - e0) / 1000).toFixed(1), enrolPerSecond: +(agents / ((e1 - e0) / 1000)).toFixed(1),
      uploadSeconds: +up.toFixed(1), reportsPerSecond: +(agents / up).toFixed(1), findingsPerSecond: Math.round(findings / up),
      uploadMs: percentiles(ms), clientCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1), ...server,
    }));
  } catch (err) {
    await srv.stop();
    throw err;
  }
}

await main();
