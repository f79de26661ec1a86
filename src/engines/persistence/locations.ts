/**
 * Where a Windows path or command line points, for the persistence checks: `%VARS%` expanded
 * to the evidence's system drive and Exchange install, compared lower case, and a verdict on
 * places attackers stage code (web folders, ProgramData, Temp, user folders). Pure functions
 * over strings read from evidence (attacker-controlled): nothing here touches the disk.
 */

export interface PathContext {
  /** System drive letter, upper case (`C`). */
  readonly drive: string;
  /** Exchange install folder as a Windows path with trailing `\`, or null. */
  readonly exchange: string | null;
  /** Web-exposed folders as Windows paths (from discovery). */
  readonly webDirs: readonly string[];
}

/** Lower-cases, uses `\` (unless `keepSlashes`), folds repeated separators, drops surrounding quotes. */
function fold(p: string, keepSlashes = false): string {
  const t = p.trim().replace(/^"|"$/g, '');
  return (keepSlashes ? t : t.replace(/\//g, '\\')).replace(/\\{2,}/g, '\\').toLowerCase();
}

function varValues(ctx: PathContext): ReadonlyMap<string, string> {
  const d = `${ctx.drive.toLowerCase()}:`;
  const win = `${d}\\windows`;
  return new Map([
    ['windir', win],
    ['systemroot', win],
    ['systemdrive', d],
    ['programdata', `${d}\\programdata`],
    ['allusersprofile', `${d}\\programdata`],
    ['programfiles', `${d}\\program files`],
    ['programfiles(x86)', `${d}\\program files (x86)`],
    ['public', `${d}\\users\\public`],
    ['userprofile', `${d}\\users\\%user%`],
    ['appdata', `${d}\\users\\%user%\\appdata\\roaming`],
    ['localappdata', `${d}\\users\\%user%\\appdata\\local`],
    ['temp', `${d}\\users\\%user%\\appdata\\local\\temp`],
    ['tmp', `${d}\\users\\%user%\\appdata\\local\\temp`],
    ...(ctx.exchange ? [['exchangeinstallpath', fold(ctx.exchange).replace(/\\$/, '')] as [string, string]] : []),
  ]);
}

/**
 * Expands the `%VARS%` this module knows (others stay as written), folds case and separators.
 * `%ExchangeInstallPath%` holds a trailing `\`, so `%ExchangeInstallPath%Bin` works as well.
 */
export function normalizeWinPath(p: string, ctx: PathContext): string {
  return normalize(p, ctx, false);
}

/** Like normalizeWinPath for a whole command line: `/` stays (switches, URLs are not paths). */
export function normalizeCommandLine(p: string, ctx: PathContext): string {
  return normalize(p, ctx, true);
}

function normalize(p: string, ctx: PathContext, keepSlashes: boolean): string {
  const vars = varValues(ctx);
  const expanded = p.replace(/%([A-Za-z0-9_()]{1,40})%/g, (m, name: string) => {
    const v = vars.get(name.toLowerCase());
    if (v === undefined) return m;
    return name.toLowerCase() === 'exchangeinstallpath' ? `${v}\\` : v;
  });
  const drive = `${ctx.drive.toLowerCase()}:`;
  return fold(expanded, keepSlashes).replace(/^\\(?=windows\\)/, `${drive}\\`);
}

/** Places attackers stage code in, with the words a finding uses for them. */
const RISKY: readonly (readonly [RegExp, string])[] = [
  [/\\inetpub\\/, 'a web folder (inetpub)'],
  [/\\aspnet_client\\/, 'a web folder (aspnet_client)'],
  [/\\frontend\\httpproxy\\(?!bin\\)/, 'an Exchange web folder (FrontEnd\\HttpProxy)'],
  [/\\clientaccess\\/, 'an Exchange web folder (ClientAccess)'],
  [/\\programdata\\/, 'ProgramData'],
  [/\\(?:temp|tmp)\\/, 'a temporary folder'],
  [/\\users\\/, 'a user folder'],
  [/\\perflogs\\/, 'PerfLogs'],
  [/\\\$recycle\.bin\\/, 'the Recycle Bin'],
];

/**
 * Why `text` (a normalized path or command line) points into a staging place, or null.
 * Web folders from discovery count as well as the usual names.
 */
export function riskyPlace(text: string, ctx: PathContext): string | null {
  for (const dir of ctx.webDirs) {
    const d = `${normalizeWinPath(dir, ctx).replace(/\\$/, '')}\\`;
    if (d.length > 4 && text.includes(d)) return 'a web folder';
  }
  for (const [re, why] of RISKY) if (re.test(text)) return why;
  return null;
}

/** PowerShell started with an encoded command, or a script decoding Base64. */
export function encodedPowerShell(commandLine: string): boolean {
  const t = commandLine.toLowerCase();
  if (t.includes('frombase64string')) return true;
  if (!/(?:^|[\\\s"'])(?:powershell|pwsh)(?:\.exe)?\b/.test(t)) return false;
  return /(?:^|\s)[-/](?:e|ec|en|enc|enco|encod|encode|encoded|encodedc|encodedco|encodedcom|encodedcomm|encodedcomma|encodedcomman|encodedcommand)\s+["']?[a-z0-9+/=]{8,}/.test(t);
}
