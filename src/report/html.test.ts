import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { htmlWriter, renderHtml } from './html.js';
import { timelineSvg, timelineWindow } from './html-timeline.js';
import { sampleFindings, sampleReport } from '../../test/fixtures/report/sample-report.js';
import { hostileReport } from '../../test/fixtures/report/hostile-report.js';
import { collect } from '../../test/fixtures/report/sink.js';

const page = renderHtml(hostileReport());

void test('html: no script, no external resource, no inline style attribute', () => {
  assert.equal(/<script/i.test(page), false);
  assert.equal(/\son[a-z]+=/i.test(page.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')), false);
  assert.equal(/<(link|iframe|object|embed|img|base|form)\b/i.test(page), false);
  assert.equal(/\s(src|srcset|style|action)=/i.test(page.replace(/&lt;img src=x/g, '')), false);
  assert.equal(/url\(/i.test(page), false);
});

void test('html: the CSP allows exactly the inline style block, by its hash', () => {
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1];
  assert.ok(style !== undefined);
  assert.equal(page.match(/<style>/g)?.length, 1);
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  assert.ok(page.includes(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'">`,
  ));
});

void test('html: evidence is escaped exactly', () => {
  assert.ok(page.includes('<pre>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;\nsecond line</pre>'));
  assert.ok(page.includes('<code>=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</code>'));
  assert.ok(page.includes('<strong>Suspicious user agent Mozilla/5.0 red agent</strong>'));
  assert.ok(page.includes('<li>userAgent: <code>Mozilla/5.0 red agent</code></li>'));
  assert.ok(page.includes('&lt;b&gt;feed&lt;/b&gt;'));
  assert.ok(page.includes('<title>exhunt report — EX01&lt;i&gt; — 2026-11-27</title>'));
  assert.equal(/[\x00-\x08\x0b-\x1f\x7f]/.test(page), false);
  assert.equal(page.includes('pwn'), false);
});

void test('html: only http(s) references become links; javascript: stays text', () => {
  assert.equal(/href="\s*javascript:/i.test(page), false);
  assert.ok(page.includes('<li>javascript:alert(1)</li>'));
  assert.ok(page.includes('<a href="https://example.org/a?b=1&amp;c=%3C2%3E" rel="noopener noreferrer">https://example.org/a?b=1&amp;c=%3C2%3E</a>'));
  for (const [, href] of page.matchAll(/href="([^"]*)"/g)) assert.match(href ?? '', /^https?:\/\//);
});

void test('html: opens with the verdict and what to do (containment first); the CVE list comes later', () => {
  const p = renderHtml(sampleReport());
  const at = (s: string): number => {
    const i = p.indexOf(s);
    assert.ok(i >= 0, `missing: ${s}`);
    return i;
  };
  const verdict = at('<div class="answer bad"><div class="big">COMPROMISED</div><div>5 findings of compromise, 2 suspicious</div>');
  const exposed = at('<div class="answer bad"><div class="big">EXPOSED</div>');
  const steps = at('<section id="next-steps"><h2>What to do now (containment first)</h2><ol class="steps"><li>Contain first: take the server off the internet');
  const cves = at('<h3>Open CVEs (7)</h3>');
  assert.ok(at('<header>') < verdict && verdict < exposed && exposed < steps && steps < cves);
  assert.ok(at('<li>Web shells (1 finding): Web shell: JScript page evaluating a request parameter</li>') < steps);
  at('exhunt quarantine REPORT.json --vault DIR');
  at('<strong>Not covered by this examination:</strong>');
  const clean = renderHtml({ ...sampleReport([]), posture: { ...sampleReport().posture!, openCves: [], supported: true, status: 'known' } });
  assert.ok(clean.includes('<div class="answer good"><div class="big">NO EVIDENCE FOUND</div>'));
  assert.ok(clean.includes('<div class="answer good"><div class="big">NOT EXPOSED</div>'));
});

void test('html: a directive judged with the posture is shown with the verdict', () => {
  const base = sampleReport();
  const directive = { id: 'ED-25-02', name: 'CISA ED 25-02', compliant: false, reason: 'build lacks Apr25HU <b>', deadline: '2025-08-11' };
  const p = renderHtml({ ...base, posture: { ...base.posture!, directive } });
  assert.ok(p.includes('<p class="directive bad"><strong>CISA ED 25-02: NOT COMPLIANT</strong> (deadline 2025-08-11) — build lacks Apr25HU &lt;b&gt;</p>'));
  assert.ok(p.indexOf('class="directive') < p.indexOf('id="next-steps"'));
});

void test('html: summary cards, posture, discovery, coverage, findings and errors', () => {
  const p = renderHtml(sampleReport());
  assert.ok(p.includes('<div class="card critical"><div class="n">1</div><div>critical (compromise)</div></div>'));
  assert.ok(p.includes('<div class="card medium"><div class="n">3</div><div>medium (compromise)</div></div>'));
  assert.ok(p.includes('<div class="card info"><div class="n">0</div><div>info (compromise)</div></div>'), 'the exposure finding is not counted with compromise');
  assert.ok(p.includes('<p class="verdict bad">At or above medium: 6 findings of compromise'));
  assert.ok(p.includes('<h2>Evidence of compromise (7)</h2>'));
  assert.ok(p.includes('<h2>Exposure and configuration findings (1)</h2>'));
  assert.ok(p.includes('<tr><th>Open CVEs (7)</th><td>CVE-2021-26855, CVE-2021-26857'));
  assert.ok(p.includes('<span class="no">no — out of support</span>'));
  assert.ok(p.includes('<td>Staging folders</td><td><span class="no">not found</span></td>'));
  assert.ok(p.includes('<li>2021-04-01T00:00:00Z .. 2021-04-09T12:00:00Z</li>'));
  assert.equal(p.match(/<tr><td><span class="sev /g)?.length, 8 + 7, 'eight finding rows and seven open CVE rows');
  assert.ok(p.indexOf('sev critical') < p.indexOf('sev high') && p.indexOf('sev low') < p.indexOf('sev info'));
  assert.ok(p.includes('<h2>Errors (2)</h2>'));
  const quiet = renderHtml(sampleReport(sampleFindings().filter((f) => f.severity === 'info')));
  assert.ok(quiet.includes('<p class="verdict good">Nothing at or above medium, of compromise or of exposure.</p>'));
});

void test('html timeline: dots per finding across the evidence period, coverage lanes and axis', () => {
  const r = sampleReport();
  const svg = timelineSvg(r.findings, r.coverage).value;
  assert.ok(svg.startsWith('<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 '));
  assert.equal(svg.match(/<circle /g)?.length, 7, 'one dot per timed finding');
  assert.ok(svg.includes('<text x="102.0" y="'), 'lane labels');
  assert.ok(svg.includes('>2021-02-20</text>') && svg.includes('>2021-08-15</text>'), 'axis from coverage start to end');
  assert.ok(svg.includes('<rect class="gap"'));
  assert.ok(svg.includes('1 finding(s) without a time are not drawn.'));
  assert.deepEqual(timelineWindow(r.findings, []), { from: Date.parse('2021-03-03T00:59:58Z'), to: Date.parse('2021-08-13T09:30:00Z') });
});

void test('html timeline: no times and a single instant', () => {
  const untimed = sampleFindings().filter((f) => f.time === null);
  assert.equal(timelineSvg(untimed, []).value, '<p class="muted">No finding and no log carries a time, so there is no timeline.</p>');
  const one = sampleFindings().filter((f) => f.ruleId === 'file-lsass-dump');
  const svg = timelineSvg(one, []).value;
  assert.ok(svg.includes('<circle class="medium" cx="525.0"'), 'the instant sits in the middle');
  assert.ok(svg.includes('>03-03 01:14</text>') && svg.includes('>03-03 03:14</text>'), 'an hour either side');
});

void test('htmlWriter writes the page to the stream', async () => {
  const sink = collect();
  await htmlWriter.write(sampleReport(), sink.stream, {});
  assert.equal(sink.text(), renderHtml(sampleReport()));
  assert.ok(sink.text().startsWith('<!DOCTYPE html>\n<html lang="en">'));
});
