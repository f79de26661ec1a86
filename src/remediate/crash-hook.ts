/**
 * Test hook for the crash-safety test: when `EXHUNT_CRASH_AT=N` is set together with
 * `EXHUNT_TEST=1`, the process kills itself with SIGKILL at the Nth step boundary of a
 * quarantine or restore run. Nothing else reads that variable; without both every `step()` is
 * a no-op, so a stray variable on a responder's machine does nothing.
 */

export interface CrashHook {
  /** Marks a step boundary (`object-written`, `manifest-appended`, ...). */
  step(name: string): void;
}

const NO_HOOK: CrashHook = { step: () => undefined };

export function crashHookFromEnv(env: NodeJS.ProcessEnv = process.env): CrashHook {
  const raw = env.EXHUNT_CRASH_AT;
  if (raw === undefined || raw === '' || env.EXHUNT_TEST !== '1') return NO_HOOK;
  const at = Number(raw);
  if (!Number.isInteger(at) || at < 1) return NO_HOOK;
  let count = 0;
  return {
    step(name: string): void {
      count += 1;
      if (count !== at) return;
      process.stderr.write(`exhunt: EXHUNT_CRASH_AT=${at}: killed at step ${name}\n`);
      process.kill(process.pid, 'SIGKILL');
    },
  };
}
