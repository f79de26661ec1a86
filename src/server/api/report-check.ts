/**
 * The bounded check of an uploaded report's bytes (run in a worker thread: report-intake.ts):
 * SHA-256 of the bytes, nesting depth (a byte scan before parsing: deeper than MAX_JSON_DEPTH is
 * refused without building the structure), JSON, the number of findings (MAX_FINDINGS), then the
 * schema (schema/report.v1.json). Schema validation is bounded too: each item of the report's
 * top-level arrays (findings, coverage, errors, …) is validated on its own and the envelope
 * without them, each stopping at its first problem, and the check stops after MAX_ERRORS
 * problems. (ajv with allErrors over the whole document grows its error list by copying at every
 * `$ref`: quadratic in the number of invalid findings.)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { REPORT_SCHEMA_PATH } from '../../findings/schema.js';
import { jsonDepthProblem, MAX_JSON_DEPTH } from '../http/json-depth.js';
import type { ErrorDetail } from '../http/errors.js';

export { MAX_JSON_DEPTH };
/** Findings in one report at most (a 32 MB report holds ~40,000 typical findings). */
export const MAX_FINDINGS = 100_000;
/** Problems reported per refused upload at most. */
export const MAX_ERRORS = 100;

export type CheckOutcome =
  | { readonly ok: true; readonly sha256: string; readonly findings: number }
  | { readonly ok: false; readonly status: 400 | 413; readonly error: string; readonly details: readonly ErrorDetail[] };

interface Validators {
  /** The report without its per-item arrays. */
  readonly envelope: ValidateFunction;
  /** Per top-level array property whose items are a `$ref`: the item's validator. */
  readonly items: ReadonlyMap<string, ValidateFunction>;
}

let cached: Validators | null = null;

/** Compiles the report schema once per thread, first-problem-only (allErrors off). */
function validators(): Validators {
  if (cached !== null) return cached;
  const schema = JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const id = typeof schema.$id === 'string' ? schema.$id : '';
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  addFormatsModule.default(ajv, ['date', 'date-time']);
  const envelope = ajv.compile(schema);
  const items = new Map<string, ValidateFunction>();
  for (const [name, prop] of Object.entries(properties)) {
    const p = prop as { type?: unknown; items?: { $ref?: unknown } };
    if (p.type !== 'array' || typeof p.items?.$ref !== 'string') continue;
    const fn = ajv.getSchema(`${id}${p.items.$ref}`);
    if (fn === undefined) throw new Error(`${REPORT_SCHEMA_PATH}: no ${p.items.$ref}`);
    items.set(name, fn);
  }
  cached = { envelope, items };
  return cached;
}

function detailOf(prefix: string, e: ErrorObject | undefined): ErrorDetail {
  if (e === undefined) return { path: prefix === '' ? '/' : prefix, message: 'is invalid' };
  const params = e.params as Record<string, unknown>;
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) message += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  else if (e.keyword === 'const') message += ` (${JSON.stringify(params.allowedValue)})`;
  else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') message += ` (${JSON.stringify(params.additionalProperty.slice(0, 100))})`;
  const path = `${prefix}${e.instancePath}`;
  return { path: (path === '' ? '/' : path).slice(0, 300), message: message.slice(0, 300) };
}

/** Schema problems of a parsed report, at most `max` (first problem of the envelope and of each item). */
export function schemaProblems(doc: unknown, max: number = MAX_ERRORS): ErrorDetail[] {
  const v = validators();
  const out: ErrorDetail[] = [];
  const isObject = typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  const rest: Record<string, unknown> = isObject ? { ...(doc as Record<string, unknown>) } : {};
  const lists: [string, unknown[], ValidateFunction][] = [];
  if (isObject) {
    for (const [name, fn] of v.items) {
      const value = rest[name];
      if (!Array.isArray(value)) continue;
      lists.push([name, value, fn]);
      rest[name] = [];
    }
  }
  if (!v.envelope(isObject ? rest : doc)) out.push(detailOf('', v.envelope.errors?.[0]));
  for (const [name, list, fn] of lists) {
    for (let i = 0; i < list.length && out.length < max; i++) {
      if (!fn(list[i])) out.push(detailOf(`/${name}/${i}`, fn.errors?.[0]));
    }
  }
  return out.slice(0, max);
}

/** The whole check of one upload's bytes (see the module comment). */
export function checkReportBytes(bytes: Uint8Array): CheckOutcome {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const deep = jsonDepthProblem(bytes);
  if (deep !== null) return { ok: false, status: 400, error: 'invalid report', details: [{ path: '/', message: deep }] };
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    return { ok: false, status: 400, error: 'invalid report', details: [{ path: '/', message: `not JSON: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) }] };
  }
  const findings = (doc as { findings?: unknown } | null)?.findings;
  const count = Array.isArray(findings) ? findings.length : 0;
  if (count > MAX_FINDINGS) {
    return { ok: false, status: 413, error: `too many findings in one report (${count} > ${MAX_FINDINGS}); split the scan`, details: [{ path: '/findings', message: `at most ${MAX_FINDINGS} items` }] };
  }
  const problems = schemaProblems(doc);
  if (problems.length > 0) return { ok: false, status: 400, error: 'invalid report', details: problems };
  return { ok: true, sha256, findings: count };
}
