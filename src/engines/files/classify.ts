/**
 * What a file is, from its name, its place and its first bytes: script extensions served by
 * IIS, archive and dump magic numbers, the YARA `filetype` external.
 */
import { extname, posix } from 'node:path';

/** Extensions IIS/ASP.NET execute (or that shells are dropped as). */
export const SCRIPT_EXTENSIONS = new Set([
  '.asp', '.aspx', '.ashx', '.asmx', '.asa', '.asax', '.ascx', '.cer', '.cdx', '.config', '.svc',
  '.soap', '.rem', '.master', '.cshtml', '.vbhtml', '.shtml', '.stm', '.xamlx',
]);

export function extensionOf(path: string): string {
  return extname(posix.basename(path)).toLowerCase();
}

export function baseNameOf(path: string): string {
  return posix.basename(path);
}

function startsWith(buf: Buffer, bytes: readonly number[], at = 0): boolean {
  return bytes.every((b, i) => buf[at + i] === b);
}

export type Magic = 'pst' | 'der' | 'mdmp' | 'zip' | '7z' | 'rar' | 'cab' | 'pe' | null;

/** The file type told by the first bytes, for the types the scanner cares about. */
export function magicOf(buf: Buffer): Magic {
  if (startsWith(buf, [0x21, 0x42, 0x44, 0x4e])) return 'pst'; // "!BDN"
  if (startsWith(buf, [0x4d, 0x44, 0x4d, 0x50])) return 'mdmp'; // "MDMP"
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (startsWith(buf, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(buf, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar';
  if (startsWith(buf, [0x4d, 0x53, 0x43, 0x46])) return 'cab'; // "MSCF"
  if (startsWith(buf, [0x4d, 0x5a])) return 'pe';
  // DER SEQUENCE with a long-form length (certificates, PKCS#7/#12 blobs).
  if (buf[0] === 0x30 && (buf[1] === 0x82 || buf[1] === 0x83 || buf[1] === 0x84)) return 'der';
  return null;
}

const FILETYPE: Readonly<Record<string, string>> = {
  pst: 'PST', der: 'DER', mdmp: 'MDMP', zip: 'ZIP', '7z': '7Z', rar: 'RAR', cab: 'CAB', pe: 'EXE',
};

/** The `filetype` YARA external (upper-case short type, empty when unknown). */
export function yaraFiletype(buf: Buffer): string {
  const m = magicOf(buf);
  return m ? (FILETYPE[m] ?? '') : '';
}
