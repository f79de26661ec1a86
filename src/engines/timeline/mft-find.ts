/**
 * Where MFTECmd $MFT CSVs come from: `--mft-csv FILE` (repeatable), and any
 * `*_MFTECmd_$MFT_Output.csv` (MFTECmd's default output name, as KAPE's MFTECmd module
 * writes it into its `FileSystem` folder) at the top of ROOT or in ROOT/FileSystem; and the
 * merge of their events with the file-system walk's.
 */
import path from 'node:path';
import type { EvidenceRoot } from '../../evidence/root.js';
import type { FileTimes } from './file-times.js';
import { readMftCsv, type MftOptions } from './mft-csv.js';

const MFT_CSV_NAME = /_MFTECmd_\$MFT_Output\.csv$/i;

export interface MftSource {
  readonly abs: string;
  /** How errors name it: relative to ROOT when inside, else as given. */
  readonly label: string;
}

/** The given CSVs, then those found in ROOT and ROOT/FileSystem (each once). */
export async function findMftCsvs(root: EvidenceRoot, given: readonly string[]): Promise<MftSource[]> {
  const out = new Map<string, MftSource>();
  for (const g of given) out.set(path.resolve(g), { abs: path.resolve(g), label: g });
  const places = [root.abs, await root.resolveUnder(root.abs, 'FileSystem')];
  for (const dir of places) {
    if (dir === null) continue;
    for (const e of (await root.listDir(dir)) ?? []) {
      if (e.type === 'file' && MFT_CSV_NAME.test(e.name) && !out.has(e.abs)) out.set(e.abs, { abs: e.abs, label: root.toEvidencePath(e.abs) });
    }
  }
  return [...out.values()];
}

/** The walk's file times plus the events of every $MFT CSV (dropped counts and limits added up). */
export async function addMftTimes(base: FileTimes, csvs: readonly MftSource[], opts: MftOptions): Promise<FileTimes> {
  let acc: FileTimes = base;
  for (const csv of csvs) {
    const r = await readMftCsv(csv.abs, csv.label, opts);
    const truncated = [acc.truncated, r.truncated].filter((t) => t !== null).join('; ');
    acc = {
      events: [...acc.events, ...r.events],
      files: acc.files,
      mftEntries: (acc.mftEntries ?? 0) + r.files,
      dropped: acc.dropped + r.dropped,
      createdUnknown: acc.createdUnknown,
      truncated: truncated === '' ? null : truncated,
    };
  }
  return acc;
}
