/**
 * Parsing of Windows path strings (drive letters, `\\?\` prefixes, `%VARS%`, either slash).
 * Only root.ts uses this: together they are the one place that knows about Windows paths.
 * Pure string work; resolving against the disk (case-insensitively) happens in root.ts.
 */

/** A Windows path split into its drive letter (upper case, or null) and its segments. */
export interface ParsedWinPath {
  readonly drive: string | null;
  readonly segments: readonly string[];
}

/** Values for `%NAME%` (names compared case-insensitively), as Windows path strings. */
export type WinVars = Readonly<Record<string, string>>;

/** The usual variables of a Windows system drive, for the given drive letter. */
export function standardVars(systemDrive: string): Record<string, string> {
  const d = `${systemDrive}:`;
  return {
    SystemDrive: d,
    SystemRoot: `${d}\\Windows`,
    windir: `${d}\\Windows`,
    ProgramFiles: `${d}\\Program Files`,
    ProgramW6432: `${d}\\Program Files`,
    'ProgramFiles(x86)': `${d}\\Program Files (x86)`,
    CommonProgramFiles: `${d}\\Program Files\\Common Files`,
    ProgramData: `${d}\\ProgramData`,
    ALLUSERSPROFILE: `${d}\\ProgramData`,
    PUBLIC: `${d}\\Users\\Public`,
    TEMP: `${d}\\Windows\\Temp`,
    TMP: `${d}\\Windows\\Temp`,
  };
}

function lookup(vars: WinVars, name: string): string | undefined {
  const want = name.toUpperCase();
  for (const [k, v] of Object.entries(vars)) if (k.toUpperCase() === want) return v;
  return undefined;
}

/**
 * Expands `%NAME%` references. A folder-valued variable directly followed by a name gets a
 * `\` between them (`%ExchangeInstallPath%Logging` works whether or not the value ends in `\`).
 * Returns null when a variable is unknown.
 */
export function expandVars(input: string, vars: WinVars): string | null {
  let unknown = false;
  const out = input.replace(/%([^%\\/]+)%/g, (_m, name: string, offset: number) => {
    const value = lookup(vars, name);
    if (value === undefined) {
      unknown = true;
      return '';
    }
    const next = input.charAt(offset + name.length + 2);
    const isDriveOnly = /^[A-Za-z]:$/.test(value);
    const needsSep = !isDriveOnly && next !== '' && !/[\\/]/.test(next) && !/[\\/]$/.test(value);
    return needsSep ? `${value}\\` : value;
  });
  return unknown ? null : out;
}

/**
 * Parses `C:\a\b`, `c:/a/b`, `\\?\C:\a`, `\??\C:\a`, `\a\b` (drive-less: the system drive)
 * and `a/b` (relative to the drive). UNC paths (`\\server\share`) give null: they are not
 * in the evidence. `.` segments are dropped and `..` never climbs above the drive.
 */
export function parseWinPath(input: string, vars: WinVars = {}): ParsedWinPath | null {
  let s = input.trim().replace(/^"(.*)"$/, '$1');
  const expanded = expandVars(s, vars);
  if (expanded === null) return null;
  s = expanded.replace(/\//g, '\\');
  const verbatim = /^\\\\[?.]\\|^\\\?\?\\/.exec(s);
  if (verbatim) {
    s = s.slice(verbatim[0].length);
    if (/^UNC\\/i.test(s)) return null;
  } else if (s.startsWith('\\\\')) {
    return null;
  }
  let drive: string | null = null;
  const m = /^([A-Za-z]):/.exec(s);
  if (m?.[1]) {
    drive = m[1].toUpperCase();
    s = s.slice(2);
  }
  const segments: string[] = [];
  for (const part of s.split('\\')) {
    if (part === '' || part === '.') continue;
    if (part === '..') segments.pop();
    else segments.push(part);
  }
  return { drive, segments };
}

/**
 * Windows reserved device names, alone or followed by an extension (learn.microsoft.com/windows/
 * win32/fileio/naming-a-file, "Naming Conventions"). A folder so named (`C:\ProgramData\COM1`)
 * cannot be opened or deleted through ordinary Win32 paths, only through `\\?\` paths.
 */
export const DEVICE_NAME = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?$/i;

/** True for names that Win32 path parsing would alter: device names, a trailing dot or space. */
export function needsVerbatimPath(name: string): boolean {
  return DEVICE_NAME.test(name) || /[. ]$/.test(name);
}

/** `C:\a` as `\\?\C:\a` (unchanged when already verbatim or not a drive path). */
export function toVerbatim(winAbs: string): string {
  return /^[A-Za-z]:\\/.test(winAbs) ? `\\\\?\\${winAbs}` : winAbs;
}

/** `\\?\C:\a` as `C:\a`; other paths unchanged. */
export function fromVerbatim(winAbs: string): string {
  return /^\\\\\?\\[A-Za-z]:\\/.test(winAbs) ? winAbs.slice(4) : winAbs;
}
