/** Runs a command action: maps its result and errors to exit codes (DESIGN.md "Exit codes"). */
import { isClosedPipe } from './closed-pipe.js';
import { EXIT_FAILED, NotAvailableError, UsageError } from './errors.js';
import { stripControl } from '../report/escape.js';

export type Action<A extends unknown[]> = (...args: A) => Promise<number>;

/** Wraps an action so that its return value becomes the exit code and any error one stderr line. */
export function action<A extends unknown[]>(fn: Action<A>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      // The reader closed stdout (`| head`): its choice, not a failure (closed-pipe.ts).
      if (isClosedPipe(err)) {
        process.exitCode = 0;
        return;
      }
      process.exitCode = EXIT_FAILED;
      const known = err instanceof UsageError || err instanceof NotAvailableError;
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`exhunt: ${stripControl(msg)}\n`);
      if (!known && process.env.EXHUNT_DEBUG && err instanceof Error && err.stack) {
        process.stderr.write(`${err.stack}\n`);
      }
    }
  };
}
