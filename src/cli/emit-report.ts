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

/** `preamble`: text printed before the text report (e.g. a per-target or posture view). */
export async function emitReport(report: Report, opts: ReportOptions, preamble = ''): Promise<number> {
  let out: Writable = process.stdout;
  let file: ReturnType<typeof createWriteStream> | null = null;
  if (opts.output !== undefined) {
    file = createWriteStream(opts.output, { mode: 0o600 });
    await once(file, 'open');
    out = file;
  }
  const tty = file === null && process.stdout.isTTY;
  if (opts.format === 'text' && preamble !== '') out.write(preamble);
  await writeReport(report, opts.format, out, {
    color: tty && !process.env.NO_COLOR,
    width: tty ? process.stdout.columns : 100,
    failOn: opts.failOn,
  });
  if (file !== null) {
    file.end();
    await once(file, 'close');
    if (!opts.quiet && opts.format !== 'text') {
      process.stderr.write(`exhunt: report written to ${opts.output}\n`);
    }
  }
  return exitCodeFor(report, opts.failOn);
}
