/** Writes a finished report in the chosen format and computes the exit code (0 / 1). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { atLeast, type Report } from '../findings/types.js';
import { writeReport } from '../report/index.js';
import type { ReportOptions } from './common.js';
import { EXIT_FINDINGS, EXIT_OK } from './errors.js';

export function exitCodeFor(report: Report, failOn: ReportOptions['failOn']): number {
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

export async function openOutput(opts: Pick<ReportOptions, 'output' | 'quiet'>): Promise<OutputTarget> {
  if (opts.output === undefined) {
    return { out: process.stdout, tty: process.stdout.isTTY, close: () => Promise.resolve() };
  }
  const file = createWriteStream(opts.output, { mode: 0o600 });
  await once(file, 'open');
  return {
    out: file,
    tty: false,
    close: async (what: string) => {
      file.end();
      await once(file, 'close');
      if (!opts.quiet && what !== '') process.stderr.write(`exhunt: ${what} written to ${opts.output ?? ''}\n`);
    },
  };
}

/** `preamble`: text printed before the text report (e.g. a per-target or posture view). */
export async function emitReport(report: Report, opts: ReportOptions, preamble = ''): Promise<number> {
  const { out, tty, close } = await openOutput(opts);
  if (opts.format === 'text' && preamble !== '') out.write(preamble);
  await writeReport(report, opts.format, out, {
    color: tty && !process.env.NO_COLOR,
    width: tty ? process.stdout.columns : 100,
    failOn: opts.failOn,
  });
  await close(opts.format !== 'text' ? 'report' : '');
  return exitCodeFor(report, opts.failOn);
}
