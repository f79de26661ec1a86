/**
 * CVE-2021-26858 in the OAB generator log: the path of "Download failed and temporary file
 * <path> needs to be removed", judged against the real install's OAB folder.
 *
 * Microsoft's Test-ProxyLogon.ps1 (microsoft/CSS-Exchange, Security/src) flags a logged path
 * that does not start with `<install>ClientAccess\OAB` (the install from the registry's
 * MsiInstallPath); Microsoft's HAFNIUM guidance says the OAB generator should only download
 * to `...\V15\ClientAccess\OAB\Temp`. A containment test on the text (`\ClientAccess\OAB\`
 * anywhere) is satisfied by look-alikes: a nested folder of that name under a web folder, a
 * UNC path to the server's own admin share, `..` segments. So the path is resolved first:
 *
 * - only a plain drive-absolute path can be inside the install (UNC `\\host\share\...`,
 *   device and verbatim prefixes `\\?\`, `\\.\`, `\??\`, drive-relative and relative paths are
 *   judged `unusual-form`); `/` counts as `\`;
 * - `.` and `..` segments and Win32's silent trimming of trailing dots and spaces in a segment
 *   are judged `traversal` whatever they resolve to (Exchange never writes them);
 * - the resolved path must lie below `<install>\ClientAccess\OAB\`, compared
 *   case-insensitively (a `:` past the drive, an alternate data stream, is `unusual-form`);
 *   the install comes from where the log itself lies
 *   (`<install>\Logging\OABGeneratorLog\...`), else (a log read on its own) any folder that
 *   looks like an install (`...\V14` or `...\V15`, or ending `Exchange Server`) with no web
 *   folder (inetpub, wwwroot, aspnet_client, FrontEnd, owa, ecp) above it, and the judgement
 *   says so (`outside-install` / `inside-assumed-install`);
 * - inside the OAB folder (which IIS serves as /OAB), a file with a server-side script
 *   extension is judged `script-in-oab`: the generator downloads OAB files, not pages.
 */

export type OabTempCheck =
  | 'inside'
  | 'inside-assumed-install'
  | 'outside-install'
  | 'unusual-form'
  | 'traversal'
  | 'script-in-oab'
  | 'no-path';

const LINE = /Download failed and temporary file (.*?) needs to be removed/i;

/** Page and handler extensions IIS runs (a file written with one of them is a web shell). */
const SCRIPT_EXT = /\.(aspx?|ashx|asmx|asa|asax|ascx|axd|cshtml|vbhtml|config|svc|soap|rem|cer|shtml?|stm|php\d?|jspx?)$/i;

const WEB_FOLDERS = new Set(['inetpub', 'wwwroot', 'aspnet_client', 'frontend', 'httpproxy', 'owa', 'ecp']);

/** The logged path of a "Download failed and temporary file" line, quotes removed; null if none. */
export function oabTempPathOf(message: string): string | null {
  const m = LINE.exec(message);
  if (!m) return null;
  let p = (m[1] ?? '').trim();
  for (const q of ["'", '"']) if (p.length >= 2 && p.startsWith(q) && p.endsWith(q)) p = p.slice(1, -1);
  return p.trim();
}

/**
 * The install folder (Windows form, segments) of a log at `logPath` (evidence path with `/`,
 * e.g. `C/Program Files/Microsoft/Exchange Server/V15/Logging/OABGeneratorLog/x.log`, or a
 * Windows path when run on the server): its drive letter when the path begins with one (`C:`
 * or a one-letter evidence folder), and the segments before `Logging/OABGeneratorLog`.
 */
export function installOfLog(logPath: string): { drive: string | null; segments: string[] } | null {
  const parts = logPath.replace(/\\/g, '/').split('/').filter((s) => s !== '');
  const i = parts.findIndex((p, k) => p.toLowerCase() === 'logging' && parts[k + 1]?.toLowerCase() === 'oabgeneratorlog');
  if (i <= 0) return null;
  let before = parts.slice(0, i);
  let drive: string | null = null;
  const first = before[0] ?? '';
  if (/^[A-Za-z]:?$/.test(first)) {
    drive = first.charAt(0).toUpperCase();
    before = before.slice(1);
  }
  return before.length ? { drive, segments: before } : null;
}

interface Parsed {
  readonly drive: string;
  readonly segments: readonly string[];
}

/** A plain `X:\a\b` path split; null for any other form. `dots` when `.`/`..`/trimmed segments occur. */
function parsePlain(p: string): { parsed: Parsed | null; dots: boolean } {
  const s = p.replace(/\//g, '\\');
  const m = /^([A-Za-z]):\\(.*)$/.exec(s);
  if (!m) return { parsed: null, dots: /(^|\\)\.{1,2}(\\|$)/.test(s) };
  let dots = false;
  const segments: string[] = [];
  for (const raw of (m[2] ?? '').split('\\')) {
    if (raw === '') continue;
    if (raw === '.' || raw === '..' || /[. ]$/.test(raw)) dots = true;
    if (raw === '..') segments.pop();
    else if (raw !== '.') segments.push(raw.replace(/[. ]+$/, ''));
  }
  return { parsed: { drive: (m[1] ?? '').toUpperCase(), segments }, dots };
}

const lower = (xs: readonly string[]): string[] => xs.map((x) => x.toLowerCase());

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (path.length < prefix.length) return false;
  const a = lower(path);
  return lower(prefix).every((s, i) => a[i] === s);
}

/** Where `\ClientAccess\OAB\` starts in the segments of a path that looks like an install's, or -1. */
function assumedInstallEnd(segments: readonly string[]): number {
  const l = lower(segments);
  for (let i = 1; i + 1 < l.length; i++) {
    if (l[i] !== 'clientaccess' || l[i + 1] !== 'oab') continue;
    const above = l.slice(0, i);
    const last = above[above.length - 1] ?? '';
    const looksInstalled = last === 'v15' || last === 'v14' || last.endsWith('exchange server') || last === 'exchange';
    if (looksInstalled && !above.some((s) => WEB_FOLDERS.has(s))) return i;
  }
  return -1;
}

/**
 * Judges one logged path. `install`: from `installOfLog` (null when the log's location does not
 * tell). Everything but `inside` and `inside-assumed-install` is a finding.
 */
export function judgeOabTempPath(path: string | null, install: { drive: string | null; segments: readonly string[] } | null): OabTempCheck {
  if (path === null || path === '') return 'no-path';
  const { parsed, dots } = parsePlain(path);
  if (dots) return 'traversal';
  // No form but a plain path; a `:` past the drive names an alternate data stream.
  if (!parsed || parsed.segments.some((x) => x.includes(':'))) return 'unusual-form';
  const segs = parsed.segments;
  let oabEnd: number;
  let assumed = false;
  if (install) {
    if (install.drive !== null && install.drive !== parsed.drive) return 'outside-install';
    const oab = [...install.segments, 'ClientAccess', 'OAB'];
    if (!startsWith(segs, oab) || segs.length === oab.length) return 'outside-install';
    oabEnd = oab.length;
  } else {
    const i = assumedInstallEnd(segs);
    if (i < 0 || segs.length === i + 2) return 'outside-install';
    oabEnd = i + 2;
    assumed = true;
  }
  if (oabEnd < segs.length && SCRIPT_EXT.test(segs[segs.length - 1] ?? '')) return 'script-in-oab';
  return assumed ? 'inside-assumed-install' : 'inside';
}
