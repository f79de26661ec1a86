/**
 * Log hunt worker thread: loads the rules itself (compiled matchers cannot cross threads),
 * then processes one file per message and posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { defaultLoadOptions, loadBuiltinLogRules, loadRulePaths } from '../../rules/load.js';
import { createLogMatcher, type LogMatcher } from './matcher.js';
import { processLogFile, type LogJob, type TimeWindow } from './process-file.js';
import type { IocSet } from '../../iocs/match.js';
import { createReadBuffers } from '../../parsers/logs/index.js';

export interface WorkerInput {
  /** User YAML rule paths (the worker loads the built-in rules itself). */
  readonly rulePaths: readonly string[];
  readonly window: TimeWindow;
  /** When the scan has indicators: how to load the same set (compiled sets cannot cross threads). */
  readonly iocs: { readonly files: readonly string[]; readonly home: string | undefined; readonly asOf: string } | null;
  /** Give each hit its raw finding's id (`--raw`). */
  readonly hitIds: boolean;
}

export interface JobMessage {
  readonly id: number;
  readonly job: LogJob;
}

async function buildMatcher(input: WorkerInput): Promise<{ matcher: LogMatcher; iocs: IocSet | null }> {
  const opts = await defaultLoadOptions();
  const builtin = await loadBuiltinLogRules(opts);
  const user = await loadRulePaths(input.rulePaths, opts);
  // The indicator code loads only when the scan has indicators.
  const iocs = input.iocs ? (await (await import('../../iocs/match.js')).loadIocSet(input.iocs)).set : null;
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
      .then(({ matcher, iocs }) => processLogFile(msg.job, matcher, { window: input.window, iocs, buffers, hitIds: input.hitIds }))
      .then(
        (result) => port.postMessage({ id: msg.id, result }),
        (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
      );
  });
}
