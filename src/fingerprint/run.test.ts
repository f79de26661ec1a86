/** A whole fingerprint run: several targets, concurrency limit, proxy, report contract. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCert, startFake, type FakeServer, type KeyPair, type Profile } from '../../test/fixtures/fingerprint/fake-exchange.js';
import { startProxy } from '../../test/fixtures/fingerprint/connect-proxy.js';
import { PassThrough } from 'node:stream';
import { validateReport } from '../findings/schema.js';
import { REPORT_FORMATS, writeReport } from '../report/index.js';
import { indexKb, type KbIndex } from '../engines/posture/kb-index.js';
import { loadKb } from '../engines/posture/kb-load.js';
import { allUnreachable, fingerprintReport, fingerprintTargets, type RunOptions } from './run.js';

let pair: KeyPair;
let kb: KbIndex;
const servers: FakeServer[] = [];
before(() => { pair = makeCert(20); kb = indexKb(loadKb().bundle); });
after(async () => { await Promise.all(servers.map((s) => s.close())); });

async function fake(p: Profile): Promise<FakeServer> {
  const s = await startFake(p, pair);
  servers.push(s);
  return s;
}

function opts(extra: Partial<RunOptions> = {}): RunOptions {
  return { timeoutMs: 2000, retries: 0, backoffMs: 5, insecure: false, proxy: null, ca: pair.cert, userAgent: 'exhunt-test', concurrency: 4, asOf: '2026-11-27', kb, ...extra };
}

const EX2019 = { logon: { file: 'logon-2016.html', build: '15.2.1748.46' }, current: '15.2.1748.46' };

void test('a run over several targets: per-target posture, errors kept, report validates', async () => {
  const old = await fake({ logon: { file: 'logon-2016.html', build: '15.2.792.10' }, current: '15.2.792.10' });
  const cu = await fake({ logon: { file: 'logon-2016.html', build: '15.2.1748.46' } });
  const plain = await fake({});
  const targets = await fingerprintTargets([old.url, cu.url, plain.url, 'https://nowhere.invalid'], opts());
  assert.equal(targets.length, 4);
  const [a, b, c, d] = targets;
  assert.equal(a?.posture?.product, 'Exchange Server 2019');
  assert.equal(a?.posture?.cu, 'CU8');
  assert.equal(a?.posture?.su, 'Mar21SU');
  assert.equal(a?.posture?.buildSource, 'remote');
  assert.ok(a?.posture?.openCves.includes('CVE-2021-34473'));
  assert.equal(b?.partial, true);
  assert.equal(b?.posture?.cu, 'CU15');
  assert.equal(b?.posture?.su, null);
  assert.equal(c?.error?.kind, 'not-exchange');
  assert.equal(d?.error?.kind, 'dns');
  assert.equal(allUnreachable(targets), false);

  const report = fingerprintReport(targets, '2026-11-27', 1);
  assert.deepEqual(validateReport(JSON.parse(JSON.stringify(report))), []);
  assert.equal(report.target.kind, 'remote');
  assert.equal(report.posture, null);
  assert.equal(report.errors.length, 2);
  const cve = report.findings.find((f) => f.ruleId === 'posture.exposure' && f.cves.includes('CVE-2021-34473'));
  assert.equal(cve?.evidence.kind, 'remote');
  assert.equal(cve?.evidence.path, `${old.url}/owa/`);
  assert.ok(report.findings.some((f) => f.ruleId === 'fingerprint.tls-cert-expiring' && f.severity === 'low'));
  for (const s of [old, cu, plain]) assert.deepEqual(s.violations, []);
  for (const format of REPORT_FORMATS) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeReport(report, format, out);
    assert.ok(Buffer.concat(chunks).length > 100, format);
  }
});

void test('one target: its posture is the report posture; every target unreachable is detected', async () => {
  const s = await fake(EX2019);
  const one = await fingerprintTargets([s.url], opts());
  const report = fingerprintReport(one, '2026-11-27', 0);
  assert.equal(report.posture?.build, '15.2.1748.46');
  assert.equal(report.posture?.buildMethod, 'ecp-manifest');
  const down = await fingerprintTargets(['https://a.invalid', 'https://b.invalid'], opts());
  assert.equal(allUnreachable(down), true);
});

void test('the concurrency limit holds', async () => {
  const s = await fake({ ...EX2019, delayMs: 40 });
  const inputs = Array.from({ length: 6 }, () => s.url);
  const out = await fingerprintTargets(inputs, opts({ concurrency: 2 }));
  assert.ok(out.every((t) => t.build === '15.2.1748.46'));
  assert.ok(s.maxInFlight <= 2, `max in flight ${s.maxInFlight}`);
  assert.ok(s.maxInFlight >= 2);
});

void test('through an HTTP proxy: one CONNECT tunnel per request, nothing else', async () => {
  const s = await fake(EX2019);
  const proxy = await startProxy();
  try {
    const [t] = await fingerprintTargets([s.url], opts({ proxy: proxy.url }));
    assert.equal(t?.build, '15.2.1748.46');
    assert.deepEqual(proxy.seen, [`CONNECT 127.0.0.1:${s.port}`, `CONNECT 127.0.0.1:${s.port}`]);
    assert.deepEqual(s.violations, []);
    const [blocked] = await fingerprintTargets(['https://localhost.invalid'], opts({ proxy: proxy.url }));
    assert.equal(blocked?.reachable, false);
    assert.match(blocked?.error?.message ?? '', /proxy .* refused the tunnel/);
  } finally {
    await proxy.close();
  }
});
