// The V8 options evidence-reading commands start with (see bin/exhunt.js for what each buys;
// bench/RESULTS.md for the measurements). EXHUNT_V8_FLAGS replaces them (space-separated; empty
// for none). Every entry must be known to the V8 of every Node line CI runs: test/bin.test.ts
// checks them against `node --v8-options`.
export const DEFAULT_V8_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=8', '--heap-growing-percent=50'];

/** The flags for this run: EXHUNT_V8_FLAGS when set, else the defaults. */
export function v8Flags(env = process.env) {
  const custom = env.EXHUNT_V8_FLAGS;
  if (custom === undefined) return DEFAULT_V8_FLAGS;
  return custom.split(/\s+/).filter((f) => f.length > 0);
}
