/**
 * Loading YAML rule files (own format and Sigma, told apart by content) into the rule model,
 * with every problem as a diagnostic; a rule with an error is skipped, never half-loaded.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap } from 'yaml';
import { diag, RuleError } from './diagnostics.js';
import { loadEventMappings, type EventSourceMapping } from './event-mappings.js';
import { loadMappings, type LogsourceMapping } from './mappings.js';
import { compileOwnRule, isOwnRule } from './own-rule.js';
import { compileSigmaRule, isSigmaRule } from './sigma-rule.js';
import type { Diagnostic, LoadResult, LogRule, Rule } from './types.js';
import { parseYamlFile, posOf } from './yaml-source.js';

export interface LoadOptions {
  readonly mappings: readonly LogsourceMapping[];
  /** Windows event log sources for Sigma `product: windows` rules (content/mappings/windows.yaml). */
  readonly eventMappings?: readonly EventSourceMapping[];
}

/** The repository's (or installed package's) `content/` folder. */
export function contentDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'content');
}

/**
 * The built-in mappings, read on first use: only Sigma rules need them, and parsing their YAML
 * costs ~0.2 s of CPU per thread at start-up (the log hunt starts three) when no Sigma rule
 * is loaded at all.
 */
export function defaultLoadOptions(): Promise<LoadOptions> {
  const dir = join(contentDir(), 'mappings');
  let mappings: readonly LogsourceMapping[] | undefined;
  let eventMappings: readonly EventSourceMapping[] | undefined;
  return Promise.resolve({
    get mappings() {
      return (mappings ??= loadMappings(dir));
    },
    get eventMappings() {
      return (eventMappings ??= loadEventMappings(dir));
    },
  });
}

/** Compiles the rules in one YAML file's text. */
export function loadRuleText(file: string, text: string, opts: LoadOptions): LoadResult {
  const { yaml, diagnostics } = parseYamlFile(file, text);
  const ds: Diagnostic[] = [...diagnostics];
  if (ds.length) return { rules: [], diagnostics: ds };
  const rules: Rule[] = [];
  if (yaml.docs.length === 0) ds.push(diag('E003', 'empty file', file, null));
  for (const doc of yaml.docs) {
    const m = doc.contents;
    try {
      if (isOwnRule(m)) rules.push(compileOwnRule(yaml, m, ds));
      else if (isSigmaRule(m)) rules.push(compileSigmaRule(yaml, m, opts.mappings, ds, opts.eventMappings ?? []));
      else ds.push(diag('E003', 'not an exhunt rule nor a Sigma rule (needs `logsource` and `detection`)', file, isMap(m) ? posOf(yaml, m) : null));
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      ds.push(diag(e.code, e.message, file, e.pos));
    }
  }
  return { rules, diagnostics: ds };
}

export async function loadRuleFile(file: string, opts: LoadOptions): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { rules: [], diagnostics: [diag('E001', (e as Error).message, file, null)] };
  }
  return loadRuleText(file, text.replace(/^\uFEFF/, ''), opts);
}

export const YAML_RULE_EXT = /\.ya?ml$/i;

/** Files under `path` (a file is itself) whose names match `ext`, sorted. */
export async function ruleFiles(path: string, ext: RegExp): Promise<string[]> {
  const st = await stat(path);
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  const entries = await readdir(path, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...(await ruleFiles(p, ext)));
    else if (ext.test(e.name)) out.push(p);
  }
  return out;
}

/** Loads every YAML rule under the given files/folders; duplicate ids are errors (first wins). */
export async function loadRulePaths(paths: readonly string[], opts: LoadOptions): Promise<{ rules: LogRule[]; diagnostics: Diagnostic[] }> {
  const rules: LogRule[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const p of paths) {
    let files: string[];
    try {
      files = await ruleFiles(p, YAML_RULE_EXT);
    } catch (e) {
      diagnostics.push(diag('E001', (e as Error).message, p, null));
      continue;
    }
    for (const f of files) {
      const r = await loadRuleFile(f, opts);
      diagnostics.push(...r.diagnostics);
      for (const rule of r.rules) {
        if (rule.kind !== 'builtin' && rule.kind !== 'sigma') continue;
        const prev = seen.get(rule.meta.id);
        if (prev) {
          diagnostics.push(diag('E103', `rule id ${rule.meta.id} already defined in ${prev}`, f, { line: rule.meta.origin.line, column: 1 }));
          continue;
        }
        seen.set(rule.meta.id, f);
        rules.push(rule);
      }
    }
  }
  return { rules, diagnostics };
}

/** The built-in event rules shipped in content/rules/events (own format, `logsource: evtx`). */
export async function loadBuiltinEventRules(opts?: LoadOptions): Promise<{ rules: LogRule[]; diagnostics: Diagnostic[] }> {
  return loadRulePaths([join(contentDir(), 'rules', 'events')], opts ?? (await defaultLoadOptions()));
}

/** The built-in log rules shipped in content/rules/logs. */
export async function loadBuiltinLogRules(opts?: LoadOptions): Promise<{ rules: LogRule[]; diagnostics: Diagnostic[] }> {
  return loadRulePaths([join(contentDir(), 'rules', 'logs')], opts ?? (await defaultLoadOptions()));
}
