/**
 * Log hunt worker thread: loads the rules itself (compiled matchers cannot cross threads),
 * then processes one file per message and posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { defaultLoadOptions, loadBuiltinLogRules, loadRulePaths } from '../../rules/load.js';
import { createLogMatcher, type LogMatcher } from './matcher.js';
import { processLogFile, type LogJob, type TimeWindow } from './process-file.js';
import { loadIocSet, type IocSet } from '../../iocs/match.js';
import { createReadBuffers } from '../../parsers/logs/index.js';

interface WorkerInput {
  readonly rulePaths: readonly string[];
  readonly window: TimeWindow;
  /** When the scan has indicators: how to load the same set (compiled sets cannot cross threads). */
  readonly iocs: { readonly files: readonly string[]; readonly home: string | undefined; readonly asOf: string } | null;
}

export interface JobMessage {
  readonly id: number;
  readonly job: LogJob;
}

async function buildMatcher(input: WorkerInput): Promise<{ matcher: LogMatcher; iocs: IocSet | null }> {
  const opts = await defaultLoadOptions();
  const builtin = await loadBuiltinLogRules(opts);
  const user = await loadRulePaths(input.rulePaths, opts);
  const iocs = input.iocs ? (await loadIocSet(input.iocs)).set : null;
  return { matcher: createLogMatcher([...builtin.rules, ...user.rules]), iocs };
}

const input = workerData as WorkerInput;
const port = parentPort;
if (port) {
  const ready = buildMatcher(input);
  // The pool keeps two jobs queued here so the thread never waits for the next one; they run
  // one after the other, so one set of read buffers serves them all (blocking reads: this
  // thread has nothing else to do meanwhile).
  const buffers = createReadBuffers({ sync: true });
  let queue: Promise<unknown> = ready;
  port.on('message', (msg: JobMessage) => {
    queue = queue
      .then(() => ready)
      .then(({ matcher, iocs }) => processLogFile(msg.job, matcher, input.window, iocs, buffers))
      .then(
        (result) => port.postMessage({ id: msg.id, result }),
        (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
      );
  });
}
