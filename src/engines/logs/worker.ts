/**
 * Log hunt worker thread: loads the rules itself (compiled matchers cannot cross threads),
 * then processes one file per message and posts the result back. The built-in rules load as
 * soon as the thread starts (it may be started before the hunt knows its options:
 * log-workers.ts); the first message says the rest (`init`).
 */
import { parentPort } from 'node:worker_threads';
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

/** What the pool sends: the options once, first; then jobs. */
export type WorkerMessage = { readonly init: WorkerInput } | JobMessage;

interface Ready {
  readonly input: WorkerInput;
  readonly matcher: LogMatcher;
  readonly iocs: IocSet | null;
}

const loadOptions = defaultLoadOptions();
const builtin = loadOptions.then((opts) => loadBuiltinLogRules(opts));
// Not awaited until `init` comes; a failure then fails every job with its message.
builtin.catch(() => undefined);

async function prepare(input: WorkerInput): Promise<Ready> {
  const user = await loadRulePaths(input.rulePaths, await loadOptions);
  // The indicator code loads only when the scan has indicators.
  const iocs = input.iocs ? (await (await import('../../iocs/match.js')).loadIocSet(input.iocs)).set : null;
  return { input, matcher: createLogMatcher([...(await builtin).rules, ...user.rules]), iocs };
}

const port = parentPort;
if (port) {
  let ready: Promise<Ready> = Promise.reject(new Error('log worker: a job came before its options'));
  ready.catch(() => undefined);
  // The pool keeps two jobs queued here so the thread never waits for the next one; they run
  // one after the other, so one set of read buffers serves them all (blocking reads: this
  // thread has nothing else to do meanwhile).
  const buffers = createReadBuffers({ sync: true });
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (msg: WorkerMessage) => {
    if ('init' in msg) {
      ready = prepare(msg.init);
      ready.catch(() => undefined);
      return;
    }
    queue = queue
      .then(() => ready)
      .then(({ input, matcher, iocs }) => processLogFile(msg.job, matcher, { window: input.window, iocs, buffers, hitIds: input.hitIds }))
      .then(
        (result) => port.postMessage({ id: msg.id, result }),
        (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
      );
  });
}
