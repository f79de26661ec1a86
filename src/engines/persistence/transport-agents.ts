/**
 * Exchange transport agents that are not Microsoft's: every `<agent>` in
 * TransportRoles/Shared/agents.config (and fetagents.config) whose classFactory is not
 * Microsoft's or whose assembly lies outside the Exchange install's TransportRoles\agents
 * folder is high (an agent sees and can change every mail: Turla's LightNeuron, T1505.002).
 * Format: configuration/mexRuntime/agentList/agent (name, baseType, classFactory, assemblyPath,
 * enabled), Microsoft "Agents configuration file elements for Exchange 2013".
 */
import type { Finding } from '../../findings/types.js';
import type { AgentKnownGood } from './known-good.js';
import { persistenceFinding } from './finding.js';
import { normalizeWinPath, riskyPlace, type PathContext } from './locations.js';
import { blankComments, lineAt, startTags, tagAttributes } from './xml-text.js';

export const TRANSPORT_AGENT_RULE = 'exhunt-persistence-transport-agent';

/** Agent configuration files, relative to the Exchange install. */
export const AGENT_CONFIGS = ['TransportRoles/Shared/agents.config', 'TransportRoles/Shared/fetagents.config'] as const;

const REFS = [
  'https://learn.microsoft.com/exchange/client-developer/transport-agents/agents-configuration-file-elements-for-exchange-2013',
  'https://www.welivesecurity.com/2019/05/07/turla-lightneuron-email-too-far/',
  'https://attack.mitre.org/techniques/T1505/002/',
];

export interface TransportAgent {
  readonly name: string;
  readonly baseType: string | null;
  readonly classFactory: string | null;
  readonly assemblyPath: string | null;
  readonly enabled: string | null;
  readonly line: number;
  readonly tag: string;
}

/** The `<agent>` entries of an agents.config text (comments ignored). */
export function parseAgentsConfig(text: string): TransportAgent[] {
  const body = blankComments(text.replace(/^\uFEFF/, ''));
  return startTags(body, 'agent').map(({ tag, at }) => {
    const a = tagAttributes(tag);
    return {
      name: a.get('name') ?? '',
      baseType: a.get('basetype') ?? null,
      classFactory: a.get('classfactory') ?? null,
      assemblyPath: a.get('assemblypath') ?? null,
      enabled: a.get('enabled') ?? null,
      line: lineAt(body, at),
      tag: tag.replace(/\s+/g, ' '),
    };
  });
}

/** Why an agent is not Microsoft's, or null when it is. */
export function foreignAgentReason(a: TransportAgent, good: AgentKnownGood, ctx: PathContext): string | null {
  const factoryOk = good.classFactoryPrefixes.some((p) => (a.classFactory ?? '').startsWith(p));
  const folder = ctx.exchange ? normalizeWinPath(`${ctx.exchange}${good.assemblyFolder}`, ctx) : null;
  const asm = a.assemblyPath ? normalizeWinPath(a.assemblyPath, ctx) : '';
  const under = folder !== null ? asm.startsWith(folder) : asm.includes(`\\${normalizeWinPath(good.assemblyFolder, ctx)}`);
  const pathOk = under && !asm.includes('..');
  if (factoryOk && pathOk) return null;
  const place = asm ? riskyPlace(asm, ctx) : null;
  const parts = [
    factoryOk ? null : 'class factory is not Microsoft Exchange\'s',
    pathOk ? null : place ? `assembly in ${place}` : 'assembly outside the Exchange TransportRoles\\agents folder',
  ].filter((x): x is string => x !== null);
  const impersonates = good.names.some((n) => n.toLowerCase() === a.name.toLowerCase());
  return `${impersonates ? 'uses the name of a Microsoft agent, but its ' : ''}${parts.join(' and ')}`;
}

/** Findings for the foreign agents of one agents.config. */
export function checkAgentsConfig(path: string, text: string, good: AgentKnownGood, ctx: PathContext): Finding[] {
  return parseAgentsConfig(text).flatMap((a) => {
    const why = foreignAgentReason(a, good, ctx);
    if (why === null) return [];
    return [
      persistenceFinding({
        ruleId: TRANSPORT_AGENT_RULE,
        title: `Transport agent "${a.name}" is not Microsoft's (${why})`,
        severity: 'high',
        confidence: 'medium',
        attack: ['T1505.002'],
        refs: REFS,
        path,
        line: a.line,
        key: a.name,
        excerpt: a.tag,
        details: {
          agent: a.name,
          baseType: a.baseType,
          classFactory: a.classFactory,
          assemblyPath: a.assemblyPath,
          enabled: a.enabled,
          reason: why,
        },
      }),
    ];
  });
}
