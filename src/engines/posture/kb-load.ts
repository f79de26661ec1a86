/**
 * Loads the knowledge base: the bundled one (content/kb: kb.json + YAML files, merged into one
 * bundle) and an imported bundle in $EXHUNT_HOME/kb/kb-bundle.json, which wins when it is newer.
 * Every bundle is validated against content/kb/schema.json before use.
 */
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';
import { PACKAGE_ROOT } from '../../version.js';
import type { KbBundle, LoadedKb } from './types.js';

export const KB_DIR = join(PACKAGE_ROOT, 'content', 'kb');
export const IMPORTED_KB_FILE = 'kb-bundle.json';

/** The data folder ($EXHUNT_HOME, default ~/.exhunt). */
export function exhuntHome(env: NodeJS.ProcessEnv = process.env): string {
  const h = env.EXHUNT_HOME;
  return h !== undefined && h !== '' ? h : join(homedir(), '.exhunt');
}

export function importedKbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(exhuntHome(env), 'kb', IMPORTED_KB_FILE);
}

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

function makeValidator(): Validator {
  const schema = JSON.parse(readFileSync(join(KB_DIR, 'schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema) as Validator;
}

/** Schema errors of a candidate bundle (empty when valid), at most 20, as "path: message". */
export function schemaErrors(data: unknown): string[] {
  const validate = makeValidator();
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

function readYaml(name: string): Record<string, unknown> {
  const v: unknown = parseYaml(readFileSync(join(KB_DIR, name), 'utf8'));
  if (typeof v !== 'object' || v === null) throw new Error(`content/kb/${name}: not a mapping`);
  return v as Record<string, unknown>;
}

/** Reads content/kb into one bundle object (not yet validated). */
export function readBundledKb(dir: string = KB_DIR): unknown {
  if (dir !== KB_DIR) throw new Error('readBundledKb: only the package KB folder is supported');
  return {
    meta: JSON.parse(readFileSync(join(KB_DIR, 'kb.json'), 'utf8')) as unknown,
    products: readYaml('products.yaml').products,
    builds: readYaml('builds.yaml').builds,
    updates: readYaml('updates.yaml').updates,
    cves: readYaml('cves.yaml').cves,
    directives: readYaml('directives.yaml').directives,
  };
}

function validated(data: unknown, where: string): KbBundle {
  const errs = schemaErrors(data);
  if (errs.length > 0) throw new Error(`${where}: knowledge base does not match the schema: ${errs.join('; ')}`);
  return data as KbBundle;
}

/** True when bundle `a` is newer than `b` (by kbDate, then kbVersion). */
export function isNewer(a: KbBundle, b: KbBundle): boolean {
  if (a.meta.kbDate !== b.meta.kbDate) return a.meta.kbDate > b.meta.kbDate;
  return a.meta.kbVersion.localeCompare(b.meta.kbVersion, 'en', { numeric: true }) > 0;
}

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Called when an imported KB exists but cannot be used (it is then ignored). */
  readonly warn?: (msg: string) => void;
}

/** The KB in force: the imported one when valid and newer than the bundled one, else the bundled one. */
export function loadKb(opts: LoadOptions = {}): LoadedKb {
  const bundled = validated(readBundledKb(), 'content/kb');
  const path = importedKbPath(opts.env);
  if (existsSync(path)) {
    try {
      const imported = validated(JSON.parse(readFileSync(path, 'utf8')) as unknown, path);
      if (isNewer(imported, bundled)) return { bundle: imported, origin: 'imported', path };
    } catch (err) {
      opts.warn?.(`ignoring imported knowledge base: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { bundle: bundled, origin: 'bundled', path: KB_DIR };
}
