/**
 * IIS modules that are not part of a standard IIS + Exchange install: native modules
 * (`<globalModules>` images) and managed modules (`<modules>` types) in applicationHost.config
 * and in the web.config files of the web folders. Known-good images, names and types are data
 * (content/persistence/iis-modules.yaml). An unknown module whose image lies in a web folder,
 * ProgramData, Temp or a user folder is high; any other unknown module is medium.
 * Refs: Microsoft "Malicious IIS extensions quietly open persistent backdoors" (2022), ESET
 * "Anatomy of native IIS malware" (2021), ATT&CK T1505.004.
 */
import type { IisModule } from '../../evidence/app-host-config.js';
import type { Finding } from '../../findings/types.js';
import type { IisKnownGood, ManagedTypeRule } from './known-good.js';
import { lineWhere, persistenceFinding } from './finding.js';
import { normalizeWinPath, riskyPlace, type PathContext } from './locations.js';
import { blankComments, elementBodies, startTags, tagAttributes } from './xml-text.js';

export const IIS_MODULE_RULE = 'exhunt-persistence-iis-module';

const REFS = [
  'https://www.microsoft.com/en-us/security/blog/2022/07/26/malicious-iis-extensions-quietly-open-persistent-backdoors-into-servers/',
  'https://www.welivesecurity.com/2021/08/06/anatomy-native-iis-malware/',
  'https://attack.mitre.org/techniques/T1505/004/',
];

/** One config file's modules, with its text (for line numbers) and evidence path. */
export interface ModuleSource {
  readonly path: string;
  readonly text: string;
  readonly modules: readonly IisModule[];
  /** Names of the native modules the server's applicationHost.config declares. */
  readonly declaredNative: ReadonlySet<string>;
}

interface TypeName {
  readonly type: string;
  readonly assembly: string | null;
  readonly token: string | null;
}

/** Splits `Ns.Type, Assembly, Version=..., PublicKeyToken=...` (spaces optional). */
export function parseTypeName(s: string): TypeName {
  const parts = s.split(',').map((p) => p.trim());
  const token = parts.slice(2).find((p) => /^publickeytoken\s*=/i.test(p));
  return {
    type: parts[0] ?? '',
    assembly: parts[1] ? parts[1] : null,
    token: token ? token.replace(/^publickeytoken\s*=\s*/i, '').toLowerCase() : null,
  };
}

function knownType(t: TypeName, rules: readonly ManagedTypeRule[]): boolean {
  return rules.some(
    (r) =>
      t.type.startsWith(r.namespace) &&
      (t.assembly === null || r.assemblies.some((a) => t.assembly?.startsWith(a))) &&
      (t.token === null || r.tokens.includes(t.token)),
  );
}

interface Verdict {
  readonly severity: 'high' | 'medium';
  readonly why: string;
  readonly image: string | null;
}

function judgeNative(m: IisModule, good: IisKnownGood, ctx: PathContext): Verdict | null {
  if (m.image === null) return null;
  const image = normalizeWinPath(m.image, ctx);
  if (good.nativeImages.some((g) => normalizeWinPath(g, ctx) === image)) return null;
  const place = riskyPlace(image, ctx);
  if (place) return { severity: 'high', why: `native module image in ${place}`, image };
  return { severity: 'medium', why: 'native module image not part of a standard IIS / Exchange install', image };
}

function judgeManaged(m: IisModule, src: ModuleSource, good: IisKnownGood): Verdict | null {
  if (m.type === null || m.type.trim() === '') {
    const lower = m.name.toLowerCase();
    if (good.nativeNames.some((n) => n.toLowerCase() === lower) || src.declaredNative.has(lower)) return null;
    return { severity: 'medium', why: 'module enabled by name, declared nowhere as a native module', image: null };
  }
  if (knownType(parseTypeName(m.type), good.managedTypes)) return null;
  return { severity: 'medium', why: 'managed module type not part of a standard IIS / Exchange install', image: null };
}

function moduleLine(text: string, m: IisModule): number | null {
  const name = `name="${m.name}"`.toLowerCase();
  const extra = (m.image ?? m.type ?? '').toLowerCase().slice(0, 60);
  return (
    lineWhere(text, (l) => { const x = l.toLowerCase(); return x.includes(name) && (extra === '' || x.includes(extra)); }) ??
    lineWhere(text, (l) => l.toLowerCase().includes(name))
  );
}

/**
 * Managed modules registered for the classic pipeline (`<system.web><httpModules><add>`), which
 * the applicationHost reader does not list. Read from the text; comments ignored.
 */
export function classicHttpModules(text: string): IisModule[] {
  return elementBodies(blankComments(text), 'httpModules').flatMap(({ body }) =>
    startTags(body, 'add').flatMap(({ tag }) => {
      const a = tagAttributes(tag);
      const name = a.get('name');
      return name === undefined ? [] : [{ name, list: 'modules' as const, image: null, type: a.get('type') ?? null, preCondition: null, location: 'system.web/httpModules' }];
    }),
  );
}

/** Findings for the modules of one configuration file that are not known-good. */
export function checkModuleSource(src: ModuleSource, good: IisKnownGood, ctx: PathContext): Finding[] {
  const out: Finding[] = [];
  for (const m of src.modules) {
    const v = m.list === 'globalModules' ? judgeNative(m, good, ctx) : judgeManaged(m, src, good);
    if (!v) continue;
    const line = moduleLine(src.text, m);
    const what = m.list === 'globalModules' ? `native IIS module "${m.name}"` : `IIS module "${m.name}"`;
    out.push(
      persistenceFinding({
        ruleId: IIS_MODULE_RULE,
        title: `Non-standard ${what} (${v.why})`,
        severity: v.severity,
        confidence: v.severity === 'high' ? 'high' : 'medium',
        attack: ['T1505.004'],
        refs: REFS,
        path: src.path,
        line,
        key: `${m.list}\u0000${m.name}\u0000${m.location ?? ''}`,
        excerpt: (line !== null ? src.text.split(/\r\n|\n|\r/)[line - 1]?.trim() : undefined) ?? `<add name="${m.name}" />`,
        details: {
          module: m.name,
          list: m.list,
          image: m.image,
          imageExpanded: v.image,
          type: m.type,
          location: m.location,
          reason: v.why,
        },
      }),
    );
  }
  return out;
}
