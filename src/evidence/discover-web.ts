/**
 * The web side of discovery: applicationHost.config, the IIS log folders it names (else the
 * default `inetpub\logs\LogFiles\W3SVC*`), and the web-exposed folders (its virtual
 * directories, plus the Exchange FrontEnd/HttpProxy and ClientAccess folders and wwwroot).
 */
import { AppHostConfigError, MAX_APPHOST_BYTES, parseAppHostConfig } from './app-host-config.js';
import type { AppHostConfig } from './app-host-config.js';
import { childDirs, found } from './discover-exchange.js';
import { fsErrorText } from './errors.js';
import type { EvidenceRoot } from './root.js';
import type { AppHostSource, DiscoverOptions, ExchangeInstall, IisLogDir, WebDir } from './sources.js';
import { readHead } from './walk.js';

const APPHOST_WIN_PATH = '%SystemRoot%\\System32\\inetsrv\\config\\applicationHost.config';

export async function loadAppHost(root: EvidenceRoot, opts: DiscoverOptions): Promise<AppHostSource | null> {
  const abs = await root.resolveWin(APPHOST_WIN_PATH);
  if (!abs) return null;
  const where = found(root, abs);
  try {
    const buf = await readHead(abs, MAX_APPHOST_BYTES + 1);
    const text = buf[0] === 0xff && buf[1] === 0xfe ? buf.subarray(2).toString('utf16le') : buf.toString('utf8');
    return { ...where, config: parseAppHostConfig(text) };
  } catch (e) {
    const message = e instanceof AppHostConfigError ? e.message : `cannot read applicationHost.config (${fsErrorText(e)})`;
    opts.onError({ path: where.evidencePath, line: null, message });
    return { ...where, config: null };
  }
}

/** `W3SVC<n>` folders directly below `dirAbs`, by site id (`null` for a bare `W3SVC`). */
async function w3svcDirs(root: EvidenceRoot, dirAbs: string): Promise<{ abs: string; id: number | null }[]> {
  const out: { abs: string; id: number | null }[] = [];
  for (const d of await childDirs(root, dirAbs)) {
    const m = /^W3SVC(\d{0,10})$/i.exec(d.name);
    if (m) out.push({ abs: d.abs, id: m[1] ? Number(m[1]) : null });
  }
  return out;
}

export async function findIisLogDirs(root: EvidenceRoot, conf: AppHostConfig | null): Promise<IisLogDir[]> {
  const out = new Map<string, IisLogDir>();
  const siteById = new Map((conf?.sites ?? []).flatMap((s) => (s.id === null ? [] : [[s.id, s.name] as const])));
  const add = async (winDir: string | null, origin: IisLogDir['origin']): Promise<void> => {
    if (winDir === null) return;
    const dir = await root.resolveWin(winDir);
    if (!dir) return;
    for (const w of await w3svcDirs(root, dir)) {
      if (out.has(w.abs)) continue;
      const site = w.id === null ? null : (siteById.get(w.id) ?? null);
      out.set(w.abs, { ...found(root, w.abs), site, siteId: w.id, origin });
    }
  };
  for (const s of conf?.sites ?? []) await add(s.logDirectory, 'applicationHost');
  await add(conf?.defaultLogDirectory ?? null, 'applicationHost');
  await add(conf?.centralW3CLogDirectory ?? null, 'applicationHost');
  for (const letter of root.drives.keys()) await add(`${letter}:\\inetpub\\logs\\LogFiles`, 'default');
  return [...out.values()];
}

async function defaultWebDirs(root: EvidenceRoot, exchange: ExchangeInstall | null): Promise<WebDir[]> {
  const out: WebDir[] = [];
  const wwwroot = await root.resolveWin('%SystemDrive%\\inetpub\\wwwroot');
  if (wwwroot) out.push({ ...found(root, wwwroot), virtualPath: '/', site: 'Default Web Site', origin: 'default' });
  if (!exchange) return out;
  for (const [rel, site] of [['FrontEnd/HttpProxy', 'Default Web Site'], ['ClientAccess', 'Exchange Back End']] as const) {
    const base = await root.resolveUnder(exchange.abs, rel);
    if (!base) continue;
    for (const d of await childDirs(root, base)) out.push({ ...found(root, d.abs), virtualPath: null, site, origin: 'default' });
  }
  return out;
}

/** Resolved virtual directories of applicationHost.config, then the default folders not already inside one. */
export async function findWebDirs(root: EvidenceRoot, conf: AppHostConfig | null, exchange: ExchangeInstall | null): Promise<WebDir[]> {
  const vars: Record<string, string> = exchange?.winPath ? { ExchangeInstallPath: exchange.winPath } : {};
  const out: WebDir[] = [];
  const seen = new Set<string>();
  for (const vd of conf?.virtualDirectories ?? []) {
    const abs = await root.resolveWin(vd.physicalPath, vars);
    if (!abs || seen.has(abs)) continue;
    seen.add(abs);
    out.push({ ...found(root, abs), virtualPath: vd.virtualPath, site: vd.site, origin: 'applicationHost' });
  }
  const covered = [...out];
  for (const d of await defaultWebDirs(root, exchange)) {
    const inside = covered.some((c) => d.evidencePath === c.evidencePath || d.evidencePath.startsWith(`${c.evidencePath}/`));
    if (!inside && !seen.has(d.abs)) {
      seen.add(d.abs);
      out.push(d);
    }
  }
  return out;
}
