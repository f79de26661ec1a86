/**
 * The directives the fleet is judged against: build-based ones from the knowledge base
 * (content/kb/directives.yaml, or an imported KB) and fleet-only ones from
 * content/fleet/directives.yaml ("hunt run and reported within N days" / "by a deadline").
 * Loaded once per app (`directiveCatalog()`), read-only afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { indexKb, type KbIndex } from '../../engines/posture/kb-index.js';
import { loadKb } from '../../engines/posture/kb-load.js';
import type { KbDirective } from '../../engines/posture/types.js';
import { PACKAGE_ROOT } from '../../version.js';

export const FLEET_DIRECTIVES_PATH = join(PACKAGE_ROOT, 'content', 'fleet', 'directives.yaml');

export interface FleetDirective {
  readonly id: string;
  readonly kind: 'hunt-reported';
  readonly name: string;
  readonly maxAgeDays?: number;
  readonly deadline?: string;
  readonly since?: string;
  readonly source: string;
  readonly summary?: string;
}

export type Directive = { readonly kind: 'build'; readonly d: KbDirective } | { readonly kind: 'hunt-reported'; readonly d: FleetDirective };

/** What lists and reports show about a directive. */
export interface DirectiveInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: 'build' | 'hunt-reported';
  readonly deadline: string | null;
  readonly maxAgeDays: number | null;
  readonly summary: string | null;
  readonly source: string;
}

export interface DirectiveCatalog {
  readonly kb: KbIndex;
  readonly all: readonly Directive[];
  find(id: string): Directive | null;
  info(d: Directive): DirectiveInfo;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fleetDirective(v: unknown, where: string): FleetDirective {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);
  const id = str('id');
  const name = str('name');
  const source = str('source');
  const maxAgeDays = typeof o.maxAgeDays === 'number' && Number.isInteger(o.maxAgeDays) && o.maxAgeDays > 0 ? o.maxAgeDays : undefined;
  const deadline = str('deadline');
  const since = str('since');
  if (id === undefined || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new Error(`${where}: id missing or not [A-Za-z0-9._-]`);
  if (o.kind !== 'hunt-reported') throw new Error(`${where}: kind must be hunt-reported`);
  if (name === undefined || source === undefined) throw new Error(`${where}: name and source are required`);
  if ((maxAgeDays === undefined) === (deadline === undefined)) throw new Error(`${where}: give exactly one of maxAgeDays (a positive integer) or deadline`);
  if ((deadline !== undefined && !DATE.test(deadline)) || (since !== undefined && !DATE.test(since))) throw new Error(`${where}: dates are YYYY-MM-DD`);
  return { id, kind: 'hunt-reported', name, source, maxAgeDays, deadline, since, summary: str('summary') };
}

/** Reads and checks content/fleet/directives.yaml (throws naming the entry at fault). */
export function loadFleetDirectives(path: string = FLEET_DIRECTIVES_PATH): FleetDirective[] {
  const doc = parseYaml(readFileSync(path, 'utf8')) as { directives?: unknown } | null;
  const list = doc?.directives;
  if (!Array.isArray(list)) throw new Error(`${path}: no directives list`);
  return list.map((v, i) => fleetDirective(v, `${path}: directives[${i}]`));
}

export function directiveCatalog(opts: { readonly fleetPath?: string; readonly warn?: (m: string) => void } = {}): DirectiveCatalog {
  const kb = indexKb(loadKb({ warn: opts.warn }).bundle);
  const all: Directive[] = [
    ...(kb.bundle.directives ?? []).map((d) => ({ kind: 'build' as const, d })),
    ...loadFleetDirectives(opts.fleetPath).map((d) => ({ kind: 'hunt-reported' as const, d })),
  ];
  return {
    kb,
    all,
    find: (id) => all.find((x) => x.d.id.toLowerCase() === id.toLowerCase()) ?? null,
    info: (x) => (x.kind === 'build'
      ? { id: x.d.id, name: x.d.name, kind: 'build', deadline: x.d.deadline, maxAgeDays: null, summary: x.d.summary ?? null,
        source: kb.bundle.meta.sources[x.d.source] ?? x.d.source }
      : { id: x.d.id, name: x.d.name, kind: 'hunt-reported', deadline: x.d.deadline ?? null, maxAgeDays: x.d.maxAgeDays ?? null,
        summary: x.d.summary ?? null, source: x.d.source }),
  };
}
