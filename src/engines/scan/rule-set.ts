/**
 * The rules of one scan, loaded once: the built-in log rules plus YAML rules (own or Sigma)
 * from --rules; YARA paths are passed on to the file scanner. Rule problems become report errors
 * with file:line and the rule is skipped.
 */
import { stat } from 'node:fs/promises';
import { defaultLoadOptions, loadBuiltinEventRules, loadBuiltinLogRules, loadRulePaths } from '../../rules/load.js';
import type { Diagnostic, LogRule } from '../../rules/types.js';
import type { ScanContext } from './context.js';

const YARA_EXT = /\.(yar|yara)$/i;

export interface RuleSet {
  readonly logRules: readonly LogRule[];
  /** Built-in event rules plus --rules (Sigma windows rules run only in the event engine). */
  readonly eventRules: readonly LogRule[];
  /** --rules entries for the YARA compiler: .yar/.yara files and folders. */
  readonly yaraPaths: readonly string[];
  /** --rules entries for the YAML loader (log worker threads load them again). */
  readonly yamlPaths: readonly string[];
}

function report(ctx: ScanContext, ds: readonly Diagnostic[]): void {
  for (const d of ds) {
    if (d.severity !== 'error') continue;
    ctx.error(d.file, d.line > 0 ? d.line : null, `${d.code}: ${d.message}${d.column > 0 ? ` (column ${d.column})` : ''}`);
  }
}

/** Splits --rules into YAML and YARA entries by extension; folders go to both loaders. */
async function splitRulePaths(paths: readonly string[], onError: (path: string, message: string) => void): Promise<{ yaml: string[]; yara: string[] }> {
  const yaml: string[] = [];
  const yara: string[] = [];
  for (const p of paths) {
    try {
      const st = await stat(p);
      if (st.isDirectory()) {
        yaml.push(p);
        yara.push(p);
      } else if (YARA_EXT.test(p)) yara.push(p);
      else yaml.push(p);
    } catch (err) {
      onError(p, err instanceof Error ? err.message : String(err));
    }
  }
  return { yaml, yara };
}

/** The --rules entries the YAML loader takes (what `loadRuleSet` gives as `yamlPaths`). */
export async function yamlRulePaths(paths: readonly string[]): Promise<string[]> {
  return (await splitRulePaths(paths, () => undefined)).yaml;
}

/** `events: false` leaves the built-in event rules out (a log hunt has no use for them). */
export async function loadRuleSet(ctx: ScanContext, opts: { readonly events?: boolean } = {}): Promise<RuleSet> {
  const load = await defaultLoadOptions();
  const builtin = await loadBuiltinLogRules(load);
  report(ctx, builtin.diagnostics);
  const { yaml, yara } = await splitRulePaths(ctx.options.rules, (p, message) => ctx.error(p, null, `--rules: ${message}`));
  const builtinEvents = opts.events === false ? { rules: [], diagnostics: [] } : await loadBuiltinEventRules(load);
  report(ctx, builtinEvents.diagnostics);
  const user = await loadRulePaths(yaml, load);
  report(ctx, user.diagnostics);
  return {
    logRules: [...builtin.rules, ...user.rules],
    eventRules: [...builtinEvents.rules, ...user.rules],
    yaraPaths: yara,
    yamlPaths: yaml,
  };
}
