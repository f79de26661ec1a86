/**
 * Finds the Exchange install in an evidence root (from `--exchange-path`, registry exports,
 * the default folder on any drive, or the paths applicationHost.config points at) and the
 * Exchange log folders below it.
 *
 * Log folder layout (below `<install>\Logging`):
 * - `HttpProxy\<protocol>` (Owa, Ecp, Autodiscover, ...): HttpProxy logs.
 * - `ECP\Server`, `ECP\Activity`: ECP server and activity logs.
 * - `OABGeneratorLog`: OAB generator logs.
 * - `CmdletInfra\Powershell-Proxy\Http` (Rps_Http_*.LOG) and `CmdletInfra\Powershell-Proxy\Cmdlet`
 *   (Rps_Cmdlet_*.LOG): remote PowerShell; see CrowdStrike/OWASSRF `Rps_Http-IOC.ps1`, which
 *   reads `...\V15\Logging\CmdletInfra\Powershell-Proxy\Http`. `CmdletInfra\LocalPowerShell\Cmdlet`
 *   (`*_Cmdlet_*.log`): local shell cmdlets; see SigmaHQ/sigma
 *   rules/windows/file/file_delete/file_delete_win_delete_exchange_powershell_logs.yml.
 *   Any `Http` folder below CmdletInfra is taken as rps-http and any `Cmdlet` folder as rps-cmdlet,
 *   so that other CmdletInfra sub-folders of the same shape are found too.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogFamily } from '../parsers/types.js';
import type { AppHostConfig } from './app-host-config.js';
import { decodeRegText, exchangeInstallPaths } from './reg-install-path.js';
import { readHiveSetup, type HiveFile } from './hives.js';
import type { DirEntry, EvidenceRoot } from './root.js';
import { readHead } from './walk.js';
import type { DiscoverOptions, ExchangeFoundBy, ExchangeInstall, ExchangeLogDir, FoundPath } from './sources.js';

/** Read at most this much of a `.reg` export when looking for the install path. */
const MAX_REG_BYTES = 8 * 1024 * 1024;
const INSTALL_MARKERS = ['bin', 'logging', 'frontend', 'clientaccess'];

/** Sub-folders of a folder (following links only while they stay inside the root). */
export async function childDirs(root: EvidenceRoot, abs: string): Promise<DirEntry[]> {
  const out: DirEntry[] = [];
  for (const e of (await root.listDir(abs)) ?? []) {
    if (e.type === 'dir') out.push(e);
    else if (e.type === 'link' && (await root.contains(e.abs))) {
      const st = await fs.stat(e.abs).catch(() => null);
      if (st?.isDirectory()) out.push(e);
    }
  }
  return out;
}

export function found(root: EvidenceRoot, abs: string): FoundPath {
  return { abs, evidencePath: root.toEvidencePath(abs) };
}

async function versionOf(root: EvidenceRoot, abs: string, hint: 'V15' | 'V14' | null): Promise<'V15' | 'V14'> {
  const name = path.basename(abs).toUpperCase();
  if (name === 'V14' || name === 'V15') return name;
  if (hint) return hint;
  if (await root.resolveUnder(abs, 'FrontEnd')) return 'V15';
  return (await root.resolveUnder(abs, 'ClientAccess')) ? 'V14' : 'V15';
}

async function looksInstalled(root: EvidenceRoot, abs: string): Promise<boolean> {
  const names = ((await root.listDir(abs)) ?? []).map((e) => e.name.toLowerCase());
  return INSTALL_MARKERS.some((m) => names.includes(m));
}

async function install(root: EvidenceRoot, abs: string, foundBy: ExchangeFoundBy, hint: 'V15' | 'V14' | null): Promise<ExchangeInstall> {
  const win = root.toWinPath(abs);
  return {
    ...found(root, abs),
    version: await versionOf(root, abs, hint),
    foundBy,
    winPath: win === null ? null : win.endsWith('\\') ? win : `${win}\\`,
  };
}

/** `--exchange-path`: a Windows path, or relative to the root, the drive or the working folder. */
async function fromOption(root: EvidenceRoot, given: string): Promise<string | null> {
  const windowsLike = /^[A-Za-z]:|^\\|%/.test(given);
  if (windowsLike) return root.resolveWin(given);
  const viaRoot = (await root.resolveUnder(root.abs, given)) ?? (await root.resolveUnder(root.driveAbs, given));
  if (viaRoot) return viaRoot;
  const local = path.resolve(given);
  return (await root.contains(local)) ? local : null;
}

async function fromRegistry(root: EvidenceRoot, regFiles: readonly FoundPath[]): Promise<ExchangeInstall | null> {
  for (const f of regFiles) {
    const buf = await readHead(f.abs, MAX_REG_BYTES).catch(() => null);
    if (!buf) continue;
    for (const p of exchangeInstallPaths(decodeRegText(buf))) {
      const abs = await root.resolveWin(p.path);
      if (abs) return install(root, abs, 'registry', p.version);
    }
  }
  return null;
}

async function fromDefaultFolder(root: EvidenceRoot): Promise<ExchangeInstall | null> {
  const drives = [root.driveAbs, ...[...root.drives.values()].filter((d) => d !== root.driveAbs)];
  for (const drive of drives) {
    for (const v of ['V15', 'V14'] as const) {
      const abs = await root.resolveUnder(drive, `Program Files/Microsoft/Exchange Server/${v}`);
      if (abs && (await looksInstalled(root, abs))) return install(root, abs, 'folder', v);
    }
  }
  return null;
}

/** The install folder as the prefix of a literal `...\FrontEnd\HttpProxy\...` or `...\ClientAccess\...` path. */
async function fromAppHost(root: EvidenceRoot, conf: AppHostConfig | null): Promise<ExchangeInstall | null> {
  for (const vd of conf?.virtualDirectories ?? []) {
    const m = /^(.*?)[\\/](?:FrontEnd[\\/]HttpProxy|ClientAccess)(?:[\\/]|$)/i.exec(vd.physicalPath);
    if (!m?.[1] || /%ExchangeInstallPath%/i.test(m[1])) continue;
    const abs = await root.resolveWin(m[1]);
    if (abs && (await looksInstalled(root, abs))) return install(root, abs, 'applicationHost', null);
  }
  return null;
}

/** MsiInstallPath of the Exchange Setup key in the SOFTWARE hive(s). */
async function fromHive(root: EvidenceRoot, hives: readonly HiveFile[], opts: DiscoverOptions): Promise<ExchangeInstall | null> {
  for (const h of hives.filter((x) => x.kind === 'SOFTWARE')) {
    let setup;
    try {
      setup = await readHiveSetup(h.abs);
    } catch (e) {
      opts.onError({ path: h.evidencePath, line: null, message: `registry hive not readable: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    if (setup?.installPath == null) continue;
    const abs = await root.resolveWin(setup.installPath);
    if (abs) return install(root, abs, 'registry', setup.version);
  }
  return null;
}

export async function findExchange(
  root: EvidenceRoot,
  conf: AppHostConfig | null,
  regFiles: readonly FoundPath[],
  opts: DiscoverOptions,
  hives: readonly HiveFile[] = [],
): Promise<ExchangeInstall | null> {
  if (opts.exchangePath !== undefined && opts.exchangePath !== '') {
    const abs = await fromOption(root, opts.exchangePath);
    if (abs) return install(root, abs, 'option', null);
    opts.onError({ path: opts.exchangePath, line: null, message: 'the Exchange path given is not in the evidence; looking in the usual places' });
  }
  return (await fromRegistry(root, regFiles)) ?? (await fromHive(root, hives, opts)) ?? (await fromDefaultFolder(root)) ?? (await fromAppHost(root, conf));
}

async function logDir(root: EvidenceRoot, base: string, rel: string, family: LogFamily): Promise<ExchangeLogDir[]> {
  const abs = await root.resolveUnder(base, rel);
  return abs ? [{ ...found(root, abs), family, name: rel }] : [];
}

/** `Http` and `Cmdlet` folders up to three levels below CmdletInfra. */
async function cmdletInfraDirs(root: EvidenceRoot, infra: string): Promise<ExchangeLogDir[]> {
  const out: ExchangeLogDir[] = [];
  const visit = async (abs: string, rel: string, depth: number): Promise<void> => {
    for (const d of await childDirs(root, abs)) {
      const sub = rel ? `${rel}/${d.name}` : d.name;
      const lower = d.name.toLowerCase();
      if (lower === 'http') out.push({ ...found(root, d.abs), family: 'rps-http', name: sub });
      else if (lower === 'cmdlet') out.push({ ...found(root, d.abs), family: 'rps-cmdlet', name: sub });
      else if (depth < 3) await visit(d.abs, sub, depth + 1);
    }
  };
  await visit(infra, '', 1);
  return out;
}

export async function findExchangeLogDirs(root: EvidenceRoot, exchange: ExchangeInstall): Promise<ExchangeLogDir[]> {
  const logging = await root.resolveUnder(exchange.abs, 'Logging');
  if (!logging) return [];
  const out: ExchangeLogDir[] = [];
  const proxy = await root.resolveUnder(logging, 'HttpProxy');
  if (proxy) {
    for (const d of await childDirs(root, proxy)) out.push({ ...found(root, d.abs), family: 'httpproxy', name: d.name });
  }
  out.push(...(await logDir(root, logging, 'ECP/Server', 'ecp-server')));
  out.push(...(await logDir(root, logging, 'ECP/Activity', 'ecp-activity')));
  out.push(...(await logDir(root, logging, 'OABGeneratorLog', 'oab')));
  const infra = await root.resolveUnder(logging, 'CmdletInfra');
  if (infra) out.push(...(await cmdletInfraDirs(root, infra)));
  return out;
}
