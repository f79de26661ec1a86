/**
 * YARA for the file engine. Every rule file runs on the portable engine (`yara-engine/`, pure
 * TypeScript: the same findings on Linux, macOS and Windows, no native module on the detection
 * path). YARA-X (`@litko/yara-x`, native, Linux x64 and macOS only) is used for one thing: a
 * user rule file the portable engine cannot run (a module such as `pe`, a rejected regular
 * expression) runs on YARA-X where it loads, and is an error entry naming it where it does not.
 * YARA-X is not an accelerator for the bundled rules on purpose: one engine for them means
 * identical matches, excerpts and offsets everywhere, and the portable engine is within the
 * speed target (bench/RESULTS.md); the parity test (yara-engine/parity.test.ts) checks both
 * engines and the `yara` command line against each other on the development corpora.
 * Rules are compiled once per scan (main thread) and rebuilt from the recipe in each worker.
 * Externals public rule sets expect (`filename`, `filepath`, `extension`, `filetype`, `owner`)
 * are set per scanned file.
 */
import { createRequire } from 'node:module';
import {
  BUNDLED_YARA_DIR,
  diagnosticFromError,
  joinSources,
  lineStarts,
  listYaraFiles,
  readYaraSource,
} from './yara-source.js';
import type { YaraDiagnostic, YaraSource } from './yara-source.js';
import { buildEngine, type Engine, type EngineDiagnostic, type EngineSource } from './yara-engine/engine.js';

export type { YaraDiagnostic } from './yara-source.js';

export const YARA_EXTERNALS = ['filename', 'filepath', 'extension', 'filetype', 'owner'] as const;
export type YaraExternalName = (typeof YARA_EXTERNALS)[number];
export type YaraExternals = Partial<Record<YaraExternalName, string>>;

export type MetaValue = string | number | boolean;

export interface YaraStringMatch {
  readonly id: string;
  readonly offset: number;
  readonly length: number;
  /** The matched bytes (at most 64), decoded as latin1 so that every byte survives. Raw. */
  readonly data: string;
}

export interface YaraMatch {
  readonly namespace: string;
  readonly rule: string;
  readonly meta: Readonly<Record<string, MetaValue>>;
  readonly tags: readonly string[];
  readonly strings: readonly YaraStringMatch[];
}

export interface YaraScanner {
  scan(buf: Buffer, externals?: YaraExternals): YaraMatch[];
}

export interface CompileOptions {
  /** Include the bundled rules (default true). */
  readonly bundled?: boolean;
  /** Namespace given to bundled rules (default `exhunt`). */
  readonly bundledNamespace?: string;
  /** Maximum matches kept per string (default 16). */
  readonly maxMatchesPerString?: number;
}

/** YARA-X part of a recipe: validated rule text plus the rule → namespace map. */
export interface NativeRecipe {
  readonly source: string;
  readonly namespaces: readonly (readonly [string, string])[];
}

/** What was compiled: enough to rebuild the same scanner in a worker thread. */
export interface YaraRecipe {
  /** Rule files for the portable engine (all of them, unless some need YARA-X). */
  readonly portable: readonly EngineSource[];
  /** Rule files only YARA-X can run (and it loaded), or null. */
  readonly native: NativeRecipe | null;
  readonly maxMatchesPerString: number;
}

export type CompileResult =
  | {
      readonly available: true;
      readonly scanner: YaraScanner;
      readonly diagnostics: readonly YaraDiagnostic[];
      readonly ruleCount: number;
      /** What was compiled, so that worker threads can build the same scanner. */
      readonly recipe: YaraRecipe;
    }
  | {
      readonly available: false;
      readonly scanner: null;
      readonly diagnostics: readonly YaraDiagnostic[];
      readonly ruleCount: 0;
      readonly reason: string;
    };

interface NativeRuleMatch {
  ruleIdentifier: string;
  namespace: string;
  meta: object;
  tags: string[];
  matches: { offset: number; length: number; data: string; identifier: string }[];
}
interface NativeRules {
  scan(data: Buffer, variables?: Record<string, string | number>): NativeRuleMatch[];
  setMaxMatchesPerPattern(n: number): void;
}
interface NativeModule {
  compile(src: string, opts?: { defineVariables?: object }): NativeRules;
  validate(src: string, opts?: { defineVariables?: object }): { errors: { message: string }[] };
}

const EMPTY_EXTERNALS: Readonly<Record<YaraExternalName, string>> = {
  filename: '',
  filepath: '',
  extension: '',
  filetype: '',
  owner: '',
};

/** Loads the native module, or says why it cannot be loaded. */
export function loadYaraX(): { mod: NativeModule } | { error: string } {
  // EXHUNT_YARAX=off: behave as on a platform without the native module (tests, comparisons).
  if (process.env.EXHUNT_YARAX === 'off') return { error: 'YARA-X disabled by EXHUNT_YARAX=off' };
  try {
    const require = createRequire(import.meta.url);
    return { mod: require('@litko/yara-x') as NativeModule };
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err) };
  }
}

function compileOne(mod: NativeModule, src: YaraSource): YaraDiagnostic | null {
  try {
    const res = mod.validate(src.text, { defineVariables: EMPTY_EXTERNALS });
    const first = res.errors[0];
    return first ? diagnosticFromError(src.file, new Error(first.message)) : null;
  } catch (err) {
    return diagnosticFromError(src.file, err);
  }
}

/** Compiles the good sources together, dropping (with a diagnostic) a file that clashes. */
function compileTogether(
  mod: NativeModule,
  good: YaraSource[],
  diagnostics: YaraDiagnostic[],
): { rules: NativeRules; used: YaraSource[] } {
  const used = [...good];
  for (;;) {
    try {
      return { rules: mod.compile(joinSources(used), { defineVariables: EMPTY_EXTERNALS }), used };
    } catch (err) {
      const diag = diagnosticFromError('', err);
      const starts = lineStarts(used);
      let idx = used.length - 1;
      if (diag.line !== null) {
        const line = diag.line;
        idx = starts.findLastIndex((s) => s <= line);
      }
      const bad = used[idx];
      if (!bad || idx < 0) throw err;
      diagnostics.push(diagnosticFromError(bad.file, err, (starts[idx] ?? 1) - 1));
      used.splice(idx, 1);
    }
  }
}

/**
 * Compiles everything at once; when that fails, compiles each file alone to find (and report)
 * the bad ones, then the rest together.
 */
function compileAll(
  mod: NativeModule,
  sources: YaraSource[],
  diagnostics: YaraDiagnostic[],
): { rules: NativeRules; used: YaraSource[] } {
  try {
    return { rules: mod.compile(joinSources(sources), { defineVariables: EMPTY_EXTERNALS }), used: sources };
  } catch {
    const good = sources.filter((s) => {
      const d = compileOne(mod, s);
      if (d) diagnostics.push(d);
      return d === null;
    });
    return compileTogether(mod, good, diagnostics);
  }
}

async function readSources(
  paths: readonly string[],
  opts: CompileOptions,
  diagnostics: YaraDiagnostic[],
): Promise<YaraSource[]> {
  const sources: YaraSource[] = [];
  if (opts.bundled ?? true) {
    for (const f of await listYaraFiles([BUNDLED_YARA_DIR])) {
      sources.push(await readYaraSource(f, opts.bundledNamespace ?? 'exhunt'));
    }
  }
  for (const p of paths) {
    try {
      for (const f of await listYaraFiles([p])) sources.push(await readYaraSource(f));
    } catch (err) {
      diagnostics.push({ file: p, line: null, column: null, code: null, message: String(err) });
    }
  }
  return sources;
}

/** Message names the code, line:column and rule, so that a report error entry says it all. */
function engineDiagnostic(d: EngineDiagnostic): YaraDiagnostic {
  const at = d.line !== null ? ` at ${d.line}:${d.column ?? 1}` : '';
  const rule = d.rule ? ` in rule ${d.rule}` : '';
  return { file: d.file, line: d.line, column: d.column, code: d.code, message: `${d.code}${at}${rule}: ${d.message}` };
}

/** Compiles the bundled rules plus the rule files and folders in `paths`, once. */
export async function compileYara(paths: readonly string[], opts: CompileOptions = {}): Promise<CompileResult> {
  const diagnostics: YaraDiagnostic[] = [];
  const sources = await readSources(paths, opts, diagnostics);
  const maxMatchesPerString = opts.maxMatchesPerString ?? 16;
  const built = buildEngine(
    sources.map((s) => ({ file: s.file, namespace: s.namespace, text: s.text })),
    YARA_EXTERNALS,
  );
  let native: { rules: NativeRules; recipe: NativeRecipe; count: number } | null = null;
  // Errors in the rule text stay errors; only what the portable engine does not support
  // (Y2xx: modules, include, …; Y301: a regex it will not risk) may run on YARA-X.
  const unsupported = built.failed.filter((f) => /^Y(2\d\d|301)$/.test(f.diagnostic.code));
  for (const f of built.failed) if (!unsupported.includes(f)) diagnostics.push(engineDiagnostic(f.diagnostic));
  if (unsupported.length > 0) {
    const loaded = loadYaraX();
    const failed = new Set(unsupported.map((f) => f.source.file));
    const rest = sources.filter((s) => failed.has(s.file));
    if ('mod' in loaded) {
      // The portable engine's diagnostic stands for a file YARA-X cannot compile either.
      const nativeDiags: YaraDiagnostic[] = [];
      const { rules, used } = compileAll(loaded.mod, rest, nativeDiags);
      const usedFiles = new Set(used.map((s) => s.file));
      for (const f of unsupported) if (!usedFiles.has(f.source.file)) diagnostics.push(engineDiagnostic(f.diagnostic));
      if (used.length > 0) {
        rules.setMaxMatchesPerPattern(maxMatchesPerString);
        const nsOf = new Map<string, string>();
        for (const u of used) for (const r of u.rules) nsOf.set(r, u.namespace);
        native = { rules, recipe: { source: joinSources(used), namespaces: [...nsOf] }, count: used.reduce((n, u) => n + u.rules.length, 0) };
      }
    } else {
      for (const f of unsupported) {
        const d = engineDiagnostic(f.diagnostic);
        diagnostics.push({ ...d, message: `${d.message} (not run: YARA-X, which could, does not load on this platform)` });
      }
    }
  }
  const recipe: YaraRecipe = { portable: built.used, native: native?.recipe ?? null, maxMatchesPerString };
  const nativeScanner = native ? makeNativeScanner(native.rules, new Map(native.recipe.namespaces)) : null;
  return {
    available: true,
    scanner: combine(makePortableScanner(built.engine, maxMatchesPerString), nativeScanner),
    diagnostics,
    ruleCount: built.engine.ruleCount + (native?.count ?? 0),
    recipe,
  };
}

/** Builds a scanner from a recipe made by compileYara (in a worker thread). */
export function scannerFromRecipe(recipe: YaraRecipe): YaraScanner {
  const built = buildEngine(recipe.portable, YARA_EXTERNALS);
  const first = built.diagnostics[0];
  if (first) throw new Error(`rules compiled on the main thread failed here: ${first.message}`);
  let nativeScanner: YaraScanner | null = null;
  if (recipe.native) {
    const loaded = loadYaraX();
    if ('error' in loaded) throw new Error(`YARA-X unavailable: ${loaded.error}`);
    const rules = loaded.mod.compile(recipe.native.source, { defineVariables: EMPTY_EXTERNALS });
    rules.setMaxMatchesPerPattern(recipe.maxMatchesPerString);
    nativeScanner = makeNativeScanner(rules, new Map(recipe.native.namespaces));
  }
  return combine(makePortableScanner(built.engine, recipe.maxMatchesPerString), nativeScanner);
}

function combine(a: YaraScanner, b: YaraScanner | null): YaraScanner {
  if (!b) return a;
  return { scan: (buf, externals) => [...a.scan(buf, externals), ...b.scan(buf, externals)] };
}

/** Externals as the bytes YARA compares: UTF-8, one char per byte. */
function byteString(v: string): string {
   
  return /^[\x00-\x7f]*$/.test(v) ? v : Buffer.from(v, 'utf8').toString('latin1');
}

function makePortableScanner(engine: Engine, maxMatchesPerString: number): YaraScanner {
  return {
    scan(buf: Buffer, externals: YaraExternals = {}): YaraMatch[] {
      const ext: Record<string, string> = {};
      for (const k of YARA_EXTERNALS) ext[k] = byteString(externals[k] ?? '');
      return engine.scan(buf, ext, maxMatchesPerString).map((m) => ({
        namespace: m.namespace,
        rule: m.rule,
        meta: m.meta,
        tags: m.tags,
        strings: m.strings.map((s) => ({
          id: s.id,
          offset: s.offset,
          length: s.length,
          data: buf.subarray(s.offset, s.offset + Math.min(s.length, 64)).toString('latin1'),
        })),
      }));
    },
  };
}

function makeNativeScanner(rules: NativeRules, nsOf: ReadonlyMap<string, string>): YaraScanner {
  return {
    scan(buf: Buffer, externals: YaraExternals = {}): YaraMatch[] {
      const vars = { ...EMPTY_EXTERNALS, ...externals };
      return rules.scan(buf, vars).map((m) => ({
        namespace: nsOf.get(m.ruleIdentifier) ?? m.namespace,
        rule: m.ruleIdentifier,
        meta: m.meta as Record<string, MetaValue>,
        tags: m.tags,
        strings: m.matches.map((s) => ({
          id: s.identifier,
          offset: s.offset,
          length: s.length,
          data: buf.subarray(s.offset, s.offset + Math.min(s.length, 64)).toString('latin1'),
        })),
      }));
    },
  };
}
