/**
 * Codes of the report's `errors[]` entries: one registry, each code with what it means. A code
 * names the kind of failure; the entry's path, line and message say where and what. Entries
 * with `notChecked` say what the run could not examine: they also get a line in the text
 * summary, and `--strict` makes any error exit 2 (README, "Exit codes").
 */
export const REPORT_ERROR_CODES = {
  'EXH-E001': 'a detection engine could not run on this platform or installation (its checks were not made)',
  'EXH-E002': 'an evidence file or folder could not be read',
  'EXH-E003': 'a record or file could not be parsed (skipped)',
  'EXH-E004': 'a rule or indicator file could not be used',
  'EXH-E005': 'indicators that exhunt cannot evaluate were not applied',
  'EXH-E006': 'a file was not examined in full (size or format limit)',
  'EXH-E099': 'another failure while examining evidence',
} as const;

export type ReportErrorCode = keyof typeof REPORT_ERROR_CODES;

export function isReportErrorCode(s: string): s is ReportErrorCode {
  return Object.hasOwn(REPORT_ERROR_CODES, s);
}
