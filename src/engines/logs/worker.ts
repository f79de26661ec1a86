/**
 * Log hunt worker thread: loads the rules itself (compiled matchers cannot cross threads),
 * then takes files from the hunt's shared job table one at a time and posts each result back.
 * The built-in rules load as soon as the thread starts (it may be started before the hunt
 * knows its options: log-workers.ts); its one message says the rest.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { defaultLoadOptions, loadBuiltinLogRules, loadRulePaths } from '../../rules/load.js';
import { createLogMatcher, type LogMatcher } from './matcher.js';
import { processLogFile, type LogJob, type TimeWindow } from './process-file.js';
import type { IocSet } from '../../iocs/match.js';
import { createReadBuffers } from '../../parsers/logs/index.js';
import { claimNext, claimsOf } from './claims.js';

export interface WorkerInput {
  /** User YAML rule paths (the worker loads the built-in rules itself). */
  readonly rulePaths: readonly string[];
  readonly window: TimeWindow;
  /** When the scan has indicators: how to load the same set (compiled sets cannot cross threads). */
  readonly iocs: { readonly files: readonly string[]; readonly home: string | undefined; readonly asOf: string } | null;
  /** Give each hit its raw finding's id (`--raw`). */
  readonly hitIds: boolean;
}

/**
 * What the pool sends, once: the options, every job of the hunt, and the claim table the
 * threads take jobs from (claims.ts) with this thread's mark in it.
 */
export interface WorkerMessage {
  readonly init: WorkerInput;
  readonly jobs: readonly LogJob[];
  readonly claims: SharedArrayBuffer;
  readonly me: number;
}

interface Ready {
  readonly input: WorkerInput;
  readonly matcher: LogMatcher;
  readonly iocs: IocSet | null;
}

const loadOptions = defaultLoadOptions();
const builtin = loadOptions.then((opts) => loadBuiltinLogRules(opts));
// Awaited once the options come; a failure then ends this thread before it claims any job.
builtin.catch(() => undefined);

async function prepare(input: WorkerInput): Promise<Ready> {
  const user = await loadRulePaths(input.rulePaths, await loadOptions);
  // The indicator code loads only when the scan has indicators.
  const iocs = input.iocs ? (await (await import('../../iocs/match.js')).loadIocSet(input.iocs)).set : null;
  return { input, matcher: createLogMatcher([...(await builtin).rules, ...user.rules]), iocs };
}

/** Takes jobs until none is left, posting each file's result (or error) by job index. */
async function work(port: MessagePort, msg: WorkerMessage): Promise<void> {
  const { input, matcher, iocs } = await prepare(msg.init);
  const claims = claimsOf(msg.claims, msg.jobs.length);
  // One job at a time, so one set of read buffers serves them all (blocking reads: this
  // thread has nothing else to do meanwhile).
  const buffers = createReadBuffers({ sync: true });
  for (let from = 0; ; ) {
    const i = claimNext(claims, msg.me, from);
    if (i === -1) return;
    from = i + 1;
    try {
      const result = await processLogFile(msg.jobs[i] as LogJob, matcher, { window: input.window, iocs, buffers, hitIds: input.hitIds });
      port.postMessage({ id: i, result });
    } catch (err) {
      port.postMessage({ id: i, error: err instanceof Error ? err.message : String(err) });
    }
  }
}

const port = parentPort;
if (port) {
  // A worker that cannot load its rules fails (an 'error' on the pool's side) having claimed
  // nothing: the other threads do its share.
  port.once('message', (msg: WorkerMessage) => void work(port, msg));
}
