/**
 * The IIS URL Rewrite mitigations Microsoft published, as data.
 *
 * CVE-2021-26855 (ProxyLogon SSRF), March 2021 "Backend cookie mitigation" (also applied by
 * EOMT.ps1): two inbound rules on the Default Web Site matching `{HTTP_COOKIE}`, action
 * AbortRequest. Source: microsoft/CSS-Exchange Security/BackendCookieMitigation.ps1 (constants
 * `$name`, `$pattern`, `$name2`, `$pattern2`), https://aka.ms/exchangevulns; the script notes
 * the rules are removed when Exchange is upgraded and must be re-applied.
 *
 * CVE-2022-41040 / CVE-2022-41082 (ProxyNotShell), EOMTv2.ps1: one inbound rule
 * "PowerShell - inbound" on the Default Web Site, condition `{UrlDecode:{REQUEST_URI}}` matching
 * `.*autodiscover\.json.*Powershell.*`, action AbortRequest; EOMTv2's summary says it must be
 * present in `%SystemDrive%\inetpub\wwwroot\web.config`. Earlier EOMTv2 versions used the input
 * `{REQUEST_URI}` (no UrlDecode), which URL-encoded requests get past. Source:
 * microsoft/CSS-Exchange Security/src/EOMTv2.ps1 (both versions), https://aka.ms/Exchangevulns2.
 */

export interface PublishedRule {
  readonly name: string;
  readonly input: string;
  readonly pattern: string;
  /** Inputs of earlier published versions that are weaker (bypassable). */
  readonly weakInputs: readonly string[];
}

export interface Mitigation {
  readonly key: string;
  readonly title: string;
  readonly cves: readonly string[];
  readonly rules: readonly PublishedRule[];
  readonly refs: readonly string[];
}

export const MITIGATIONS: readonly Mitigation[] = [
  {
    key: 'backend-cookie',
    title: 'ProxyLogon backend-cookie URL Rewrite mitigation (CVE-2021-26855)',
    cves: ['CVE-2021-26855'],
    rules: [
      { name: 'X-AnonResource-Backend Abort - inbound', input: '{HTTP_COOKIE}', pattern: '(.*)X-AnonResource-Backend(.*)', weakInputs: [] },
      { name: 'X-BEResource Abort - inbound', input: '{HTTP_COOKIE}', pattern: '(.*)X-BEResource=(.+)/(.+)~(.+)', weakInputs: [] },
    ],
    refs: [
      'https://aka.ms/exchangevulns',
      'https://github.com/microsoft/CSS-Exchange/blob/main/Security/src/BackendCookieMitigation.ps1',
    ],
  },
  {
    key: 'autodiscover-powershell',
    title: 'ProxyNotShell Autodiscover URL Rewrite mitigation (CVE-2022-41040, CVE-2022-41082)',
    cves: ['CVE-2022-41040', 'CVE-2022-41082'],
    rules: [
      { name: 'PowerShell - inbound', input: '{UrlDecode:{REQUEST_URI}}', pattern: '.*autodiscover\\.json.*Powershell.*', weakInputs: ['{REQUEST_URI}'] },
    ],
    refs: [
      'https://aka.ms/Exchangevulns2',
      'https://microsoft.github.io/CSS-Exchange/Security/EOMTv2/',
    ],
  },
];

/** The `<rule>` element to add to the Default Web Site's web.config for one published rule. */
export function ruleXml(r: PublishedRule): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return [
    `<rule name="${esc(r.name)}" stopProcessing="true">`,
    '  <match url=".*" />',
    '  <conditions>',
    `    <add input="${esc(r.input)}" pattern="${esc(r.pattern)}" />`,
    '  </conditions>',
    '  <action type="AbortRequest" />',
    '</rule>',
  ].join('\n');
}
