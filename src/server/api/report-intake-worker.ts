/**
 * Worker thread of the report intake (report-intake.ts): checks one upload's bytes at a time
 * (report-check.ts) and answers with the outcome; the bytes stay here.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { checkReportBytes, type CheckOutcome } from './report-check.js';

interface Job { readonly id: number; readonly bytes: Uint8Array }

parentPort?.on('message', (job: Job) => {
  let outcome: CheckOutcome;
  try {
    outcome = checkReportBytes(job.bytes);
  } catch (err) {
    const why = err instanceof RangeError ? 'too deeply nested or too large to check' : 'could not be checked';
    outcome = { ok: false, status: 400, error: 'invalid report', details: [{ path: '/', message: `the report ${why}` }] };
  }
  parentPort?.postMessage({ id: job.id, outcome, thread: threadId });
});
