/**
 * The vault manifest (`manifest.jsonl`): append-only JSON lines, one canonical JSON object per
 * line, chained: `prev` is the sha256 of the previous line, `hash` the sha256 of the entry's
 * canonical JSON without `hash`. Editing, deleting or reordering lines breaks the chain.
 * A last line without its line feed (a write torn by a crash) is reported as `torn`; the
 * appender repairs it (truncates it and records a note in the chain).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CrashHook } from './crash-hook.js';
import { errCode, syncDir } from './durable.js';
import { sha256Hex } from './hashes.js';
import type { ManifestEntry, UnchainedEntry } from './types.js';

export const MANIFEST_NAME = 'manifest.jsonl';
export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level and no whitespace (what the hashes cover). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(entry: Readonly<Record<string, unknown>>): string {
  const { hash: _hash, ...rest } = entry;
  void _hash;
  return sha256Hex(canonicalJson(rest));
}

export interface ChainProblem {
  /** 1-based line number in manifest.jsonl. */
  readonly line: number;
  readonly message: string;
}

export interface ManifestState {
  readonly entries: readonly ManifestEntry[];
  /** 1-based manifest line of each entry (parallel to `entries`). */
  readonly lineOf: readonly number[];
  /** sha256 of the last complete line (GENESIS when none). */
  readonly head: string;
  /** Byte length of the complete lines (where a torn tail starts). */
  readonly completeBytes: number;
  /** The bytes after the last line feed, when the file does not end with one. */
  readonly torn: Buffer | null;
  readonly problems: readonly ChainProblem[];
}

function checkLine(text: string, lineNo: number, prev: string): { entry: ManifestEntry | null; problem: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { entry: null, problem: 'not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { entry: null, problem: 'not a JSON object' };
  const obj = parsed as Record<string, unknown>;
  if (canonicalJson(obj) !== text) return { entry: null, problem: 'not in canonical form (edited?)' };
  if (obj.prev !== prev) return { entry: null, problem: `chain broken: prev does not match line ${lineNo - 1} (line deleted, inserted or reordered?)` };
  if (obj.hash !== entryHash(obj)) return { entry: null, problem: 'hash mismatch (entry edited)' };
  if (!['quarantined', 'restored', 'note'].includes(String(obj.type))) return { entry: null, problem: `unknown entry type` };
  return { entry: obj as unknown as ManifestEntry, problem: null };
}

/** Parses and checks the whole manifest. A missing manifest is an empty one. */
export async function readManifest(manifestAbs: string): Promise<ManifestState> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(manifestAbs);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return { entries: [], lineOf: [], head: GENESIS, completeBytes: 0, torn: null, problems: [] };
    throw e;
  }
  const lastLf = buf.lastIndexOf(0x0a);
  const completeBytes = lastLf + 1;
  const torn = completeBytes < buf.length ? buf.subarray(completeBytes) : null;
  const entries: ManifestEntry[] = [];
  const lineOf: number[] = [];
  const problems: ChainProblem[] = [];
  let head = GENESIS;
  const lines = completeBytes === 0 ? [] : buf.subarray(0, lastLf).toString('utf8').split('\n');
  lines.forEach((text, i) => {
    const { entry, problem } = checkLine(text, i + 1, head);
    if (problem !== null) problems.push({ line: i + 1, message: problem });
    if (entry) {
      entries.push(entry);
      lineOf.push(i + 1);
    }
    head = sha256Hex(text);
  });
  return { entries, lineOf, head, completeBytes, torn, problems };
}

/** Chains `entry` onto `prev`: fills in `prev` and `hash`; returns the entry and its line. */
export function chainEntry<E extends ManifestEntry>(entry: UnchainedEntry<E>, prev: string): { entry: E; line: string } {
  const withPrev = { ...entry, prev } as Record<string, unknown>;
  const full = { ...withPrev, hash: entryHash(withPrev) } as unknown as E;
  return { entry: full, line: canonicalJson(full) };
}

/**
 * Appends one line and fsyncs the manifest (and, on first creation, its folder). The line is
 * written in two parts so the crash test can tear it between them, as a real crash could.
 */
export async function appendLine(manifestAbs: string, line: string, hook: CrashHook): Promise<void> {
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  const created = !(await fs.stat(manifestAbs).then(() => true, () => false));
  const fh = await fs.open(manifestAbs, 'a', 0o600);
  try {
    const half = Math.floor(bytes.length / 2);
    await fh.write(bytes.subarray(0, half));
    hook.step('manifest-half-written');
    await fh.write(bytes.subarray(half));
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (created) await syncDir(path.dirname(manifestAbs));
  hook.step('manifest-appended');
}

/** Cuts a torn tail off the manifest (the bytes after the last complete line), durably. */
export async function truncateTorn(manifestAbs: string, completeBytes: number): Promise<void> {
  const fh = await fs.open(manifestAbs, 'r+');
  try {
    await fh.truncate(completeBytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
