/**
 * Which Exchange build the evidence shows, in order of trust: the FileVersion of Bin/ExSetup.exe,
 * else the versioned OWA/ECP folder names (3-part names: CU known, SU unknown), else a `.reg`
 * export of HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup, else that key in the collected
 * SOFTWARE hive (both record the CU install only), else the --build option.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildSource } from '../../findings/types.js';
import { readPeFileVersion } from '../../parsers/pe-version.js';
import { readExchangeSetupBuild } from '../../parsers/reg.js';
import { readHiveSetup } from '../../evidence/hives.js';
import { compareBuilds, formatBuild, parseBuild, type BuildNumber } from './build.js';

export interface DetectInput {
  readonly exchangeAbs: string | null;
  readonly exsetupAbs: string | null;
  readonly regFiles: readonly string[];
  /** SOFTWARE hive files: their Exchange Setup key, after `.reg` exports. */
  readonly softwareHives?: readonly string[];
  readonly buildOption?: string;
}

export interface DetectedBuild {
  readonly build: string;
  readonly source: BuildSource;
  /** True when only the CU is known (the SU level is not shown by this source). */
  readonly partial: boolean;
  /** The file or folder the build was read from. */
  readonly evidenceAbs?: string;
  /** Why sources tried first did not decide (e.g. "ExSetup.exe: no version resource"). */
  readonly notes?: readonly string[];
}

/** Folders (relative to the Exchange install) whose sub-folders are named after builds. */
const VERSIONED_DIRS = ['FrontEnd/HttpProxy/owa/auth', 'ClientAccess/Owa/prem', 'ClientAccess/ecp', 'ClientAccess/Owa/Current'];

async function resolveCi(base: string, rel: string): Promise<string | null> {
  let cur = base;
  for (const part of rel.split('/')) {
    let names: string[];
    try {
      names = await readdir(cur);
    } catch {
      return null;
    }
    const hit = names.find((n) => n.toLowerCase() === part.toLowerCase());
    if (hit === undefined) return null;
    cur = join(cur, hit);
  }
  return cur;
}

async function fromFolders(exchangeAbs: string): Promise<{ num: BuildNumber; abs: string } | null> {
  let best: { num: BuildNumber; abs: string } | null = null;
  for (const rel of VERSIONED_DIRS) {
    const dir = await resolveCi(exchangeAbs, rel);
    if (dir === null) continue;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!/^\d{1,2}\.\d{1,2}\.\d{1,5}(\.\d{1,4})?$/.test(n)) continue;
      const num = parseBuild(n);
      if (num === null || num.major < 14) continue;
      if (best === null || compareBuilds(num, best.num) > 0 || (compareBuilds(num, best.num) === 0 && num.revision !== null)) {
        best = { num, abs: join(dir, n) };
      }
    }
  }
  return best;
}

export async function detectBuild(input: DetectInput): Promise<DetectedBuild | null> {
  const notes: string[] = [];
  if (input.exsetupAbs !== null) {
    try {
      const r = await readPeFileVersion(input.exsetupAbs);
      if (r.ok && parseBuild(r.version.text) !== null) {
        return { build: r.version.text, source: 'ExSetup.exe', partial: false, evidenceAbs: input.exsetupAbs, notes };
      }
      notes.push(`ExSetup.exe: ${r.ok ? `unexpected version ${r.version.text}` : r.error}`);
    } catch (err) {
      notes.push(`ExSetup.exe: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (input.exchangeAbs !== null) {
    const f = await fromFolders(input.exchangeAbs);
    if (f !== null) return { build: formatBuild(f.num), source: 'folder', partial: f.num.revision === null, evidenceAbs: f.abs, notes };
    notes.push('no versioned OWA/ECP folder');
  }
  for (const reg of input.regFiles) {
    try {
      const r = await readExchangeSetupBuild(reg);
      const num = r === null ? null : parseBuild(r.build);
      // Setup's Msi values record the CU install; security updates do not change them.
      if (num !== null) return { build: `${num.major}.${num.minor}.${num.build}`, source: 'registry', partial: true, evidenceAbs: reg, notes };
    } catch (err) {
      notes.push(`${reg}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const hive of input.softwareHives ?? []) {
    try {
      const setup = await readHiveSetup(hive);
      const num = setup?.build == null ? null : parseBuild(setup.build);
      if (num !== null) return { build: `${num.major}.${num.minor}.${num.build}`, source: 'registry', partial: true, evidenceAbs: hive, notes };
      notes.push(`${hive}: no Exchange Setup build values`);
    } catch (err) {
      notes.push(`${hive}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (input.buildOption !== undefined && input.buildOption !== '') {
    return { build: input.buildOption, source: 'option', partial: parseBuild(input.buildOption)?.revision === null, notes };
  }
  return null;
}
