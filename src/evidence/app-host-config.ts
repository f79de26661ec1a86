/**
 * Reads IIS `applicationHost.config` (Windows/System32/inetsrv/config): the sites with their
 * log folders, their applications and virtual directories, and the native (`globalModules`)
 * and managed (`modules`) module lists. The file is attacker-reachable: it is size-capped,
 * validated, parsed without entity expansion and navigated defensively. Paths stay Windows
 * strings here (with their `%VARS%`); root.ts maps them onto the evidence.
 * Schema: https://learn.microsoft.com/iis/configuration/system.applicationhost/sites/ and
 * .../system.applicationhost/log/ (centralLogFileMode, centralW3CLogFile).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { trimEndChar } from './trim.js';

export interface IisVirtualDirectory {
  readonly site: string;
  readonly siteId: number | null;
  /** Path of the application (`/owa`, or `/` for the site root). */
  readonly application: string;
  /** The URL path it serves: application path + directory path (`/owa`, `/aspnet_client`). */
  readonly virtualPath: string;
  /** As written, Windows path with `%VARS%` (e.g. `%ExchangeInstallPath%FrontEnd\HttpProxy\owa`). */
  readonly physicalPath: string;
  readonly applicationPool: string | null;
}

export interface IisSite {
  readonly name: string;
  readonly id: number | null;
  /** Folder holding this site's `W3SVC<id>` log folder (site setting, else siteDefaults). */
  readonly logDirectory: string | null;
  readonly logFormat: string | null;
  readonly bindings: readonly string[];
  readonly virtualDirectories: readonly IisVirtualDirectory[];
}

export interface IisModule {
  readonly name: string;
  /** `globalModules`: a native DLL with an `image`; `modules`: a managed `type` or a native name. */
  readonly list: 'globalModules' | 'modules';
  readonly image: string | null;
  readonly type: string | null;
  readonly preCondition: string | null;
  /** `path` of the enclosing `<location>`, or null at server level. */
  readonly location: string | null;
}

export interface AppHostConfig {
  readonly sites: readonly IisSite[];
  readonly virtualDirectories: readonly IisVirtualDirectory[];
  readonly defaultLogDirectory: string | null;
  /** `Site` (one folder per site, the default), `CentralW3C` or `CentralBinary`. */
  readonly centralLogFileMode: string | null;
  readonly centralW3CLogDirectory: string | null;
  readonly globalModules: readonly IisModule[];
  readonly modules: readonly IisModule[];
}

/** Largest applicationHost.config accepted (real ones are well under 1 MB). */
export const MAX_APPHOST_BYTES = 16 * 1024 * 1024;

type XmlNode = Record<string, unknown>;

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and numeric references; nothing else. */
function decodeXmlText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, ref: string) => {
    if (!ref.startsWith('#')) return XML_ENTITIES[ref] ?? m;
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

const parser = (): XMLParser =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    allowBooleanAttributes: true,
    parseAttributeValue: false,
    parseTagValue: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
    attributeValueProcessor: (_name: string, value: string) => decodeXmlText(value),
  });

function kids(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = Object.hasOwn(node, name) ? (node as XmlNode)[name] : undefined;
  return Array.isArray(v) ? v.filter((x): x is XmlNode => !!x && typeof x === 'object') : [];
}

/** Descends through `names` from one node or a list of nodes; every match, in order. */
function path1(from: XmlNode | readonly XmlNode[] | undefined, ...names: string[]): XmlNode[] {
  let cur: XmlNode[] = from === undefined ? [] : Array.isArray(from) ? [...(from as XmlNode[])] : [from as XmlNode];
  for (const n of names) cur = cur.flatMap((c) => kids(c, n));
  return cur;
}

function attr(node: XmlNode | undefined, name: string): string | null {
  const v = node && Object.hasOwn(node, `@${name}`) ? node[`@${name}`] : undefined;
  return typeof v === 'string' ? v : null;
}

function joinVirtual(app: string, dir: string): string {
  const a = trimEndChar(app, '/');
  const d = dir === '/' ? '' : dir.startsWith('/') ? dir : `/${dir}`;
  return `${a}${d}` || '/';
}

function readSite(site: XmlNode, defaults: { dir: string | null; format: string | null }): IisSite {
  const name = attr(site, 'name') ?? '';
  const idText = attr(site, 'id');
  const id = idText !== null && /^\d{1,10}$/.test(idText) ? Number(idText) : null;
  const log = kids(site, 'logFile')[0];
  const vdirs: IisVirtualDirectory[] = [];
  for (const app of kids(site, 'application')) {
    const appPath = attr(app, 'path') ?? '/';
    for (const vd of kids(app, 'virtualDirectory')) {
      const physicalPath = attr(vd, 'physicalPath');
      if (physicalPath === null) continue;
      vdirs.push({
        site: name,
        siteId: id,
        application: appPath,
        virtualPath: joinVirtual(appPath, attr(vd, 'path') ?? '/'),
        physicalPath,
        applicationPool: attr(app, 'applicationPool'),
      });
    }
  }
  return {
    name,
    id,
    logDirectory: attr(log, 'directory') ?? defaults.dir,
    logFormat: attr(log, 'logFormat') ?? defaults.format,
    bindings: path1(site, 'bindings', 'binding').map((b) => `${attr(b, 'protocol') ?? '?'} ${attr(b, 'bindingInformation') ?? ''}`),
    virtualDirectories: vdirs,
  };
}

function readModules(webServer: XmlNode, list: IisModule['list'], location: string | null): IisModule[] {
  return path1(webServer, list, 'add').flatMap((m) => {
    const name = attr(m, 'name');
    if (name === null) return [];
    return [{ name, list, image: attr(m, 'image'), type: attr(m, 'type'), preCondition: attr(m, 'preCondition'), location }];
  });
}

/** Thrown for input that is not a well-formed applicationHost.config. */
export class AppHostConfigError extends Error {
  override readonly name = 'AppHostConfigError';
}

/** Parses the text of an applicationHost.config. Throws AppHostConfigError (one line). */
export function parseAppHostConfig(text: string): AppHostConfig {
  if (text.length > MAX_APPHOST_BYTES) throw new AppHostConfigError('applicationHost.config is too large to be real');
  const body = text.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body, { allowBooleanAttributes: true });
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new AppHostConfigError(`applicationHost.config is not well-formed XML (line ${line}: ${msg})`.replace(/[\r\n]+/g, ' '));
  }
  let doc: unknown;
  try {
    doc = parser().parse(body);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new AppHostConfigError(`applicationHost.config could not be parsed: ${msg}`.replace(/[\r\n]+/g, ' '));
  }
  const conf = kids(doc, 'configuration')[0];
  if (!conf) throw new AppHostConfigError('applicationHost.config has no <configuration> element');
  const host = path1(conf, 'system.applicationHost');
  const sitesEl = path1(host, 'sites');
  const defaultsLog = path1(sitesEl, 'siteDefaults', 'logFile')[0];
  const defaults = { dir: attr(defaultsLog, 'directory'), format: attr(defaultsLog, 'logFormat') };
  const sites = path1(sitesEl, 'site').map((s) => readSite(s, defaults));
  const logEl = path1(host, 'log')[0];
  const webServers = path1(conf, 'system.webServer');
  const located = path1(conf, 'location').flatMap((loc) =>
    path1(loc, 'system.webServer').map((ws) => ({ ws, where: attr(loc, 'path') ?? '' })),
  );
  const all = [...webServers.map((ws) => ({ ws, where: null as string | null })), ...located];
  return {
    sites,
    virtualDirectories: sites.flatMap((s) => s.virtualDirectories),
    defaultLogDirectory: defaults.dir,
    centralLogFileMode: attr(logEl, 'centralLogFileMode'),
    centralW3CLogDirectory: attr(path1(logEl, 'centralW3CLogFile')[0], 'directory'),
    globalModules: all.flatMap(({ ws, where }) => readModules(ws, 'globalModules', where)),
    modules: all.flatMap(({ ws, where }) => readModules(ws, 'modules', where)),
  };
}
