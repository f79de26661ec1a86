/** `exhunt baseline create ROOT --output FILE`: the known-good inventory of a clean server. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stripControl } from '../report/escape.js';
import { action } from './run.js';
import { EXIT_OK, UsageError } from './errors.js';

export function registerBaseline(program: Command): string[] {
  const baseline = program.command('baseline').description('known-good inventory of the web-exposed files of a clean server');
  baseline
    .command('create <root>')
    .description('hash every web-exposed file of a clean server (compare later with scan --baseline FILE)')
    .requiredOption('-o, --output <file>', 'where to write the baseline (JSON)')
    .action(
      action(async (root: string, opts: { output: string }) => {
        const { createBaseline } = await import('../engines/baseline/create.js');
        const { baseline: b, errors } = await createBaseline(root);
        const count = Object.keys(b.files).length;
        if (count === 0) throw new UsageError(`baseline create: no web-exposed files found under ${root}`);
        await writeFile(opts.output, `${JSON.stringify(b, null, 1)}\n`, { mode: 0o600 });
        for (const e of errors) process.stderr.write(`${stripControl(`exhunt: ${e.path}: ${e.message}`)}\n`);
        process.stderr.write(`exhunt: baseline of ${count} files (build ${b.build ?? 'unknown'}) written to ${opts.output}\n`);
        return EXIT_OK;
      }),
    );
  return ['baseline'];
}
