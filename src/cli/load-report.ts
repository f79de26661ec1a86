/** Reads a report file a command acts on (quarantine, report export) and checks it against the schema. */
import { readFile } from 'node:fs/promises';
import { validateReport } from '../findings/schema.js';
import type { Report } from '../findings/types.js';
import { UsageError } from './errors.js';

export async function loadReport(file: string): Promise<Report> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read report ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problems = validateReport(doc);
  if (problems.length > 0) throw new UsageError(`${file} is not a valid exhunt report: ${problems.slice(0, 3).join('; ')}`);
  return doc as Report;
}
