/**
 * Offline registry hives (regf): open a hive file with its transaction logs (`NAME.LOG1`,
 * `NAME.LOG2`, `NAME.LOG`, any case, beside it), replay them when the hive is dirty, and read
 * its keys. The whole primary file is held in memory (hives of a server are tens to a few
 * hundred MB); keys are produced one at a time.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Hive, type HiveKey, type HiveValue } from './hive.js';
import { recoverHive, MAX_HIVE_BYTES, type LogFile, type Recovery } from './log-replay.js';
import { RegfError } from './errors.js';
import { decodeValueData, filetimeIso, type ValueData } from './value-data.js';

export { Hive, type HiveKey, type HiveValue } from './hive.js';
export { RegfError } from './errors.js';
export { decodeValueData, filetimeIso } from './value-data.js';
export type { Recovery } from './log-replay.js';

export interface OpenedHive {
  readonly hive: Hive;
  readonly recovery: Recovery;
}

/** True when the first bytes are a regf base block. */
export function looksLikeHive(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x72 && head[1] === 0x65 && head[2] === 0x67 && head[3] === 0x66;
}

/** The transaction logs beside `file` (`.LOG1`, `.LOG2`, `.LOG`; any case), in that order. */
export async function logsBeside(file: string): Promise<LogFile[]> {
  const dir = dirname(file);
  const base = basename(file).toLowerCase();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: LogFile[] = [];
  for (const ext of ['.log1', '.log2', '.log']) {
    const name = names.find((n) => n.toLowerCase() === base + ext);
    if (name === undefined) continue;
    const p = join(dir, name);
    const st = await stat(p);
    if (!st.isFile() || st.size > MAX_HIVE_BYTES) continue;
    out.push({ name, data: await readFile(p) });
  }
  return out;
}

/** Reads a hive file and its logs (unless `replay` is false) and opens the recovered tree. */
export async function openHive(file: string, opts: { replay?: boolean; maxBytes?: number } = {}): Promise<OpenedHive> {
  const st = await stat(file);
  if (!st.isFile()) throw new RegfError('REGF-SIGNATURE', `${file}: not a regular file`);
  const max = opts.maxBytes ?? MAX_HIVE_BYTES;
  if (st.size > max) throw new RegfError('REGF-TOO-LARGE', `${file}: ${st.size} bytes, over the ${max}-byte limit for a hive`);
  const buf = await readFile(file);
  return openHiveBuffer(buf, basename(file), opts.replay === false ? [] : await logsBeside(file), opts.replay !== false);
}

export function openHiveBuffer(buf: Buffer, label: string, logs: readonly LogFile[], replay = true): OpenedHive {
  const recovery = recoverHive(buf, label, replay ? logs : []);
  return { hive: new Hive(recovery.hive, recovery.base, label), recovery };
}

export interface KeyRecord {
  readonly path: string;
  readonly name: string;
  readonly last_written: string | null;
  readonly last_written_filetime: string;
  readonly class_name?: string;
  readonly subkey_count: number;
  readonly value_count: number;
  readonly values: readonly { readonly name: string; readonly type: number; readonly size: number; readonly data: ValueData; readonly raw?: string }[];
  readonly errors?: readonly string[];
}

/** One key as the JSON record `exhunt parse HIVE` prints. */
export function keyRecord(k: HiveKey): KeyRecord {
  return {
    path: k.path,
    name: k.name,
    last_written: filetimeIso(k.lastWritten),
    last_written_filetime: k.lastWritten.toString(),
    ...(k.className ? { class_name: k.className } : {}),
    subkey_count: k.subkeyCount,
    value_count: k.valueCount,
    values: k.values.map((v: HiveValue) => ({ name: v.name, type: v.type, size: v.data.length, ...decodeValueData(v.type, v.data) })),
    ...(k.errors.length > 0 ? { errors: k.errors } : {}),
  };
}
