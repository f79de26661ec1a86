/**
 * YARA rule sources: finding rule files (bundled and user-given), reading them, naming the
 * rules each declares, and turning compiler error text into `{file, line, column, message}`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';

export const YARA_EXTENSIONS = ['.yar', '.yara'] as const;

/** Folder of the bundled rules. */
export const BUNDLED_YARA_DIR = join(PACKAGE_ROOT, 'content', 'rules', 'yara');

/** A problem with one rule file; the file is skipped and the others are used. */
export interface YaraDiagnostic {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly code: string | null;
  readonly message: string;
}

/** One rule file read from disk. `namespace` names the rules of this file in rule ids. */
export interface YaraSource {
  readonly file: string;
  readonly namespace: string;
  readonly text: string;
  /** Identifiers of the rules the file declares (private/global included). */
  readonly rules: readonly string[];
}

function isYaraFile(name: string): boolean {
  return (YARA_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

/** Expands files and folders (recursively) into the YARA rule files they hold, sorted. */
export async function listYaraFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await stat(p);
    if (st.isDirectory()) {
      const entries = await readdir(p, { withFileTypes: true });
      const sub = entries
        .filter((e) => e.isDirectory() || (e.isFile() && isYaraFile(e.name)))
        .map((e) => join(p, e.name))
        .sort();
      out.push(...(await listYaraFiles(sub)));
    } else {
      out.push(p);
    }
  }
  return out;
}

const RULE_DECL = /^[ \t]*(?:(?:private|global)[ \t]+)*rule[ \t]+([A-Za-z_][A-Za-z0-9_]*)/gm;

/** Identifiers declared by `rule NAME` lines (a light scan, enough to map matches to files). */
export function declaredRules(text: string): string[] {
  return [...text.matchAll(RULE_DECL)].map((m) => m[1] ?? '').filter((s) => s !== '');
}

export async function readYaraSource(file: string, namespace?: string): Promise<YaraSource> {
  const text = await readFile(file, 'utf8');
  const ns = namespace ?? basename(file).replace(/\.(yara?)$/i, '');
  return { file, namespace: ns, text, rules: declaredRules(text) };
}

const LOCATION = /-->\s*line:(\d+):(\d+)/;

/** Turns a YARA-X error (`error[E001]: ... --> line:4:1 ...`) into a diagnostic for `file`. */
export function diagnosticFromError(file: string, err: unknown, lineOffset = 0): YaraDiagnostic {
  const raw = err instanceof Error ? err.message : String(err);
  const text = raw.replace(/^Compilation error \([A-Z0-9]+\):\s*/, '');
  const loc = LOCATION.exec(text);
  const code = /error\[([A-Z0-9]+)\]/.exec(text)?.[1] ?? null;
  const first = text.split('\n')[0] ?? text;
  const message = first.replace(/^error\[[A-Z0-9]+\]:\s*/, '');
  const detail = /\^+\s*(.*)$/m.exec(text)?.[1]?.trim();
  return {
    file,
    line: loc ? Number(loc[1]) - lineOffset : null,
    column: loc ? Number(loc[2]) : null,
    code,
    message: detail ? `${message}: ${detail}` : message,
  };
}

/** The line of the concatenated source where each file starts (1-based), for error mapping. */
export function lineStarts(sources: readonly YaraSource[]): number[] {
  const starts: number[] = [];
  let line = 1;
  for (const s of sources) {
    starts.push(line);
    line += s.text.replace(/\n$/, '').split('\n').length;
  }
  return starts;
}

/** Joins sources so that each starts on a fresh line; line numbers follow `lineStarts`. */
export function joinSources(sources: readonly YaraSource[]): string {
  return sources.map((s) => s.text.replace(/\n$/, '') + '\n').join('');
}
