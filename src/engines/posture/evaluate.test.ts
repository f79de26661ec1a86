/**
 * Expected open-CVE sets, transcribed by hand from Microsoft's tables (the build-number page
 * for which SU a build is, HealthChecker's SU→CVE table and the Security Update Guide for what
 * each SU fixed). The sets below are written out here, not computed by the engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePosture } from './evaluate.js';
import { indexKb } from './kb-index.js';
import { loadKb } from './kb-load.js';

const kb = indexKb(loadKb({ env: { EXHUNT_HOME: '/nonexistent-exhunt-home' } }).bundle);
const c = (...ids: string[]): string[] => ids.map((x) => `CVE-${x}`);

/** What each SU fixed on Exchange 2016 / 2019 (and SE where it got the SU). */
const SU: Record<string, string[]> = {
  Feb20SU: c('2020-0688', '2020-0692'),
  Mar20SU: c('2020-0903'),
  Sep20SU: c('2020-16875'),
  Oct20SU: c('2020-16969'),
  Nov20SU: c('2020-17083', '2020-17084', '2020-17085'),
  Dec20SU: c('2020-17117', '2020-17132', '2020-17141', '2020-17142', '2020-17143'),
  Feb21SU: c('2021-24085'),
  Mar21SU: c('2021-26855', '2021-26857', '2021-26858', '2021-27065', '2021-26412', '2021-27078', '2021-26854'),
  Apr21SU: c('2021-28480', '2021-28481', '2021-28482', '2021-28483', '2021-34473', '2021-34523'),
  May21SU: c('2021-31195', '2021-31198', '2021-31207', '2021-31209'),
  Jul21SU: c('2021-31206', '2021-31196', '2021-33768', '2021-33766', '2021-34470'),
  Oct21SU: c('2021-26427', '2021-41350', '2021-41348', '2021-34453'),
  Nov21SU: c('2021-42305', '2021-41349', '2021-42321'),
  Jan22SU: c('2022-21855', '2022-21846', '2022-21969'),
  Mar22SU: c('2022-23277', '2022-24463'),
  May22SU: c('2022-21978'),
  Aug22SU: c('2022-24516', '2022-21979', '2022-21980', '2022-24477', '2022-30134', '2022-34692', '2024-21410'),
  Nov22SU: c('2022-41040', '2022-41082', '2022-41079', '2022-41078', '2022-41080', '2022-41123'),
  Jan23SU: c('2023-21762', '2023-21745', '2023-21761', '2023-21763', '2023-21764'),
  Feb23SU: c('2023-21529', '2023-21706', '2023-21707', '2023-21710'),
  Mar23SU: c('2023-21707'),
  Jun23SU: c('2023-28310', '2023-32031'),
  Aug23SU: c('2023-38181', '2023-38182', '2023-38185', '2023-35368', '2023-35388', '2023-36777', '2023-36757', '2023-36756', '2023-36745', '2023-36744', '2023-21709', '2023-36434'),
  Oct23SU: c('2023-36778'),
  Nov23SU: c('2023-36050', '2023-36039', '2023-36035', '2023-36439'),
  Mar24SU: c('2024-26198'),
  Nov24SU: c('2024-49040'),
  Apr25HU: c('2025-53786'),
  Aug25SU: c('2025-25005', '2025-25006', '2025-25007', '2025-33051'),
  Oct25SU: c('2025-53782', '2025-59248', '2025-59249'),
  Dec25SU: c('2025-64666', '2025-64667'),
  Feb26SU: c('2026-21527'),
  Jun26SU: c('2026-42897', '2026-47631', '2026-45583', '2026-45504', '2026-45503', '2026-45502', '2026-45501', '2026-45500'),
  // Aug26SU, Sep26SU and its 2026-10-02 v2: CVE lists and builds from the release write-ups
  // (rafaelpfister.ch, citing Microsoft's announcements and the Security Update Guide; see
  // content/kb/README.md). The July 2026 SU is not in the KB (its CVE list was not found).
  Aug26SU: c('2026-62913', '2026-62911', '2026-62914', '2026-62910', '2026-62912', '2026-62915', '2026-65813'),
  Sep26SU: c('2026-69356', '2026-69641', '2026-69355', '2026-55007', '2026-69380', '2026-69378', '2026-69361', '2026-69375', '2026-69382'),
  Sep26SUv2: c('2026-96940'),
};
/** CVE-2026-55007 (Sep26SU) does not apply to Exchange 2016. */
const SEP26_2016 = (SU.Sep26SU ?? []).filter((x) => x !== 'CVE-2026-55007');
/** What the SUs after Jun26SU fixed, per product family. */
const AFTER_JUN26 = [...(SU.Aug26SU ?? []), ...(SU.Sep26SU ?? []), ...(SU.Sep26SUv2 ?? [])];
const AFTER_JUN26_2016 = [...(SU.Aug26SU ?? []), ...SEP26_2016, ...(SU.Sep26SUv2 ?? [])];

/** 2018/2019 SUs (HealthChecker's table): what they fixed on 2016. */
const PRE_2016: Record<string, string[]> = {
  Mar18SU: c('2018-0924', '2018-0940', '2018-0941'),
  May18SU: c('2018-8151', '2018-8154', '2018-8159', '2018-8152', '2018-8153'),
  Aug18SU: c('2018-8302', '2018-8374'),
  Oct18SU: c('2018-8265', '2018-8448'),
  Dec18SU: c('2018-8604'),
  Jan19SU: c('2019-0586', '2019-0588'),
  Feb19SU: c('2019-0686', '2019-0724'),
  Apr19SU: c('2019-0817', '2019-0858'),
  Jun19SU: ['ADV190018'],
  Jul19SU: c('2019-1084', '2019-1137', '2019-1136'),
  Sep19SU: c('2019-1233', '2019-1266'),
  Nov19SU: c('2019-1373'),
};

/** Exchange 2013 got fewer CVEs from some SUs. */
const SU2013: Record<string, string[]> = {
  ...SU,
  ...PRE_2016,
  Mar18SU: c('2018-0924', '2018-0940'),
  May18SU: c('2018-8151', '2018-8154', '2018-8159'),
  Aug18SU: c('2018-8302'),
  Dec20SU: c('2020-17117', '2020-17132', '2020-17142', '2020-17143'),
  Oct21SU: c('2021-26427'),
  Nov21SU: c('2021-42305', '2021-41349'),
  Mar22SU: c('2022-23277'),
  Aug22SU: c('2022-24516', '2022-21979', '2022-21980', '2022-24477', '2022-30134'),
  Nov22SU: c('2022-41040', '2022-41082', '2022-41079', '2022-41078', '2022-41080'),
  Jan23SU: c('2023-21762'),
  Feb23SU: c('2023-21529', '2023-21706', '2023-21707'),
};

/** 2019 got the 2019 SUs only, and Jul19SU without CVE-2019-1136. */
const SU2019: Record<string, string[]> = { ...SU, ...PRE_2016, Jul19SU: c('2019-1084', '2019-1137') };
const SU2016: Record<string, string[]> = { ...SU, ...PRE_2016, Sep26SU: SEP26_2016 };

/** SUs (with CVEs) each product received, in release order. */
const SEQ_1619 = ['Feb20SU', 'Mar20SU', 'Sep20SU', 'Oct20SU', 'Nov20SU', 'Dec20SU', 'Feb21SU', 'Mar21SU', 'Apr21SU', 'May21SU', 'Jul21SU', 'Oct21SU', 'Nov21SU', 'Jan22SU', 'Mar22SU', 'May22SU', 'Aug22SU', 'Nov22SU', 'Jan23SU', 'Feb23SU', 'Mar23SU', 'Jun23SU', 'Aug23SU', 'Oct23SU', 'Nov23SU', 'Mar24SU', 'Nov24SU', 'Apr25HU', 'Aug25SU', 'Oct25SU', 'Dec25SU', 'Feb26SU', 'Jun26SU', 'Aug26SU', 'Sep26SU', 'Sep26SUv2'];
const SEQ_2016_PRE = ['Mar18SU', 'May18SU', 'Aug18SU', 'Oct18SU', 'Dec18SU', 'Jan19SU', 'Feb19SU', 'Apr19SU', 'Jun19SU', 'Jul19SU', 'Sep19SU', 'Nov19SU'];
const SEQ_2019_PRE = ['Feb19SU', 'Apr19SU', 'Jun19SU', 'Jul19SU', 'Sep19SU', 'Nov19SU'];
const SEQ_2013_PRE = ['Mar18SU', 'May18SU', 'Aug18SU', 'Oct18SU', 'Jan19SU', 'Feb19SU', 'Apr19SU', 'Jun19SU', 'Jul19SU', 'Nov19SU'];
const SEQ_2013 = [...SEQ_2013_PRE, 'Feb20SU', 'Oct20SU', 'Nov20SU', 'Dec20SU', 'Mar21SU', 'Apr21SU', 'May21SU', 'Jul21SU', 'Oct21SU', 'Nov21SU', 'Jan22SU', 'Mar22SU', 'May22SU', 'Aug22SU', 'Nov22SU', 'Jan23SU', 'Feb23SU', 'Mar23SU'];
const SEQ_SE = ['Aug25SU', 'Oct25SU', 'Dec25SU', 'Feb26SU', 'Jun26SU', 'Aug26SU', 'Sep26SU', 'Sep26SUv2'];
const PROXYLOGON = c('2021-26855', '2021-26857', '2021-26858', '2021-27065');

function missing(seq: string[], table: Record<string, string[]>, first: string, except: string[] = []): string[] {
  const i = seq.indexOf(first);
  assert.ok(i >= 0, `${first} not in sequence`);
  const all = new Set(seq.slice(i).flatMap((s) => table[s] ?? []));
  for (const x of except) all.delete(x);
  return [...all];
}
const m1619 = (first: string, except?: string[]): string[] => missing(SEQ_1619, SU, first, except);
const m2016 = (first: string, except?: string[]): string[] => missing([...SEQ_2016_PRE, ...SEQ_1619], SU2016, first, except);
const m2019 = (first: string, except?: string[]): string[] => missing([...SEQ_2019_PRE, ...SEQ_1619], SU2019, first, except);
const m2013 = (first: string, except?: string[]): string[] => missing(SEQ_2013, SU2013, first, except);
const mSE = (first: string): string[] => missing(SEQ_SE, SU, first);
/** Exchange 2016 builds of CUs covered by SEQ_1619. */
const m16 = (first: string, except?: string[]): string[] => missing(SEQ_1619, SU2016, first, except);

const CASES: [string, string[]][] = [
  // Exchange 2019
  ['15.2.792.3', m1619('Feb21SU')], // CU8
  ['15.2.792.10', m1619('Apr21SU')], // CU8 Mar21SU
  ['15.2.792.13', m1619('May21SU')], // CU8 Apr21SU
  ['15.2.792.15', m1619('Jul21SU')], // CU8 May21SU (CU8 got no later SU)
  ['15.2.858.5', m1619('Apr21SU')], // CU9
  ['15.2.922.7', m1619('Jul21SU')], // CU10
  ['15.2.986.5', m1619('Oct21SU')], // CU11
  ['15.2.986.26', m1619('Aug22SU')], // CU11 May22SU
  ['15.2.1118.7', m1619('May22SU')], // CU12
  ['15.2.1118.20', m1619('Jan23SU')], // CU12 Nov22SU
  ['15.2.1258.12', m1619('Jun23SU')], // CU13
  ['15.2.1258.39', m1619('Apr25HU')], // CU13 Nov24SUv2
  ['15.2.1544.4', m1619('Mar24SU')], // CU14
  ['15.2.1544.14', m1619('Apr25HU')], // CU14 Nov24SUv2
  ['15.2.1748.10', m1619('Apr25HU')], // CU15
  ['15.2.1748.24', m1619('Aug25SU')], // CU15 Apr25HU
  ['15.2.1748.39', m1619('Dec25SU')], // CU15 Oct25SU
  ['15.2.1748.43', [...(SU.Jun26SU ?? []), ...AFTER_JUN26]], // CU15 Feb26SU
  ['15.2.1748.46', AFTER_JUN26], // CU15 Jun26SU
  ['15.2.1748.51', c('2026-96940')], // CU15 Sep26SU (v1)
  ['15.2.1748.53', []], // CU15 Sep26SUv2 (newest 2019 CU15 build in the KB)
  ['15.2.1544.48', []], // CU14 Sep26SUv2
  ['15.2.221.18', m2019('Feb19SU', PROXYLOGON)], // RTM Mar21SU: ProxyLogon chain only
  ['15.2.330.5', m2019('Apr19SU')], // CU1 (itself the Feb19SU build)
  ['15.2.397.6', m2019('Nov19SU')], // CU2 Sep19SU
  // Exchange 2016
  ['15.1.2176.9', m16('Apr21SU')], // CU19 Mar21SU
  ['15.1.2176.2', m16('Feb21SU')], // CU19
  ['15.1.2106.2', m16('Oct20SU')], // CU18
  ['15.1.1415.10', m2016('Aug18SU', PROXYLOGON)], // CU8 Mar21SU (CU8 got Mar18SU and May18SU)
  ['15.1.1415.8', m2016('Aug18SU', PROXYLOGON)], // CU8 Mar21SU, first build (HealthChecker)
  ['15.1.1713.5', m2016('Apr19SU')], // CU12 (itself the Feb19SU build)
  ['15.1.2507.6', m16('May22SU')], // CU23
  ['15.1.2375.37', m16('Jan23SU')], // CU22 Nov22SU
  ['15.1.2308.8', m16('Jul21SU')], // CU21
  ['15.1.2507.66', [...(SU.Jun26SU ?? []), ...AFTER_JUN26_2016]], // CU23 Feb26SU
  ['15.1.2507.72', [...SEP26_2016, ...(SU.Sep26SUv2 ?? [])]], // CU23 Aug26SU
  ['15.1.2507.75', []], // CU23 Sep26SUv2 (newest 2016 build in the KB)
  // Exchange 2013
  ['15.0.1497.12', m2013('Apr21SU')], // CU23 Mar21SU
  ['15.0.1497.2', m2013('Jul19SU')], // CU23
  ['15.0.1497.4', m2013('Feb20SU')], // CU23 Nov19SU
  ['15.0.1497.45', c('2023-21529', '2023-21706', '2023-21707')], // CU23 Jan23SU
  ['15.0.1497.48', []], // CU23 Mar23SU
  ['15.0.847.64', m2013('Mar18SU', PROXYLOGON)], // SP1 Mar21SU
  // Exchange Server SE
  ['15.2.2562.17', mSE('Aug25SU')], // RTM
  ['15.2.2562.29', mSE('Dec25SU')], // RTM Oct25SU
  ['15.2.2562.43', AFTER_JUN26], // RTM Jun26SU
  ['15.2.2562.46', [...(SU.Sep26SU ?? []), ...(SU.Sep26SUv2 ?? [])]], // RTM Aug26SU
  ['15.2.2562.53', []], // RTM Sep26SUv2 (newest SE build in the KB)
  // Exchange 2010 SP3 (RU30 fixed CVE-2020-0688; the March 2021 update, RU32, CVE-2021-26857 only)
  ['14.3.123.4', c('2020-0688', '2021-26857')],
  ['14.3.496.0', c('2021-26857')],
  ['14.3.513.0', []],
];

for (const [build, expected] of CASES) {
  void test(`open CVEs of ${build}`, () => {
    const r = evaluatePosture(build, { asOf: '2026-11-27', source: 'option', kb });
    assert.equal(r.posture.status, 'known');
    // Advisories (ADV190018) are listed apart from the CVE ids (see the test below).
    const open = [...r.posture.openCves, ...((r.posture['openAdvisories'] as string[] | undefined) ?? [])];
    assert.deepEqual(open.sort(), [...expected].sort());
  });
}

void test('leading zeros: 15.02.0792.010 is 2019 CU8 Mar21SU', () => {
  const p = evaluatePosture('15.02.0792.010', { asOf: '2021-04-20', source: 'option', kb }).posture;
  assert.equal(p.build, '15.2.792.10');
  assert.equal(p.product, 'Exchange Server 2019');
  assert.equal(p.cu, 'CU8');
  assert.equal(p.su, 'Mar21SU');
  assert.equal(p.supported, true);
});

void test('a 3-part build gives best and worst case, and openCves is the worst case', () => {
  const p = evaluatePosture('15.2.792', { asOf: '2026-11-27', source: 'folder', kb }).posture;
  assert.equal(p.status, 'partial');
  const best = p.bestCase as { build: string; openCves: string[] };
  const worst = p.worstCase as { build: string; openCves: string[] };
  assert.equal(worst.build, '15.2.792.3');
  assert.equal(best.build, '15.2.792.15');
  assert.deepEqual([...p.openCves].sort(), [...m1619('Feb21SU')].sort());
  assert.deepEqual([...best.openCves].sort(), [...m1619('Jul21SU')].sort());
});

void test('a build newer than the KB, or malformed, is unknown with the nearest known build, never patched', () => {
  const newer = evaluatePosture('15.2.2562.99', { asOf: '2026-11-27', source: 'option', kb });
  assert.equal(newer.posture.status, 'newer');
  assert.equal(newer.posture.nearestKnownBuild, '15.2.2562.53');
  assert.equal(newer.posture.fixedBy, null);
  assert.equal(newer.findings.length, 1);
  assert.match(newer.findings[0]?.title ?? '', /^Exposure unknown: build 15\.2\.2562\.99 is newer than this knowledge base/);
  assert.equal(newer.findings[0]?.details.kind, 'exposure');
  const cu16 = evaluatePosture('15.2.2562.17.5', { asOf: '2026-11-27', source: 'option', kb });
  assert.equal(cu16.posture.status, 'malformed');
  assert.match(cu16.findings[0]?.title ?? '', /^Exposure unknown: .* is not an Exchange build number/);
  const other = evaluatePosture('16.0.100.1', { asOf: '2026-11-27', source: 'option', kb });
  assert.equal(other.posture.status, 'unknown-product');
});

void test('a build between known builds is judged as the nearest lower known build', () => {
  const odd = evaluatePosture('15.2.800.1', { asOf: '2026-11-27', source: 'option', kb }).posture;
  assert.equal(odd.status, 'between');
  assert.equal(odd.nearestKnownBuild, '15.2.792.15');
  const p = evaluatePosture('15.2.792.11', { asOf: '2026-11-27', source: 'option', kb }).posture;
  assert.equal(p.status, 'between');
  assert.equal(p.nearestKnownBuild, '15.2.792.10');
  assert.deepEqual([...p.openCves].sort(), [...m1619('Apr21SU')].sort());
});

void test('a July 2026 SU build (not in the KB) is judged as the Jun26SU build below it', () => {
  const p = evaluatePosture('15.2.2562.45', { asOf: '2026-11-27', source: 'option', kb }).posture;
  assert.equal(p.status, 'between');
  assert.equal(p.nearestKnownBuild, '15.2.2562.43');
  assert.deepEqual([...p.openCves].sort(), [...AFTER_JUN26].sort());
});

void test('one exposure item per build; per CVE: exploited → critical, CVSS ≥ 7 → high, lower → medium; out of support → high', () => {
  const r = evaluatePosture('15.2.2562.17', { asOf: '2026-11-27', source: 'option', kb });
  assert.equal(r.findings.length, 1, 'exposure is one item, not one finding per CVE');
  const item = r.findings[0];
  assert.equal(item?.ruleId, 'posture.exposure');
  assert.equal(item?.severity, 'critical', 'the item has the severity of its worst CVE');
  const cves = item?.details.cves as { id: string; severity: string; exploited: boolean | null }[];
  const sev = (id: string): string | undefined => cves.find((c) => c.id === id)?.severity;
  assert.equal(sev('CVE-2026-42897'), 'critical');
  assert.equal(cves.find((c) => c.id === 'CVE-2026-42897')?.exploited, true);
  assert.equal(sev('CVE-2025-59249'), 'high');
  assert.equal(sev('CVE-2025-64667'), 'medium');
  assert.deepEqual(item?.cves, r.posture.openCves.filter((c) => cves.some((x) => x.id === c)));
  const old = evaluatePosture('15.0.1497.48', { asOf: '2026-11-27', source: 'option', kb });
  assert.equal(old.findings.length, 1);
  assert.equal(old.findings[0]?.severity, 'high');
  assert.match(old.findings[0]?.title ?? '', /^Exposed: out of support \(Exchange Server 2013 support ended on 2023-04-11, no security fixes since 2023-03-14\): assume every later flaw is open/);
  assert.equal(old.posture.noFixesSince, '2023-03-14');
  assert.ok(Array.isArray(old.posture.publishedCves));
});

void test('look-alike: a current, supported build has no exposure item', () => {
  assert.deepEqual(evaluatePosture('15.2.2562.53', { asOf: '2026-11-27', source: 'option', kb }).findings, []);
});

void test('fixedBy: newest SU of the CU when it closes everything, else the newest CU', () => {
  const same = evaluatePosture('15.2.1748.24', { asOf: '2026-11-27', source: 'option', kb }).posture.fixedBy;
  assert.equal(same?.build, '15.2.1748.53');
  assert.equal(same?.su, 'Sep26SUv2');
  assert.equal(same?.sameCu, true);
  const move = evaluatePosture('15.1.2176.9', { asOf: '2021-04-20', source: 'option', kb }).posture.fixedBy;
  assert.equal(move?.cu, 'CU23');
  assert.equal(move?.latestCu, 'CU23');
  assert.equal(move?.sameCu, false);
});

void test('support: CU N-1 supported, N-2 not; SE supported; product past end of support not', () => {
  assert.equal(evaluatePosture('15.2.792.10', { asOf: '2021-04-20', source: 'option', kb }).posture.supported, true);
  assert.equal(evaluatePosture('15.2.721.13', { asOf: '2021-04-20', source: 'option', kb }).posture.supported, false);
  assert.equal(evaluatePosture('15.2.2562.43', { asOf: '2026-11-27', source: 'option', kb }).posture.supported, true);
  assert.equal(evaluatePosture('15.2.1748.46', { asOf: '2026-11-27', source: 'option', kb }).posture.supported, false);
});

void test('findings: ids via findingId, evidence remote for --build and file for evidence', () => {
  const a = evaluatePosture('15.2.792.10', { asOf: '2026-11-27', source: 'option', kb });
  const f = a.findings.find((x) => x.ruleId === 'posture.exposure');
  assert.equal(f?.evidence.kind, 'remote');
  assert.equal(f?.evidence.path, 'build:15.2.792.10');
  assert.equal(f?.category, 'posture');
  assert.match(f?.id ?? '', /^[0-9a-f]{24}$/);
  const b = evaluatePosture('15.2.792.10', { asOf: '2026-11-27', source: 'ExSetup.exe', evidencePath: 'C/Program Files/Microsoft/Exchange Server/V15/Bin/ExSetup.exe', kb });
  assert.equal(b.findings[0]?.evidence.kind, 'file');
  assert.equal(b.posture.buildSource, 'ExSetup.exe');
});

void test('fixes that need a setting are listed as openCvesIfConfigured once the code fix is in', () => {
  const p = evaluatePosture('15.2.1748.46', { asOf: '2026-11-27', source: 'option', kb }).posture;
  assert.ok(p.openCvesIfConfigured.includes('CVE-2024-21410'));
  assert.ok(p.openCvesIfConfigured.includes('CVE-2023-21709'));
  assert.ok(!p.openCves.includes('CVE-2024-21410'));
  const se = evaluatePosture('15.2.2562.43', { asOf: '2026-11-27', source: 'option', kb });
  const details = se.posture.cveDetails as { id: string; severity: string; ifConfigured: boolean }[];
  const byDefault = details.filter((c) => c.ifConfigured);
  assert.ok(byDefault.length > 0);
  assert.ok(byDefault.every((c) => c.severity === 'info'), 'fixes on by default are context only');
  const ep = evaluatePosture('15.1.2507.66', { asOf: '2026-11-27', source: 'option', kb }).findings[0];
  const epCves = ep?.details.cves as { id: string; severity: string; ifConfigured: boolean }[];
  assert.deepEqual(epCves.find((c) => c.id === 'CVE-2024-21410')?.severity, 'high');
  assert.equal(epCves.find((c) => c.id === 'CVE-2024-21410')?.ifConfigured, true);
});

test('an advisory (ADV190018) stays out of the CVE lists the report schema checks, and is listed apart', () => {
  const r = evaluatePosture('15.2.330.5', { kb, asOf: '2026-11-27', source: 'option' });
  const ids = r.findings.flatMap((f) => f.cves);
  assert.ok(ids.every((c) => /^CVE-\d{4}-\d{4,}$/.test(c)), ids.filter((c) => !c.startsWith('CVE-')).join(','));
  assert.ok(r.posture.openCves.every((c) => c.startsWith('CVE-')));
  assert.deepEqual(r.posture['openAdvisories'], ['ADV190018']);
  assert.ok((r.findings[0]?.details.cves as { id: string }[]).some((c) => c.id === 'ADV190018'));
});
