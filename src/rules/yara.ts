/**
 * YARA through YARA-X (`@litko/yara-x`): rules compiled once per scan from the bundled files in
 * `content/rules/yara/` plus user rule files, with the externals public rule sets expect
 * (`filename`, `filepath`, `extension`, `filetype`, `owner`), set per scanned file.
 * A rule file that does not compile is reported as a diagnostic and skipped. When the native
 * module has no build for this platform, the result says YARA is unavailable.
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

/** Validated rule text plus the rule → namespace map: enough to rebuild the scanner elsewhere. */
export interface YaraRecipe {
  readonly source: string;
  readonly namespaces: readonly (readonly [string, string])[];
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

/** Compiles the bundled rules plus the rule files and folders in `paths`, once. */
export async function compileYara(paths: readonly string[], opts: CompileOptions = {}): Promise<CompileResult> {
  const diagnostics: YaraDiagnostic[] = [];
  const loaded = loadYaraX();
  if ('error' in loaded) {
    return { available: false, scanner: null, diagnostics, ruleCount: 0, reason: loaded.error };
  }
  const mod = loaded.mod;
  const sources = await readSources(paths, opts, diagnostics);
  const { rules, used } = compileAll(mod, sources, diagnostics);
  const maxMatchesPerString = opts.maxMatchesPerString ?? 16;
  rules.setMaxMatchesPerPattern(maxMatchesPerString);
  const nsOf = new Map<string, string>();
  for (const s of used) for (const r of s.rules) nsOf.set(r, s.namespace);
  const ruleCount = used.reduce((n, s) => n + s.rules.length, 0);
  const recipe: YaraRecipe = { source: joinSources(used), namespaces: [...nsOf], maxMatchesPerString };
  return { available: true, scanner: makeScanner(rules, nsOf), diagnostics, ruleCount, recipe };
}

/** Builds a scanner from a recipe made by compileYara (in a worker thread); throws when YARA-X cannot load. */
export function scannerFromRecipe(recipe: YaraRecipe): YaraScanner {
  const loaded = loadYaraX();
  if ('error' in loaded) throw new Error(`YARA-X unavailable: ${loaded.error}`);
  const rules = loaded.mod.compile(recipe.source, { defineVariables: EMPTY_EXTERNALS });
  rules.setMaxMatchesPerPattern(recipe.maxMatchesPerString);
  return makeScanner(rules, new Map(recipe.namespaces));
}

function makeScanner(rules: NativeRules, nsOf: ReadonlyMap<string, string>): YaraScanner {
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
