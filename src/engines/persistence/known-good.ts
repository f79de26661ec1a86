/**
 * Loads the known-good lists of content/persistence (IIS modules, transport agents, scheduled
 * task commands): plain YAML data with their sources, validated loosely (wrong entries are
 * dropped, not trusted).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { contentDir } from '../../rules/load.js';

export interface ManagedTypeRule {
  readonly namespace: string;
  readonly assemblies: readonly string[];
  readonly tokens: readonly string[];
}

export interface IisKnownGood {
  readonly nativeImages: readonly string[];
  readonly nativeNames: readonly string[];
  readonly managedTypes: readonly ManagedTypeRule[];
}

export interface AgentKnownGood {
  readonly names: readonly string[];
  readonly classFactoryPrefixes: readonly string[];
  /** Folder below the Exchange install that holds Microsoft's agents (`TransportRoles\agents\`). */
  readonly assemblyFolder: string;
}

export interface TaskKnownGood {
  /** Wildcard patterns (`*`) over the expanded, lower-cased command of a task action. */
  readonly commands: readonly string[];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function field(doc: unknown, name: string): unknown {
  return doc && typeof doc === 'object' && Object.hasOwn(doc, name) ? (doc as Record<string, unknown>)[name] : undefined;
}

async function loadYaml(name: string): Promise<unknown> {
  return parse(await readFile(join(contentDir(), 'persistence', name), 'utf8')) as unknown;
}

export async function loadIisKnownGood(): Promise<IisKnownGood> {
  const doc = await loadYaml('iis-modules.yaml');
  const types = field(doc, 'managedTypes');
  return {
    nativeImages: strings(field(doc, 'nativeImages')),
    nativeNames: strings(field(doc, 'nativeNames')),
    managedTypes: (Array.isArray(types) ? types : []).flatMap((t: unknown) => {
      const ns = field(t, 'namespace');
      return typeof ns === 'string' ? [{ namespace: ns, assemblies: strings(field(t, 'assemblies')), tokens: strings(field(t, 'tokens')) }] : [];
    }),
  };
}

export async function loadAgentKnownGood(): Promise<AgentKnownGood> {
  const doc = await loadYaml('transport-agents.yaml');
  const folder = field(doc, 'assemblyFolder');
  return {
    names: strings(field(doc, 'names')),
    classFactoryPrefixes: strings(field(doc, 'classFactoryPrefixes')),
    assemblyFolder: typeof folder === 'string' ? folder : 'TransportRoles\\agents\\',
  };
}

export async function loadTaskKnownGood(): Promise<TaskKnownGood> {
  return { commands: strings(field(await loadYaml('scheduled-tasks.yaml'), 'commands')) };
}
