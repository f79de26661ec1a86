/**
 * `exhunt report export REPORT.json --format stix|misp [--tlp LEVEL] [--output FILE]`: a
 * report's findings as a STIX 2.1 bundle or a MISP event, nothing above the chosen TLP
 * (default amber). The summary (what was exported, what was withheld) goes to stderr.
 */
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { exportMisp, exportStix } from '../iocs/export.js';
import { parseTlp } from '../iocs/normalize.js';
import { TLP_LEVELS } from '../iocs/types.js';
import { terminalSafeJson } from '../report/escape.js';
import { EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';
import { loadReport } from './load-report.js';

export interface ReportExportOptions {
  format: 'stix' | 'misp';
  tlp: string;
  output?: string;
  producer?: string;
}

export async function runReportExport(file: string, opts: ReportExportOptions, write: (s: string) => void, note: (s: string) => void, now?: Date): Promise<number> {
  const tlp = parseTlp(opts.tlp);
  if (tlp === null) throw new UsageError(`--tlp must be one of ${TLP_LEVELS.join(', ')} (or white)`);
  const report = await loadReport(file);
  const o = { tlp, ...(opts.producer !== undefined ? { producer: opts.producer } : {}), ...(now !== undefined ? { now } : {}) };
  const r = opts.format === 'stix' ? exportStix(report, o) : exportMisp(report, o);
  const text = `${terminalSafeJson(JSON.stringify(r.document, null, 2))}\n`;
  if (opts.output !== undefined) await writeFile(opts.output, text, { mode: 0o600 });
  else write(text);
  note(`exhunt: exported ${r.sightings} matched indicator(s) and ${r.files} file(s) at TLP:${tlp.toUpperCase()}; ${r.withheld} finding(s) withheld (marked above TLP:${tlp.toUpperCase()})\n`);
  return EXIT_OK;
}

export function registerReport(program: Command): string[] {
  const report = program.command('report').description('work with a saved JSON report');
  report.command('export')
    .description('export the findings as a STIX 2.1 bundle or a MISP event, nothing above the chosen TLP')
    .argument('<report>', 'a JSON report (exhunt scan --format json)')
    .addOption(new Option('-f, --format <format>', 'export format').choices(['stix', 'misp']).makeOptionMandatory())
    .option('--tlp <level>', 'highest TLP exported (clear, green, amber, amber+strict, red)', 'amber')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--producer <name>', 'producer name in the export', 'exhunt')
    .action(action(async (file: string, opts: ReportExportOptions) =>
      runReportExport(file, opts, (s) => process.stdout.write(s), (s) => process.stderr.write(s))));
  return ['report'];
}
