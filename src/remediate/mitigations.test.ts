/** Mitigation checks on temporary trees: present, missing, weak, useless and no-longer-needed rules. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { makeTree } from '../../test/fixtures/remediate/tree.js';
import { discoverSources, openEvidenceRoot } from '../evidence/index.js';
import { validateFinding } from '../findings/schema.js';
import type { Finding, Posture } from '../findings/types.js';
import { checkMitigations } from './mitigations.js';

const PNS = { input: '{UrlDecode:{REQUEST_URI}}', pattern: '.*autodiscover\\.json.*Powershell.*' };

function rule(name: string, input: string, pattern: string, extra = '', action = 'AbortRequest'): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<rule name="${name}" stopProcessing="true"><match url=".*" /><conditions><add input="${esc(input)}" pattern="${esc(pattern)}"${extra} /></conditions><action type="${action}" /></rule>`;
}

function webConfig(rules: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<configuration><system.webServer><rewrite><rules>${rules.join('')}</rules></rewrite></system.webServer></configuration>\n`;
}

function posture(build: string | null, openCves: readonly string[]): Posture {
  return { build, product: null, cu: null, su: null, buildSource: build ? 'option' : null, supported: null, openCves, openCvesIfConfigured: [], fixedBy: null };
}

async function check(files: Record<string, string>, p: Posture | null): Promise<Finding[]> {
  const root = makeTree([]);
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  const er = await openEvidenceRoot(root);
  const findings = await checkMitigations(er, await discoverSources(er, { onError: () => undefined }), p);
  for (const f of findings) assert.deepEqual(validateFinding(f), []);
  return findings;
}

const WEB = 'C/inetpub/wwwroot/web.config';
const OPEN_2022 = posture('15.2.986.5', ['CVE-2022-41040', 'CVE-2022-41082']);

test('a vulnerable build without the ProxyNotShell rule: high, with the exact rule to add', async () => {
  const [f, ...rest] = await check({}, OPEN_2022);
  assert.equal(rest.length, 0);
  assert.ok(f);
  assert.equal(f.category, 'posture');
  assert.equal(f.severity, 'high');
  assert.equal(f.ruleId, 'mitigation.autodiscover-powershell');
  assert.equal(f.evidence.path, WEB);
  assert.equal(f.details.action, 'add');
  const xml = (f.details.rules as { xml: string }[])[0]?.xml ?? '';
  assert.match(xml, /input="\{UrlDecode:\{REQUEST_URI\}\}" pattern="\.\*autodiscover\\\.json\.\*Powershell\.\*"/);
  assert.match(xml, /AbortRequest/);
});

test('the published rule in web.config: info only', async () => {
  const [f] = await check({ [WEB]: webConfig([rule('PowerShell - inbound', PNS.input, PNS.pattern)]) }, OPEN_2022);
  assert.equal(f?.severity, 'info');
  assert.equal(f?.details.action, 'none');
});

test('the early {REQUEST_URI} input is flagged as bypassable', async () => {
  const [f] = await check({ [WEB]: webConfig([rule('PowerShell - inbound', '{REQUEST_URI}', PNS.pattern)]) }, OPEN_2022);
  assert.equal(f?.severity, 'medium');
  assert.equal(f?.details.action, 'fix');
});

test('look-alikes do not count as the mitigation: negated, other pattern, other action, disabled', async () => {
  const looks = [
    rule('PowerShell - inbound', PNS.input, PNS.pattern, ' negate="true"'),
    rule('PowerShell - inbound', PNS.input, '.*autodiscover.*'),
    rule('PowerShell - inbound', PNS.input, PNS.pattern, '', 'Rewrite'),
    rule('PowerShell - inbound', PNS.input, PNS.pattern).replace('stopProcessing', 'enabled="false" stopProcessing'),
  ];
  for (const l of looks) {
    const [f] = await check({ [WEB]: webConfig([l]) }, OPEN_2022);
    assert.equal(f?.severity, 'high', l);
  }
});

test('no longer needed on a fixed build: info, remove', async () => {
  const [f, ...rest] = await check({ [WEB]: webConfig([rule('PowerShell - inbound', PNS.input, PNS.pattern)]) }, posture('15.2.1118.40', []));
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'info');
  assert.equal(f?.details.action, 'remove');
});

test('a fixed build without rules: nothing to say', async () => {
  assert.deepEqual(await check({}, posture('15.2.1118.40', [])), []);
});

test('unknown build: missing rules are low', async () => {
  const findings = await check({}, null);
  assert.deepEqual(findings.map((f) => f.severity), ['low', 'low']);
});

test('backend-cookie rules in applicationHost.config (location Default Web Site), module registered or not', async () => {
  const cookie = [
    rule('X-AnonResource-Backend Abort - inbound', '{HTTP_COOKIE}', '(.*)X-AnonResource-Backend(.*)'),
    rule('X-BEResource Abort - inbound', '{HTTP_COOKIE}', '(.*)X-BEResource=(.+)/(.+)~(.+)'),
  ].join('');
  const appHost = (modules: string): string => `<?xml version="1.0"?><configuration><system.applicationHost><sites><site name="Default Web Site" id="1"><application path="/"><virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" /></application></site></sites></system.applicationHost><system.webServer><globalModules>${modules}</globalModules></system.webServer><location path="Default Web Site"><system.webServer><rewrite><rules>${cookie}</rules></rewrite></system.webServer></location></configuration>`;
  const ah = 'C/Windows/System32/inetsrv/config/applicationHost.config';
  const p = posture('15.2.721.2', ['CVE-2021-26855']);
  const [ok] = await check({ [ah]: appHost('<add name="RewriteModule" image="%SystemRoot%\\system32\\inetsrv\\rewrite.dll" />') }, p);
  assert.equal(ok?.ruleId, 'mitigation.backend-cookie');
  assert.equal(ok?.severity, 'info');
  assert.equal(ok?.evidence.path, ah);
  const [noModule] = await check({ [ah]: appHost('<add name="StaticFileModule" image="x.dll" />') }, p);
  assert.equal(noModule?.severity, 'high');
  assert.equal(noModule?.details.action, 'install-module');
});
