/**
 * Reading a build out of what an Exchange front end shows any visitor. Sources for the shapes:
 * - X-OWA-Version response header, e.g. `X-OWA-Version: 14.3.513.0` (Exchange 2010; Greenbone
 *   "Microsoft Exchange OWA Detection (HTTP)", OID 1.3.6.1.4.1.25623.1.0.105150; rapid7/metasploit-
 *   framework lib/msf/core/exploit/remote/http/exchange.rb reads it as the full build).
 * - OWA logon page resource paths: 2010 `/owa/14.3.169.1/themes/resources/favicon.ico` (4 parts);
 *   2013/2016/2019/SE `/owa/auth/15.0.1365/themes/resources/favicon.ico`,
 *   `/owa/auth/15.1.845/...`, `/owa/auth/15.2.330/...` (3 parts: the CU, not the SU) — same
 *   Greenbone script and metasploit exchange.rb ("recent versions give only a partial version").
 * - ECP export tool ClickOnce manifest `/ecp/Current/exporttool/microsoft.exchange.ediscovery.
 *   exporttool.application`: `<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.
 *   application" version="15.2.986.5" publicKeyToken="b1d1a6c45aa418ce" .../>` (metasploit
 *   exchange.rb; righel/ms-exchange-version-nse ms-exchange-version.nse and .py, which fall back
 *   to `/ecp/<build from the logon page>/exporttool/...`). Exchange 2013 and later only.
 * Everything parsed here is attacker-controlled text: it is matched, never executed or rendered.
 */
import { formatBuild, parseBuild } from '../engines/posture/build.js';

/** A build as read: normalised, and whether only 3 parts were shown. */
export interface ReadBuild {
  readonly build: string;
  readonly partial: boolean;
}

function normalise(text: string): ReadBuild | null {
  const b = parseBuild(text);
  if (b === null || b.major < 6) return null;
  return { build: formatBuild(b), partial: b.revision === null };
}

/** The X-OWA-Version header value, when it is a build number. */
export function buildFromHeader(value: string | string[] | undefined): ReadBuild | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.length > 40) return null;
  return normalise(v);
}

const LOGON_PATH_RE = /\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5}(?:\.\d{1,5})?)\/(?:themes|scripts|resources)\//g;

/** The versioned resource path of the logon page; the most frequent one when several appear. */
export function buildFromLogonPage(html: string): ReadBuild | null {
  const counts = new Map<string, number>();
  for (const m of html.matchAll(LOGON_PATH_RE)) {
    const v = m[1];
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = v;
  return best === null ? null : normalise(best);
}

const ASSEMBLY_RE = /<assemblyIdentity\b([^>]{0,2000})>/i;
const VERSION_ATTR_RE = /\bversion\s*=\s*["'](\d{1,2}\.\d{1,2}\.\d{1,5}\.\d{1,5})["']/i;

/** The 4-part version of the manifest's first assemblyIdentity (the deployment itself). */
export function buildFromManifest(xml: string): ReadBuild | null {
  const el = ASSEMBLY_RE.exec(xml)?.[1];
  if (el === undefined) return null;
  const v = VERSION_ATTR_RE.exec(el)?.[1];
  if (v === undefined) return null;
  const b = normalise(v);
  return b !== null && !b.partial ? b : null;
}

/** Markers of an OWA sign-in page (same sources as above), for telling Exchange from anything else. */
const OWA_MARKERS: readonly RegExp[] = [
  /\/owa\/(?:auth\/)?\d+\.\d+\.\d+(?:\.\d+)?\/themes\//,
  /<title>\s*Outlook(?: Web App| Web Access)?\s*<\/title>/i,
  /class="signInHeader"/,
  /To use Outlook(?: Web App| Web Access)?, browser settings must allow scripts to run/,
  /<!-- OwaPage = ASP\.auth_logon_aspx -->/,
];

export function looksLikeOwa(html: string): boolean {
  return OWA_MARKERS.some((re) => re.test(html));
}

/** The build the versioned manifest folder is named after (3 parts of a logon-page build). */
export function versionedFolder(b: ReadBuild): string {
  return b.build.split('.').slice(0, 3).join('.');
}
