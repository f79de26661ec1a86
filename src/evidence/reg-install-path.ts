/**
 * Finds the Exchange install folder in exported registry files (`.reg`): the `MsiInstallPath`
 * value of `HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup` (v14 for Exchange 2010), the
 * value Microsoft's own tooling reads for the install path (microsoft/CSS-Exchange
 * HealthChecker: `RegistryValues.MsiInstallPath`). Only this value is read; hives are not parsed.
 */

export interface RegInstallPath {
  /** Windows path as stored (normally with a trailing `\`). */
  readonly path: string;
  readonly version: 'V15' | 'V14';
}

/** Text of a `.reg` export: UTF-16LE with a BOM (regedit 5) or 8-bit (REGEDIT4). */
export function decodeRegText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  return buf.toString('latin1');
}

const SETUP_KEY = /\\SOFTWARE\\(?:WOW6432Node\\)?Microsoft\\ExchangeServer\\v(1[45])\\Setup$/i;
const VALUE = /^"MsiInstallPath"\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/i;

/** The install paths named in a `.reg` export (usually none or one). */
export function exchangeInstallPaths(text: string): RegInstallPath[] {
  const out: RegInstallPath[] = [];
  let version: 'V15' | 'V14' | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      const key = /^\[-?(.*)\]$/.exec(line)?.[1] ?? '';
      const m = SETUP_KEY.exec(key);
      version = m ? (m[1] === '14' ? 'V14' : 'V15') : null;
      continue;
    }
    if (version === null) continue;
    const v = VALUE.exec(line);
    if (v?.[1]) out.push({ path: v[1].replace(/\\(.)/g, '$1'), version });
  }
  return out;
}
