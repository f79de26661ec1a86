/** Writes a finished report in the chosen format and computes the exit code (0 / 1). */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { atLeast, type Report } from '../findings/types.js';
import { writeReport } from '../report/index.js';
import type { ReportOptions } from './common.js';
import { EXIT_FAILED, EXIT_FINDINGS, EXIT_OK } from './errors.js';
import { withVerdict } from '../verdict/compute.js';

/** 2 under `--strict` when something could not be examined; else 1 for findings at `failOn`, else 0. */
export function exitCodeFor(report: Report, failOn: ReportOptions['failOn'], strict = false): number {
  if (strict && report.errors.length > 0) return EXIT_FAILED;
  return report.findings.some((f) => atLeast(f.severity, failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** Where a command writes: stdout, or `--output FILE` (created owner-only). */
export interface OutputTarget {
  readonly out: Writable;
  /** True when writing to a terminal (colour, width). */
  readonly tty: boolean;
  /** Ends the file (when there is one) and says where it went, unless `quiet`. */
  readonly close: (what: string) => Promise<void>;
}

export function openOutput(opts: Pick<ReportOptions, 'output' | 'quiet'>): Promise<OutputTarget> {
  if (opts.output === undefined) {
    return Promise.resolve({ out: process.stdout, tty: process.stdout.isTTY, close: () => Promise.resolve() });
  }
  const fd = openSync(opts.output, 'w', 0o600);
  const file = syncFileStream(fd);
  return Promise.resolve({
    out: file,
    tty: false,
    close: async (what: string) => {
      await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
      if (!opts.quiet && what !== '') process.stderr.write(`exhunt: ${what} written to ${opts.output ?? ''}\n`);
    },
  });
}

/**
 * A report file written with blocking calls: the report is the last thing a run does, and a
 * file stream's thread-pool round trips left the thread idle (~0.1 s of a 30 MB raw log hunt).
 */
function syncFileStream(fd: number): Writable {
  let open = true;
  const shut = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  const all = (buf: Uint8Array): void => {
    for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at);
  };
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _enc, cb) {
      try {
        all(chunk);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    writev(chunks, cb) {
      try {
        for (const c of chunks) all(c.chunk as Buffer);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    final(cb) {
      try {
        shut();
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    destroy(err, cb) {
      try {
        shut();
      } catch {
        // Already failing: the first error is the one to report.
      }
      cb(err);
    },
  });
}

/**
 * `preamble`: text printed before the text report (e.g. a per-target or posture view). The
 * report gets its verdict here (src/verdict/compute.ts), so every reporting command carries one.
 */
export async function emitReport(given: Report, opts: ReportOptions, preamble = ''): Promise<number> {
  const report = withVerdict(given, { jsonReport: opts.format === 'json' && opts.output !== undefined ? opts.output : null });
  const { out, tty, close } = await openOutput(opts);
  if (opts.format === 'text' && preamble !== '') out.write(preamble);
  await writeReport(report, opts.format, out, {
    color: tty && !process.env.NO_COLOR,
    width: tty ? process.stdout.columns : 100,
    failOn: opts.failOn,
  });
  await close(opts.format !== 'text' ? 'report' : '');
  return exitCodeFor(report, opts.failOn, opts.strict);
}
