/**
 * `exhunt parse FILE`: the records of one log or event log file, or the keys of a registry hive
 * (transaction logs beside it replayed when it is dirty), as JSON lines, in file order.
 */
import { constants, createWriteStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import { openLog } from '../parsers/logs/index.js';
import { readEvtxJsonlBuffers } from '../parsers/evtx/index.js';
import { LOG_FAMILIES, type LogFamily, type LogRecord, type ParseIssue } from '../parsers/types.js';
import { stripControl, terminalSafeJson } from '../report/escape.js';
import { action } from './run.js';
import { UsageError, EXIT_OK } from './errors.js';

const EVTX_MAGIC = Buffer.from('ElfFile\0', 'latin1');
const REGF_MAGIC = Buffer.from('regf', 'latin1');

function kindOf(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** The refusal of something that is not a regular file (a FIFO or `/dev/zero` would block or never end). */
function notRegular(file: string, kind: string): UsageError {
  return new UsageError(`${file}: ${kind}, not a regular file: parse reads regular files only [not-a-file]`);
}

/**
 * What the first bytes say the file is: an event log, a registry hive, or (else) a text log.
 * Refuses what is not a regular file before opening it, and opens without blocking (a FIFO
 * swapped in meanwhile must not hang the read).
 */
async function sniff(file: string): Promise<'evtx' | 'regf' | 'log'> {
  let fh;
  try {
    const kind = kindOf(await stat(file));
    if (kind) throw notRegular(file, kind);
    fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const kind = kindOf(await fh.stat());
    if (kind) throw notRegular(file, kind);
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    if (bytesRead === 8 && head.equals(EVTX_MAGIC)) return 'evtx';
    if (bytesRead >= 4 && head.subarray(0, 4).equals(REGF_MAGIC)) return 'regf';
    return 'log';
  } finally {
    await fh.close();
  }
}

/** The documented flat view of a log record: where it is, what family, when, its fields. */
export function logRecordJson(rec: LogRecord): Record<string, unknown> {
  return { path: rec.location.path, line: rec.location.line ?? null, source: rec.source, time: rec.time, fields: rec.fields };
}

async function put(out: Writable, text: string | Uint8Array): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export function registerParse(program: Command): string[] {
  program
    .command('parse <file>')
    .description('print the records of a log (IIS, HttpProxy, ECP, CmdletInfra, OAB; .gz/.zip), an .evtx file or a registry hive as JSONL')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['jsonl']).default('jsonl'))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .addOption(new Option('--family <family>', 'log family, when it cannot be told from the header or folder').choices(LOG_FAMILIES))
    .action(
      action(async (file: string, opts: { output?: string; family?: LogFamily }) => {
        const out: Writable = opts.output ? createWriteStream(opts.output) : process.stdout;
        let issues = 0;
        const onIssue = (i: ParseIssue): void => {
          issues += 1;
          process.stderr.write(stripControl(`exhunt: ${i.path}${i.line !== null ? `:${i.line}` : ''}: ${i.message}`) + '\n');
        };
        const kind = await sniff(file);
        if (kind === 'evtx') {
          for await (const block of readEvtxJsonlBuffers(file, file, { onIssue })) await put(out, block);
        } else if (kind === 'regf') {
          const { openHive, keyRecord } = await import('../parsers/regf/index.js');
          const { hive, recovery } = await openHive(file);
          for (const p of recovery.problems) onIssue({ path: file, line: null, message: p });
          for (const k of hive.keys()) {
            for (const e of k.errors) onIssue({ path: file, line: null, message: `${k.path}: ${e}` });
            await put(out, `${terminalSafeJson(JSON.stringify(keyRecord(k)))}\n`);
          }
        } else {
          for await (const rec of openLog(file, file, { family: opts.family, onIssue })) {
            await put(out, `${terminalSafeJson(JSON.stringify(logRecordJson(rec)))}\n`);
          }
        }
        if (out !== process.stdout) {
          out.end();
          await once(out, 'finish');
        }
        if (issues > 0) process.stderr.write(`exhunt: ${issues} problem(s) in ${stripControl(file)}; the rest was parsed\n`);
        return EXIT_OK;
      }),
    );
  return ['parse'];
}
