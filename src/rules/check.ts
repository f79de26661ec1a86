/**
 * `rules check`: every rule file under the given paths judged on its own — PASS (compiles,
 * no warnings), WARN (compiles, with warnings or a check that could not run), FAIL (a
 * diagnostic error: the file or some rule in it would be skipped).
 */
import { readFile, stat } from 'node:fs/promises';
import { diag } from './diagnostics.js';
import { defaultLoadOptions, loadRuleText, ruleFiles, type LoadOptions } from './load.js';
import type { Diagnostic } from './types.js';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics.js';
import { YARA_EXTERNALS } from './yara.js';
import { buildEngine } from './yara-engine/engine.js';

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

export interface FileCheck {
  readonly file: string;
  readonly kind: 'yaml' | 'yara';
  readonly status: CheckStatus;
  readonly rules: number;
  readonly diagnostics: readonly Diagnostic[];
  /** The file's text, for rendering diagnostics with their source line. */
  readonly text: string;
}

const RULE_EXT = /\.(ya?ml|yara?)$/i;
const YARA_EXT = /\.yara?$/i;

function statusOf(ds: readonly Diagnostic[]): CheckStatus {
  if (ds.some((d) => d.severity === 'error')) return 'FAIL';
  return ds.length ? 'WARN' : 'PASS';
}

/**
 * A YARA file is checked by the portable engine, which runs the rules on every platform: what it
 * cannot run (a module, a rejected regular expression) FAILs with its code (Y2xx, Y301), even
 * where YARA-X could run it, so that a rule file that passes runs the same everywhere.
 */
function checkYara(file: string, text: string): FileCheck {
  const built = buildEngine([{ file, namespace: 'check', text }], YARA_EXTERNALS);
  const ds = built.diagnostics.map((d) => {
    const code = (d.code in DIAGNOSTIC_CODES ? d.code : 'E501') as DiagnosticCode;
    const msg = `${d.rule ? `rule ${d.rule}: ` : ''}${d.message}`;
    return diag(code, msg, file, d.line ? { line: d.line, column: d.column ?? 1 } : null);
  });
  return { file, kind: 'yara', status: statusOf(ds), rules: built.engine.ruleCount, diagnostics: ds, text };
}

async function checkFile(file: string, opts: LoadOptions, seen: Map<string, string>): Promise<FileCheck> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (e) {
    return { file, kind: 'yaml', status: 'FAIL', rules: 0, diagnostics: [diag('E001', (e as Error).message, file, null)], text: '' };
  }
  if (YARA_EXT.test(file)) return checkYara(file, text);
  const r = loadRuleText(file, text, opts);
  const ds = [...r.diagnostics];
  for (const rule of r.rules) {
    const prev = seen.get(rule.meta.id);
    if (prev) ds.push(diag('E103', `rule id ${rule.meta.id} already defined in ${prev}`, file, { line: rule.meta.origin.line, column: 1 }));
    else seen.set(rule.meta.id, file);
  }
  return { file, kind: 'yaml', status: statusOf(ds), rules: r.rules.length, diagnostics: ds, text };
}

/** Checks every rule file under `paths`; throws when a path does not exist (could not run). */
export async function checkRulePaths(paths: readonly string[], opts?: LoadOptions): Promise<FileCheck[]> {
  const o = opts ?? (await defaultLoadOptions());
  const files: string[] = [];
  for (const p of paths) {
    const st = await stat(p);
    files.push(...(st.isDirectory() ? await ruleFiles(p, RULE_EXT) : [p]));
  }
  const seen = new Map<string, string>();
  const out: FileCheck[] = [];
  for (const f of files) out.push(await checkFile(f, o, seen));
  return out;
}
