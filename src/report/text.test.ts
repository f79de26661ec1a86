import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderText, textWriter } from './text.js';
import { makeFinding, sampleFindings, sampleReport } from '../../test/fixtures/report/sample-report.js';
import { hostileReport } from '../../test/fixtures/report/hostile-report.js';
import { collect } from '../../test/fixtures/report/sink.js';

const SGR = /\x1b\[[0-9;]*m/g;

void test('text: escape sequences from evidence never reach the terminal', () => {
  const out = renderText(hostileReport(), { width: 200 }).join('\n');
  assert.equal(out.includes('\x07'), false);
  assert.equal(out.includes('\x1b'), false);
  assert.equal(out.includes('pwn'), false);
  assert.ok(out.includes('exhunt 0.1.0 — paths evidence (host EX01<i>), as of 2026-11-27'));
  assert.ok(out.includes('  HIGH     Suspicious user agent Mozilla/5.0 red agent — C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log:9 (1×, 2021-03-03 03:00)'));
  assert.ok(out.includes('  MEDIUM   Unexpected .aspx file — =HYPERLINK("http://x","y") (1×, 2021-03-03 03:10)'));
  assert.ok(out.includes('  =HYPERLINK("http://x","y"):1: bad line </script><script>alert(1)</script> <img src=x onerror=alert(1)>'));
});

void test('text: colour only when asked, and then only our own SGR codes', () => {
  const plain = renderText(hostileReport(), { failOn: 'medium' }).join('\n');
  assert.equal(plain.includes('\x1b'), false);
  const coloured = renderText(hostileReport(), { color: true, failOn: 'medium' }).join('\n');
  assert.ok(coloured.includes('\x1b[1;97;41mCRITICAL\x1b[0m'));
  assert.equal(coloured.replace(SGR, '').includes('\x1b'), false);
  assert.equal(coloured.replace(SGR, ''), plain);
});

void test('text: every line fits the width', () => {
  for (const width of [60, 80, 100, 140]) {
    for (const line of renderText(hostileReport(), { width, color: true, failOn: 'low' })) {
      assert.ok([...line.replace(SGR, '')].length <= width, `${width}: ${line}`);
    }
  }
});

void test('text: summary blocks of the sample report', () => {
  const lines = renderText(sampleReport(), { width: 100 });
  const has = (l: string): void => assert.ok(lines.includes(l), `missing: ${l}\n${lines.join('\n')}`);
  has('Posture: Exchange Server 2019 CU8, no SU — build 15.2.792.3 (ExSetup.exe), unsupported');
  has('  7 open CVEs: CVE-2021-26855, CVE-2021-26857, CVE-2021-26858, CVE-2021-27065, CVE-2021-34473,');
  has('  fixed by: May21SU (15.2.792.15); latest CU15');
  has('Evidence not found:');
  has('  Staging folders — no C/ProgramData or C/PerfLogs in the collection');
  has('  IIS logs (168): C/inetpub/logs/LogFiles/W3SVC1, C/inetpub/logs/LogFiles/W3SVC2, … 166 more');
  has('  iis: 168 files, 2021-02-20 00:00 .. 2021-08-15 23:59 UTC, 1 gap > 24h');
  has('  httpproxy: 61 files, 2021-03-01 00:00 .. 2021-08-15 23:00 UTC, no gaps > 24h');
  has('Evidence of compromise (7; 6 at or above medium; times UTC):');
  has('Exposure and configuration (1; 0 at or above medium; times UTC):');
  has('  MEDIUM   LSASS memory dump on disk — C/Windows/Temp/lsass.dmp (1×, 2021-03-03 02:14)');
  has('      1× (120 hits) iis-proxyshell-autodiscover-failed — ProxyShell probe rejected (HTTP 404)');
  has('Evidence time span: 2021-03-03 00:59:58Z .. 2021-08-13 09:30:00Z');
  has('Errors: 2');
  has('Stats: 240 files, 1.4 GiB, 4,812,331 records (17 skipped), 1.2 s');
  assert.deepEqual(lines.slice(-2), [
    'Compromise: 5 findings of compromise, 2 suspicious (7 findings, 6 at or above medium); exposure: 7',
    'open CVEs (1 finding, 0 at or above medium); on 240 files, 1.2 s',
  ]);
});

void test('text: opens with the verdict, the reasons and what to do, containment first', () => {
  const lines = renderText(sampleReport(), { width: 100 });
  assert.equal(lines[1], 'COMPROMISED — 5 findings of compromise, 2 suspicious');
  assert.equal(lines[2], '  Web shells (1 finding): Web shell: JScript page evaluating a request parameter');
  assert.ok(lines.includes('  Credential dump (1 finding): LSASS memory dump on disk'));
  const exposed = lines.findIndex((l) => l.startsWith('EXPOSED — '));
  const steps = lines.indexOf('What to do now (containment first):');
  const posture = lines.findIndex((l) => l.startsWith('Posture: '));
  assert.ok(exposed > 1 && steps > exposed && posture > steps, 'verdict, then what to do, then the CVE list');
  assert.match(lines[steps + 1] ?? '', /^ {2}1\. Contain first: take the server off the internet/);
  assert.ok(lines.some((l) => l.includes('exhunt scan /cases/2021-031/EX01 --format json --output REPORT.json')));
  assert.ok(lines.some((l) => l.includes('exhunt quarantine REPORT.json --vault DIR')));
  assert.ok(lines.includes('Not covered by this examination:'));
});

void test('text: no title is cut; long titles wrap and long paths are shortened in the middle only', () => {
  const title = 'ProxyLogon SSRF (CVE-2021-26855) - AnchorMailbox routes to a server path through the back end';
  const path = 'C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG';
  const f = makeFinding({ ruleId: 'r', title, severity: 'critical', confidence: 'high', category: 'exploitation', evidence: { kind: 'log', path, line: 7 },
    time: '2021-03-03T02:14:00Z', rule: { source: 'builtin', author: 'test', license: 'Apache-2.0', refs: [] } });
  for (const width of [80, 100]) {
    const lines = renderText(sampleReport([f]), { width });
    const words = lines.join(' ').split(/\s+/);
    for (const w of title.split(' ')) assert.ok(words.includes(w) || words.some((x) => x.startsWith(w)), `${width}: "${w}" cut`);
    assert.ok(!lines.some((l) => /CVE-2021-2685…|CVE-202…/.test(l)), `${width}: a title cut mid-word`);
    const place = lines.find((l) => l.includes('HttpProxy_2021030302-1.LOG:7'));
    assert.ok(place !== undefined, `${width}: the file name stays whole`);
    assert.ok(place.trimStart().startsWith('C/Program Files/'), `${width}: the path keeps its start`);
    for (const l of lines) assert.ok([...l].length <= width, `${width}: ${l}`);
  }
});

void test('text: findings per severity are limited with "... and N more"', () => {
  const lines = renderText(sampleReport(), { maxPerGroup: 1 });
  assert.ok(lines.includes('           ... and 2 more medium'));
  assert.ok(lines.includes('           ... and 1 more high'));
  assert.equal(lines.filter((l) => l.startsWith('  MEDIUM ')).length, 1);
});

void test('text: the --fail-on line says why the run exits 1 or 0, compromise and exposure counted apart', () => {
  const bad = renderText(sampleReport(), { failOn: 'high', width: 200 });
  assert.equal(bad.at(-2), 'Compromise: 5 findings of compromise, 2 suspicious (7 findings, 3 at or above high); exposure: 7 open CVEs (1 finding, 0 at or above high); on 240 files, 1.2 s');
  assert.equal(
    bad.at(-1),
    'Exit 1: 3 findings of compromise at or above high (critical: Web shell: JScript page evaluating a request parameter in C/Program Files/Microsof…tpProxy/owa/auth/x.aspx)',
  );
  const quiet = sampleFindings().filter((f) => f.severity === 'low' || f.severity === 'info');
  assert.equal(renderText(sampleReport(quiet), { failOn: 'medium' }).at(-1), 'Exit 0: nothing at or above medium, of compromise or of exposure');
  const exposedOnly = sampleFindings().filter((f) => f.category === 'posture').map((f) => ({ ...f, severity: 'critical' as const }));
  assert.equal(renderText(sampleReport(exposedOnly), { failOn: 'medium', width: 200 }).at(-1), 'Exit 1: 1 finding of exposure at or above medium (critical), no compromise finding at or above it');
});

void test('text: an empty report without posture or discovery', () => {
  const lines = renderText({ ...sampleReport([]), posture: null, discovery: [], coverage: [], errors: [] });
  assert.ok(lines.includes('Findings: none'));
  assert.ok(lines.includes('Evidence time span: no times'));
  assert.ok(lines.includes('Errors: none'));
  assert.equal(lines.some((l) => l.startsWith('Posture')), false);
  assert.equal(lines[1], 'NO EVIDENCE FOUND — no evidence of compromise in what was examined');
  assert.equal(lines[2], 'EXPOSURE UNKNOWN — no Exchange build was found or given, so the open CVEs cannot be told');
  assert.ok(lines.includes('  - no IIS, Exchange or event log records were read: exploitation and what the attacker did cannot'));
});

void test('textWriter writes the lines to the stream', async () => {
  const sink = collect();
  await textWriter.write(sampleReport(), sink.stream, { width: 100 });
  assert.equal(sink.text(), `${renderText(sampleReport(), { width: 100 }).join('\n')}\n`);
});

void test('text: posture variants', () => {
  // 15.2.1544.14 is Exchange 2019 CU14 Nov24SUv2 (Microsoft build list); `supported` and the
  // empty CVE list are set by hand to exercise the rendering, not a judgement of that build.
  const base = sampleReport();
  const posture = (p: object): string[] => {
    const lines = renderText({ ...base, posture: { ...base.posture!, ...p } });
    const at = lines.findIndex((l) => l.startsWith('Posture: '));
    return lines.slice(at, at + 2);
  };
  assert.deepEqual(posture({ su: 'Nov24SUv2', supported: true, openCves: [], fixedBy: null, build: '15.2.1544.14', cu: 'CU14' }), [
    'Posture: Exchange Server 2019 CU14, Nov24SUv2 — build 15.2.1544.14 (ExSetup.exe), supported',
    '  no open CVEs',
  ]);
  assert.equal(posture({ build: null, product: null, cu: null, buildSource: null, supported: null })[0], 'Posture: unknown release — build unknown, support unknown');
});
