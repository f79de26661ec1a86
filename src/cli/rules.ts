/** `exhunt rules check FILE|DIR…`: PASS / FAIL / WARN per rule file, compiler-style diagnostics. */
import { Option, type Command } from 'commander';
import { checkRulePaths, type FileCheck } from '../rules/check.js';
import { renderDiagnostic } from '../rules/diagnostics.js';
import { stripControl } from '../report/escape.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';

function textReport(results: readonly FileCheck[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const what = r.kind === 'yara' ? 'YARA' : 'YAML';
    lines.push(`${r.status} ${stripControl(r.file)} (${what}, ${r.rules} rule${r.rules === 1 ? '' : 's'})`);
    // Rule files come from anywhere (public sets, a colleague): their text reaches the terminal escaped.
    for (const d of r.diagnostics) lines.push(stripControl(renderDiagnostic(d, r.text)).replace(/^/gm, '    '));
  }
  const count = (s: string): number => results.filter((r) => r.status === s).length;
  lines.push(`${results.length} file(s): ${count('PASS')} PASS, ${count('WARN')} WARN, ${count('FAIL')} FAIL`);
  return `${lines.join('\n')}\n`;
}

function jsonReport(results: readonly FileCheck[]): string {
  const files = results.map(({ file, kind, status, rules, diagnostics }) => ({ file, kind, status, rules, diagnostics }));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}

/** Runs the check and writes the report through `write`; returns the exit code (throws UsageError: 2). */
export async function runRulesCheck(paths: readonly string[], format: string, write: (s: string) => void): Promise<number> {
  let results: FileCheck[];
  try {
    results = await checkRulePaths(paths);
  } catch (e) {
    throw new UsageError(`rules check: ${(e as Error).message}`);
  }
  if (results.length === 0) throw new UsageError(`rules check: no rule files under ${paths.join(', ')}`);
  write(format === 'json' ? jsonReport(results) : textReport(results));
  return results.some((r) => r.status === 'FAIL') ? EXIT_FINDINGS : EXIT_OK;
}

export function registerRules(program: Command): string[] {
  const rules = program.command('rules').description('work with detection rules');
  rules
    .command('check')
    .description('check rule files (own YAML, Sigma, YARA): PASS / FAIL / WARN per file')
    .argument('<paths...>', 'rule files or folders')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      action(async (paths: string[], opts: { format: string }) =>
        runRulesCheck(paths, opts.format, (s) => process.stdout.write(s)),
      ),
    );
  return ['rules'];
}
