/**
 * Built-in file detectors that need no YARA: structure anomalies of script files in web
 * folders (PST/DER/binary content, script in OAB ExternalUrl/InternalUrl, stray App_Web_*.dll)
 * and planted artifacts (lsass dumps, staged archives, batch files in Windows/Temp).
 */
import type { Category, Confidence, Severity } from '../../findings/types.js';
import { binaryRatio, type FileContent } from './content.js';
import { SCRIPT_EXTENSIONS, baseNameOf, extensionOf, magicOf } from './classify.js';
import { scriptDataFlows } from './script-flow.js';

export interface ScanContext {
  /** The file sits in a folder IIS serves. */
  readonly webExposed: boolean;
  /** The file sits in a place attackers stage things (ProgramData, Windows/Temp, ...). */
  readonly artifactDir: boolean;
}

export interface BuiltinHit {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly category: Category;
  readonly attack: readonly string[];
  readonly reason: string;
  readonly offset: number;
  readonly refs: readonly string[];
}

const REF_PROXYSHELL = 'https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-321a';
const REF_HAFNIUM = 'https://www.microsoft.com/en-us/security/blog/2021/03/02/hafnium-targeting-exchange-servers/';
const REF_OAB = 'https://www.microsoft.com/en-us/security/blog/2021/03/25/analyzing-attacks-taking-advantage-of-the-exchange-server-vulnerabilities/';
const REF_LSASS = 'https://attack.mitre.org/techniques/T1003/001/';
const REF_STAGE = 'https://attack.mitre.org/techniques/T1074/001/';
const REF_PROXYLOGON_SCRIPT = 'https://github.com/microsoft/CSS-Exchange/blob/main/Security/src/Test-ProxyLogon.ps1';

/** `lsass…dmp` (Test-ProxyLogon's `lsass.*dmp`, widened to any separator: `lsass_1.dmp`, `lsass.exe.dmp`, `lsass.dmp.gz` is not). */
const LSASS_DUMP_NAME = /^lsass.*dmp$/;

/** Server-side code: ASP/ASP.NET script blocks, `eval(`, request access. */
export const SCRIPT_MARK = /<%|<script[^>]{0,80}runat|eval\s*\(|Request\s*[.[(]/i;
const OAB_PATH = /oab|\.xml$|\.config$|\.aspx$/i;
const OAB_SCRIPT = /(External|Internal)Url[^\n]{0,400}?(<script|runat\s*=|<%|eval\s*\(|Request\s*[.[(])/i;

/** Structure anomalies: script files whose bytes are not a script. */
export function structureAnomalies(path: string, c: FileContent, ctx: ScanContext): BuiltinHit[] {
  const hits: BuiltinHit[] = [];
  const ext = extensionOf(path);
  if (SCRIPT_EXTENSIONS.has(ext) && ctx.webExposed && c.buf.length > 0) {
    const magic = magicOf(c.buf);
    const hasScript = SCRIPT_MARK.test(c.buf.toString('latin1'));
    const sev: Severity = hasScript ? 'critical' : 'high';
    if (magic === 'pst') {
      hits.push(hit('exhunt:script-file-pst-header', `Script file (${ext}) that is a PST mailbox export`, sev,
        'Starts with the PST header !BDN: a mailbox exported into a web folder (ProxyShell shell drop)', [REF_PROXYSHELL]));
    } else if (magic === 'der') {
      hits.push(hit('exhunt:script-file-der-header', `Script file (${ext}) with DER/PKCS content`, sev,
        'Starts with a DER SEQUENCE: a certificate/PKCS blob written as a script (certificate-export shell drop)', [REF_PROXYSHELL]));
    } else if (magic !== 'pe' && !isKnownData(c.buf) && binaryRatio(c.buf) > 0.3) {
      hits.push(hit('exhunt:script-file-binary', `Script file (${ext}) that is mostly binary`, hasScript ? 'critical' : 'low',
        'More than 30% of the first 4 KiB are control bytes: not a hand-written page', [REF_PROXYSHELL]));
    }
  }
  const oab = OAB_PATH.test(path) && c.buf.includes('Url') ? OAB_SCRIPT.exec(c.buf.toString('latin1')) : null;
  if (oab) {
    hits.push(hit('exhunt:oab-url-script', 'Script inside an OAB ExternalUrl/InternalUrl', 'critical',
      'The OAB virtual directory URL carries server-side script (China Chopper planted via Set-OabVirtualDirectory)', [REF_HAFNIUM, REF_OAB], oab.index));
  }
  const name = baseNameOf(path);
  if (/^App_Web_[A-Za-z0-9_.-]+\.dll$/i.test(name) && !/temporary asp\.net files/i.test(path)) {
    hits.push(hit('exhunt:stray-app-web-dll', 'Compiled page assembly (App_Web_*.dll) outside the ASP.NET temp folders', 'medium',
      'App_Web_*.dll files are produced by ASP.NET compilation under Temporary ASP.NET Files; elsewhere they are precompiled pages someone placed', [REF_OAB]));
  }
  return hits;
}

const REF_T1505 = 'https://attack.mitre.org/techniques/T1505/003/';
const REF_WSH_RUN = 'https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/windows-scripting/d5fk67ky(v=vs.84)';
const REF_FSO = 'https://learn.microsoft.com/en-us/office/vba/language/reference/user-interface-help/filesystemobject-object';
const REF_EXECUTE = 'https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/scripting-articles/03t418d2(v=vs.84)';

/**
 * Behaviours of server-side script found by following its data: request data (or code spelled
 * from pieces) reaching Execute/ExecuteGlobal/Eval, the command line of a shell object, or a
 * file-system path outside Server.MapPath.
 */
export function scriptBehaviours(c: FileContent): BuiltinHit[] {
  if (c.buf.length === 0 || c.buf.length > 4 * 1024 * 1024) return [];
  return scriptDataFlows(c.buf.toString('latin1')).map((flow) => {
    const via = flow.chain.length > 0 ? `flows through ${flow.chain.join(' → ')} and ` : '';
    const from = `at offset ${flow.sourceOffset}`;
    const at = `at offset ${flow.execOffset}`;
    if (flow.sink === 'process') {
      return hit('exhunt:asp-process-request-dataflow', 'Request data reaches the command line of a shell object', 'critical',
        `Data read from the request ${from} ${via}is run as a program through WScript.Shell/Shell.Application ${at} (command-execution web shell)`,
        [REF_T1505, REF_WSH_RUN], flow.execOffset, ['T1505.003', 'T1059.003']);
    }
    if (flow.sink === 'file') {
      return hit('exhunt:asp-file-request-dataflow', 'Request data chooses a file-system path outside the site', 'high',
        `Data read from the request ${from} ${via}is used ${at} as a path for creating, deleting, copying or moving files, not confined by Server.MapPath (web file manager / uploader)`,
        [REF_T1505, REF_FSO], flow.execOffset);
    }
    if (flow.source === 'request') {
      return hit('exhunt:asp-exec-request-dataflow', 'Request data reaches Execute/Eval through variables', 'critical',
        `Data read from the request/raw body/remote download ${from} ${via}is executed as code ${at} (web shell: the visitor sends the code)`,
        [REF_T1505, REF_EXECUTE], flow.execOffset);
    }
    return hit('exhunt:asp-exec-assembled-dataflow', 'Code spelled from pieces at run time and executed', 'high',
      `A string built with Join/Array/Chr/StrReverse or from tiny pieces ${from} ${via}is executed as code ${at}: the code is hidden from review (obfuscated web shell)`,
      [REF_T1505, REF_EXECUTE], flow.execOffset);
  });
}

/** Artifacts: credential dumps, archives staged for theft, scripts dropped in Windows/Temp. */
export function artifacts(path: string, c: FileContent, ctx: ScanContext): BuiltinHit[] {
  const hits: BuiltinHit[] = [];
  const magic = magicOf(c.buf);
  const lower = path.toLowerCase();
  const staging = ctx.artifactDir || /(^|\/)programdata\//.test(lower);
  const dumpPlace = staging || /(^|\/)(windows\/temp|root)\//.test(lower);
  if (magic !== 'mdmp' && dumpPlace && LSASS_DUMP_NAME.test(baseNameOf(lower))) {
    // Microsoft's Test-ProxyLogon.ps1 reports `lsass*dmp` files in C:\root and %WINDIR%\temp by
    // name alone: a dump compressed, encrypted or with its header overwritten is still one.
    hits.push(artifact('exhunt:lsass-dump-name', 'File named like an LSASS dump in a staging folder', 'high', 'medium',
      'Named like an LSASS memory dump (lsass…dmp) in a folder attackers stage in, without a minidump header (compressed, encrypted or altered): credential theft', ['T1003.001'], [REF_LSASS, REF_PROXYLOGON_SCRIPT]));
  }
  if (magic === 'mdmp') {
    const lsassName = /lsass/.test(baseNameOf(lower));
    const lsassBody = c.buf.includes('lsass', 0, 'latin1') || c.buf.includes('lsass', 0, 'utf16le');
    if (lsassName || lsassBody) {
      hits.push(artifact('exhunt:lsass-dump', 'LSASS process memory dump', 'critical', 'high',
        `Minidump (MDMP header) of lsass (${lsassName ? 'file name' : 'content'} names lsass): credential theft`, ['T1003.001'], [REF_LSASS]));
    } else if (staging) {
      hits.push(artifact('exhunt:minidump-staged', 'Process memory dump in a staging folder', 'medium', 'medium',
        'Minidump (MDMP header) in a folder attackers use for staging', ['T1003'], [REF_LSASS]));
    }
  }
  const archiveMagic = magic === 'zip' || magic === '7z' || magic === 'rar' || magic === 'cab';
  if (!archiveMagic && staging && /\.(7z|zip|rar)$/.test(lower)) {
    // Test-ProxyLogon.ps1 reports .7z/.zip/.rar files under ProgramData by extension alone.
    hits.push(artifact('exhunt:archive-name-staged', `File named as an archive (${extensionOf(path)}) staged in ${stagingName(lower)}`, 'medium', 'low',
      'Named as an archive in a staging folder but without the format\'s header (a later volume, encrypted or altered): possibly data collected for theft', ['T1074.001', 'T1560.001'], [REF_HAFNIUM, REF_PROXYLOGON_SCRIPT]));
  }
  if (archiveMagic && staging) {
    hits.push(artifact('exhunt:archive-staged', `Archive (${magic}) staged in ${stagingName(lower)}`, 'high', 'medium',
      `A ${magic} archive in a staging folder: data collected for theft (HAFNIUM staged 7z/zip archives in ProgramData)`, ['T1074.001', 'T1560.001'], [REF_HAFNIUM, REF_STAGE]));
  }
  if (/(^|\/)windows\/temp\/.*\.(bat|cmd|ps1|vbs|hta)$/.test(lower)) {
    hits.push(artifact('exhunt:script-in-windows-temp', `Script file (${extensionOf(path)}) in Windows/Temp`, 'medium', 'low',
      'Batch/PowerShell files in C:\\Windows\\Temp are how exploited servers ran follow-up commands', ['T1059'], [REF_HAFNIUM]));
  }
  return hits;
}

/**
 * Data formats applications store under script-like names: SQLite files named .config, Access
 * (Jet/ACE) databases named .asp so that IIS will not serve them for download. Code an attacker
 * hides inside such a database is still matched by the YARA rules on the same bytes.
 */
function isKnownData(buf: Buffer): boolean {
  if (buf.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return true;
  const jet = buf.subarray(4, 20).toString('latin1');
  return buf.length >= 20 && buf.readUInt32BE(0) === 0x00010000 && (jet === 'Standard Jet DB\u0000' || jet === 'Standard ACE DB\u0000');
}

function stagingName(lowerPath: string): string {
  return /(^|\/)programdata\//.test(lowerPath) ? 'ProgramData' : 'a staging folder';
}

function hit(ruleId: string, title: string, severity: Severity, reason: string, refs: string[], offset = 0, attack = ['T1505.003']): BuiltinHit {
  return { ruleId, title, severity, confidence: 'high', category: 'webshell', attack, reason, offset, refs };
}

function artifact(
  ruleId: string, title: string, severity: Severity, confidence: Confidence, reason: string,
  attack: string[], refs: string[],
): BuiltinHit {
  return { ruleId, title, severity, confidence, category: 'artifact', attack, reason, offset: 0, refs };
}
