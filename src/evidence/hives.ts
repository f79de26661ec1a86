/**
 * Registry hive files of a collected system drive, where KAPE and similar collectors put them
 * (the places Windows keeps them): `Windows/System32/config/SYSTEM` and `SOFTWARE`, each user's
 * `NTUSER.DAT` and `AppData/Local/Microsoft/Windows/UsrClass.dat`. SAM and SECURITY are never
 * read. Reading them is parsers/regf's work; the facts discovery needs (the Exchange install
 * path) are read here through it.
 */
import { stat } from 'node:fs/promises';
import { openHive } from '../parsers/regf/index.js';
import type { EvidenceRoot } from './root.js';
import type { FoundPath } from './sources.js';

function found(root: EvidenceRoot, abs: string): FoundPath {
  return { abs, evidencePath: root.toEvidencePath(abs) };
}

export type HiveKind = 'SYSTEM' | 'SOFTWARE' | 'NTUSER' | 'USRCLASS';

export interface HiveFile extends FoundPath {
  readonly kind: HiveKind;
  /** The profile folder name, for per-user hives. */
  readonly user?: string;
}

async function isFile(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isFile();
  } catch {
    return false;
  }
}

export async function findHives(root: EvidenceRoot): Promise<HiveFile[]> {
  const out: HiveFile[] = [];
  for (const kind of ['SYSTEM', 'SOFTWARE'] as const) {
    const abs = await root.resolveUnder(root.driveAbs, `Windows/System32/config/${kind}`);
    if (abs !== null && (await isFile(abs))) out.push({ ...found(root, abs), kind });
  }
  const users = await root.resolveUnder(root.driveAbs, 'Users');
  for (const u of users === null ? [] : ((await root.listDir(users)) ?? []).filter((e) => e.type === 'dir')) {
    const nt = await root.resolveUnder(u.abs, 'NTUSER.DAT');
    if (nt !== null && (await isFile(nt))) out.push({ ...found(root, nt), kind: 'NTUSER', user: u.name });
    const cls = await root.resolveUnder(u.abs, 'AppData/Local/Microsoft/Windows/UsrClass.dat');
    if (cls !== null && (await isFile(cls))) out.push({ ...found(root, cls), kind: 'USRCLASS', user: u.name });
  }
  return out;
}

/** Exchange's Setup key in a SOFTWARE hive (v15: 2013 and later; v14: 2010). */
export const EXCHANGE_SETUP_KEYS = ['\\Microsoft\\ExchangeServer\\v15\\Setup', '\\Microsoft\\ExchangeServer\\v14\\Setup'] as const;

export interface HiveSetup {
  readonly version: 'V15' | 'V14';
  /** MsiInstallPath as stored (Windows path, normally with a trailing `\`). */
  readonly installPath: string | null;
  /** MsiProductMajor.MsiProductMinor.MsiBuildMajor.MsiBuildMinor, when all four are DWORDs. */
  readonly build: string | null;
}

/**
 * The Setup values Exchange's installer writes (the values Microsoft's HealthChecker reads:
 * MsiInstallPath and the Msi* build numbers), from a SOFTWARE hive; null when absent.
 */
export async function readHiveSetup(abs: string): Promise<HiveSetup | null> {
  const { hive } = await openHive(abs);
  for (const path of EXCHANGE_SETUP_KEYS) {
    const k = hive.key(path);
    if (k === null) continue;
    const val = (name: string): Buffer | null => k.key.values.find((v) => v.name.toLowerCase() === name.toLowerCase())?.data ?? null;
    const dword = (name: string): number | null => {
      const d = val(name);
      return d !== null && d.length === 4 ? d.readUInt32LE(0) : null;
    };
    const ip = val('MsiInstallPath');
    const install = ip === null ? null : (ip.subarray(0, ip.length - (ip.length % 2)).toString('utf16le').split('\0')[0] ?? null);
    const parts = ['MsiProductMajor', 'MsiProductMinor', 'MsiBuildMajor', 'MsiBuildMinor'].map(dword);
    return {
      version: path.includes('v14') ? 'V14' : 'V15',
      installPath: install === '' ? null : install,
      build: parts.every((p): p is number => p !== null) ? parts.join('.') : null,
    };
  }
  return null;
}
