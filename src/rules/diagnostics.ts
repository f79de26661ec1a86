/**
 * Rule diagnostics: a registry of stable codes, constructors, and a renderer that prints
 * like a compiler (`file:line:col: error[E101]: message`, the source line, a caret).
 */
import type { Diagnostic, DiagnosticSeverity } from './types.js';

export const DIAGNOSTIC_CODES = {
  E001: 'file could not be read',
  E002: 'YAML syntax error',
  E003: 'not a rule file exhunt recognises',
  E101: 'required key missing or of the wrong type',
  E102: 'invalid value',
  E103: 'duplicate rule id',
  E201: 'condition syntax error',
  E202: 'condition names an unknown search identifier',
  E203: 'unsupported condition construct',
  E301: 'unknown value modifier',
  E302: 'unsupported value modifier',
  E303: 'invalid modifier combination',
  E304: 'regular expression rejected',
  E305: 'invalid value for modifier',
  E306: 'unsupported detection construct',
  E402: 'rule can never fire on any log exhunt reads for its log source',
  E501: 'YARA rule error',
  // YARA rule files, as the portable engine reads them (src/rules/yara-engine/ast.ts).
  Y101: 'YARA syntax error',
  Y102: 'YARA: invalid string, number or escape',
  Y103: 'YARA: duplicate identifier',
  Y104: 'YARA: undefined identifier',
  Y105: 'YARA: string declared but not used, or used but not declared',
  Y106: 'YARA: invalid regular expression',
  Y107: 'YARA: invalid hex string',
  Y108: 'YARA: invalid modifier combination',
  Y201: 'YARA: module not supported by the portable engine',
  Y202: 'YARA: include not supported by the portable engine',
  Y203: 'YARA: language feature not supported by the portable engine',
  Y301: 'YARA: regular expression rejected (could backtrack without bound)',
  W101: 'recommended key missing',
  W102: 'unknown key',
  W201: 'field not mapped for a log family',
  W401: 'log source not supported: rule skipped',
  W501: 'YARA checking not available',
} as const;
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Pos {
  readonly line: number;
  readonly column: number;
}

export function diag(code: DiagnosticCode, message: string, file: string, pos: Pos | null): Diagnostic {
  const severity: DiagnosticSeverity = code.startsWith('W') ? 'warning' : 'error';
  return { code, severity, message, file, line: pos?.line ?? 0, column: pos?.column ?? 0 };
}

/** Thrown inside a compiler pass; the loader turns it into a diagnostic and skips the rule. */
export class RuleError extends Error {
  override readonly name = 'RuleError';
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly pos: Pos | null,
  ) {
    super(message);
  }
}

function strip(s: string): string {
  // Rule text may come from anywhere: no terminal escapes in what we print.
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

/** Renders one diagnostic; `source` (the file's text) adds the line and a caret under the column. */
export function renderDiagnostic(d: Diagnostic, source?: string): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const head = `${strip(where)}: ${d.severity}[${d.code}]: ${strip(d.message)}`;
  if (source === undefined || d.line <= 0) return head;
  const text = source.split(/\r?\n/)[d.line - 1];
  if (text === undefined) return head;
  const gutter = String(d.line);
  const pad = ' '.repeat(gutter.length);
  const shown = strip(text.replace(/\t/g, ' '));
  const caret = ' '.repeat(Math.max(0, d.column - 1)) + '^';
  return `${head}\n${pad} |\n${gutter} | ${shown}\n${pad} | ${caret}`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
