/**
 * Validation of reports and single findings against schema/report.v1.json (ajv, draft 2020-12).
 * The schema is read and compiled once, on first use. Messages name the JSON pointer of the
 * offending value, e.g. `/findings/0/severity: must be equal to one of the allowed values (...)`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PACKAGE_ROOT } from '../version.js';

export const REPORT_SCHEMA_PATH = join(PACKAGE_ROOT, 'schema', 'report.v1.json');
const SCHEMA_ID = 'urn:exhunt:schema:report:v1';

interface Validators {
  readonly report: ValidateFunction;
  readonly finding: ValidateFunction;
}

/** Compiles the schema on first call and returns the same validators afterwards. */
const validators = ((): (() => Validators) => {
  let cached: Validators | undefined;
  return () => {
    if (cached) return cached;
    const schema = JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    if (schema.$id !== SCHEMA_ID) throw new Error(`${REPORT_SCHEMA_PATH}: unexpected $id`);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    // ajv-formats is CommonJS; under NodeNext its plugin is the `default` export.
    addFormatsModule.default(ajv, ['date', 'date-time']);
    const report = ajv.compile(schema);
    const finding = ajv.getSchema(`${SCHEMA_ID}#/$defs/finding`);
    if (!finding) throw new Error(`${REPORT_SCHEMA_PATH}: no $defs/finding`);
    cached = { report, finding };
    return cached;
  };
})();

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '/' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  let msg = e.message ?? 'is invalid';
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    msg += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  } else if (e.keyword === 'const') {
    msg += ` (${JSON.stringify(params.allowedValue)})`;
  }
  return `${where}: ${msg}`;
}

function run(fn: ValidateFunction, doc: unknown): string[] {
  if (fn(doc)) return [];
  return [...new Set((fn.errors ?? []).map(describe))];
}

/** Validates a whole report document; returns one message per problem (empty when valid). */
export function validateReport(doc: unknown): string[] {
  return run(validators().report, doc);
}

/** Validates one finding, e.g. one line of `--format jsonl` output (empty when valid). */
export function validateFinding(doc: unknown): string[] {
  return run(validators().finding, doc);
}
