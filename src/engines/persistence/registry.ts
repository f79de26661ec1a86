/**
 * Autostart places in collected registry hives that attackers on Exchange servers use: service
 * images (SYSTEM `Services\*\ImagePath`, `Parameters\ServiceDll`), Run/RunOnce values (SOFTWARE,
 * its WOW6432Node view, and each user's NTUSER.DAT), Image File Execution Options `Debugger` and
 * SilentProcessExit `MonitorProcess` (SOFTWARE), and scheduled tasks as the Task Scheduler caches
 * them (SOFTWARE `Schedule\TaskCache\Tasks\{GUID}`: `Path` and the command strings of `Actions`,
 * which survive when the task's XML file was deleted). A registration is reported when it runs
 * code from a web folder, ProgramData, a temporary or user folder, or encoded PowerShell — the
 * same judgement as the scheduled-task XML check (locations.ts); an IFEO debugger is reported
 * wherever it points. Rule metadata is content (content/persistence/registry-autostarts.yaml).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { contentDir } from '../../rules/load.js';
import type { HiveFile } from '../../evidence/hives.js';
import type { Confidence, Finding, Severity } from '../../findings/types.js';
import type { ParseIssue } from '../../parsers/types.js';
import { filetimeIso, openHive, type Hive, type HiveKey, type HiveValue } from '../../parsers/regf/index.js';
import { persistenceFinding } from './finding.js';
import type { TaskKnownGood } from './known-good.js';
import { encodedPowerShell, normalizeCommandLine, riskyPlace, type PathContext } from './locations.js';

export interface RegistryRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Severity when the registration exists but does not point at a staging place. */
  readonly severityAnywhere?: Severity;
  readonly confidence: Confidence;
  readonly attack: readonly string[];
  readonly references: readonly string[];
}

type RuleName = 'service' | 'run' | 'ifeo' | 'taskcache';

let rules: Readonly<Record<RuleName, RegistryRule>> | null = null;

/** The rules of content/persistence/registry-autostarts.yaml, checked for the fields used. */
export function registryRules(): Readonly<Record<RuleName, RegistryRule>> {
  if (rules) return rules;
  const file = join(contentDir(), 'persistence', 'registry-autostarts.yaml');
  const doc = parseYaml(readFileSync(file, 'utf8')) as { rules?: Record<string, Partial<RegistryRule>> };
  const out: Partial<Record<RuleName, RegistryRule>> = {};
  for (const name of ['service', 'run', 'ifeo', 'taskcache'] as const) {
    const r = doc.rules?.[name];
    if (!r?.id || !r.title || !r.severity || !r.confidence || !Array.isArray(r.attack) || !Array.isArray(r.references) || r.references.length === 0) {
      throw new Error(`${file}: rule "${name}" lacks id, title, severity, confidence, attack or references`);
    }
    out[name] = r as RegistryRule;
  }
  rules = out as Record<RuleName, RegistryRule>;
  return rules;
}

function text(v: HiveValue | undefined): string | null {
  if (!v || (v.type !== 1 && v.type !== 2)) return null;
  const t = v.data.subarray(0, v.data.length - (v.data.length % 2)).toString('utf16le').split('\0')[0] ?? '';
  return t === '' ? null : t;
}

function value(k: HiveKey, name: string): HiveValue | undefined {
  return k.values.find((v) => v.name.toLowerCase() === name.toLowerCase());
}

/** UTF-16LE runs of printable characters in a binary value (the strings of a task's Actions). */
export function utf16Strings(data: Buffer, min = 3): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i + 1 < data.length; i += 2) {
    const c = data.readUInt16LE(i);
    if (c >= 0x20 && c !== 0x7f && c < 0xfffe) cur += String.fromCharCode(c);
    else {
      if (cur.length >= min) out.push(cur);
      cur = '';
    }
  }
  if (cur.length >= min) out.push(cur);
  return out;
}

function globMatch(pattern: string, text: string): boolean {
  const re = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^\\\\]*');
  return new RegExp(`^${re}$`).test(text);
}

/** The program of a normalized command line: the quoted part, else up to the first space. */
function firstToken(cmd: string): string {
  const t = cmd.trim();
  if (t.startsWith('"')) return t.slice(1, t.indexOf('"', 1) < 0 ? undefined : t.indexOf('"', 1));
  const exe = /^(.*?\.(?:exe|dll|bat|cmd|ps1|vbs|js))(?:\s|$)/.exec(t);
  return exe?.[1] ?? t.split(/\s/)[0] ?? t;
}

interface Hit {
  readonly rule: RuleName;
  readonly where: string;
  readonly command: string;
  readonly key: HiveKey;
  readonly anywhere?: boolean;
}

function judge(hit: Hit, hive: HiveFile, ctx: PathContext, good: TaskKnownGood): Finding | null {
  const norm = normalizeCommandLine(hit.command, ctx);
  const exe = firstToken(norm);
  if (good.commands.some((g) => globMatch(g, exe))) return null;
  const place = riskyPlace(norm, ctx);
  const encoded = encodedPowerShell(hit.command);
  const r = registryRules()[hit.rule];
  if (place === null && !encoded && !(hit.anywhere && r.severityAnywhere)) return null;
  const why = encoded ? 'runs encoded PowerShell' : place !== null ? `runs from ${place}` : 'is set';
  const severity = place !== null || encoded ? r.severity : (r.severityAnywhere ?? r.severity);
  return persistenceFinding({
    ruleId: r.id,
    title: `${r.title}: ${hit.where} ${why}`,
    severity,
    confidence: r.confidence,
    attack: r.attack,
    refs: r.references,
    path: hive.evidencePath,
    line: null,
    excerpt: `${hit.where} = ${hit.command}`,
    key: hit.where,
    time: filetimeIso(hit.key.lastWritten) ?? null,
    details: { hive: hive.kind, registryKey: hit.key.path, command: hit.command, ...(place !== null ? { place } : {}), encodedPowerShell: encoded },
  });
}

function systemHits(hive: Hive): Hit[] {
  const select = hive.key('\\Select');
  const cur = select ? value(select.key, 'Current') : undefined;
  const n = cur && cur.data.length === 4 ? cur.data.readUInt32LE(0) : 1;
  const set = `ControlSet${String(n).padStart(3, '0')}`;
  const services = hive.key(`\\${set}\\Services`);
  const hits: Hit[] = [];
  for (const svc of services?.subkeys ?? []) {
    const image = text(value(svc, 'ImagePath'));
    if (image !== null) hits.push({ rule: 'service', where: `HKLM\\SYSTEM\\${set}\\Services\\${svc.name}\\ImagePath`, command: image, key: svc });
    const params = hive.key(`${svc.path}\\Parameters`);
    const dll = params ? text(value(params.key, 'ServiceDll')) : null;
    if (params && dll !== null) hits.push({ rule: 'service', where: `HKLM\\SYSTEM\\${set}\\Services\\${svc.name}\\Parameters\\ServiceDll`, command: dll, key: params.key });
  }
  return hits;
}

function runHits(hive: Hive, prefix: string, roots: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (const root of roots) {
    for (const sub of ['Run', 'RunOnce']) {
      const k = hive.key(`${root}\\Microsoft\\Windows\\CurrentVersion\\${sub}`);
      if (!k) continue;
      for (const v of k.key.values) {
        const cmd = text(v);
        if (cmd !== null) hits.push({ rule: 'run', where: `${prefix}${root}\\Microsoft\\Windows\\CurrentVersion\\${sub}\\${v.name}`, command: cmd, key: k.key });
      }
    }
  }
  return hits;
}

function softwareHits(hive: Hive): Hit[] {
  const hits = runHits(hive, 'HKLM\\SOFTWARE', ['', '\\WOW6432Node']);
  const ifeo = hive.key('\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options');
  for (const img of ifeo?.subkeys ?? []) {
    const dbg = text(value(img, 'Debugger'));
    if (dbg !== null) hits.push({ rule: 'ifeo', where: `HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\${img.name}\\Debugger`, command: dbg, key: img, anywhere: true });
  }
  const spe = hive.key('\\Microsoft\\Windows NT\\CurrentVersion\\SilentProcessExit');
  for (const img of spe?.subkeys ?? []) {
    const mon = text(value(img, 'MonitorProcess'));
    if (mon !== null) hits.push({ rule: 'ifeo', where: `HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SilentProcessExit\\${img.name}\\MonitorProcess`, command: mon, key: img, anywhere: true });
  }
  const tasks = hive.key('\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks');
  for (const t of tasks?.subkeys ?? []) {
    const actions = value(t, 'Actions');
    if (!actions) continue;
    const name = text(value(t, 'Path')) ?? t.name;
    // The blob holds the principal ("Author", "LocalSystem") before the command, arguments and
    // working folder: keep from the first string that looks like a program or path.
    const strings = utf16Strings(actions.data);
    const first = strings.findIndex((x) => /[\\%]|\.(?:exe|bat|cmd|ps1|vbs|js|dll)\b|^(?:powershell|pwsh|cmd|rundll32|regsvr32|mshta|wscript|cscript)\b/i.test(x));
    const cmd = first < 0 ? '' : strings.slice(first).join(' ');
    if (cmd !== '') hits.push({ rule: 'taskcache', where: `HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\${t.name} (${name})`, command: cmd, key: t });
  }
  return hits;
}

/** Findings of the autostart places in every collected hive; an unreadable hive is an error. */
export async function checkRegistryAutostarts(hives: readonly HiveFile[], ctx: PathContext, good: TaskKnownGood, onError: (e: ParseIssue) => void): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const h of hives) {
    if (h.kind === 'USRCLASS') continue;
    let hive: Hive;
    try {
      hive = (await openHive(h.abs)).hive;
    } catch (e) {
      onError({ path: h.evidencePath, line: null, message: `registry hive not readable; its autostart places were not checked: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    const hits = h.kind === 'SYSTEM' ? systemHits(hive) : h.kind === 'SOFTWARE' ? softwareHits(hive) : runHits(hive, `HKU\\${h.user ?? '?'}`, ['\\Software']);
    for (const hit of hits) {
      const f = judge(hit, h, ctx, good);
      if (f) out.push(f);
    }
  }
  return out;
}
