/**
 * The persistence checks over collected evidence: non-standard IIS modules
 * (applicationHost.config, web.config of the web folders), foreign Exchange transport agents
 * (agents.config) and scheduled tasks that run staged code or encoded PowerShell. Service
 * installs and account changes are event rules (content/rules/events/persistence-*.yml) and
 * run with the other built-in event rules.
 */
import { basename } from 'node:path';
import { MAX_APPHOST_BYTES, parseAppHostConfig } from '../../evidence/app-host-config.js';
import type { EvidenceRoot } from '../../evidence/root.js';
import { outermostDirs, type Sources } from '../../evidence/sources.js';
import { readHead, walkFiles } from '../../evidence/walk.js';
import type { Finding } from '../../findings/types.js';
import type { ParseIssue } from '../../parsers/types.js';
import { checkModuleSource, classicHttpModules } from './iis-modules.js';
import { loadAgentKnownGood, loadIisKnownGood, loadTaskKnownGood, type IisKnownGood } from './known-good.js';
import type { PathContext } from './locations.js';
import { checkTaskText, MAX_TASK_BYTES } from './scheduled-tasks.js';
import { AGENT_CONFIGS, checkAgentsConfig } from './transport-agents.js';
import { checkRegistryAutostarts } from './registry.js';
import { decodeText } from './xml-text.js';

export { IIS_MODULE_RULE } from './iis-modules.js';
export { SCHEDULED_TASK_RULE } from './scheduled-tasks.js';
export { TRANSPORT_AGENT_RULE } from './transport-agents.js';

type OnError = (e: ParseIssue) => void;

function errText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/[\r\n]+/g, ' ');
}

async function readText(abs: string, limit: number): Promise<string> {
  return decodeText(await readHead(abs, limit));
}

function pathContext(root: EvidenceRoot, sources: Sources): PathContext {
  const ex = sources.exchange;
  // Without a discovered install, Exchange's default folder (what setup proposes) is assumed.
  const exWin = ex ? (ex.winPath ?? root.toWinPath(ex.abs)) : `${root.systemDrive}:\\Program Files\\Microsoft\\Exchange Server\\V15\\`;
  return {
    drive: root.systemDrive,
    exchange: exWin === null ? null : exWin.endsWith('\\') ? exWin : `${exWin}\\`,
    webDirs: sources.webDirs.map((d) => root.toWinPath(d.abs)).filter((p): p is string => p !== null),
  };
}

async function checkAppHost(sources: Sources, good: IisKnownGood, ctx: PathContext, onError: OnError): Promise<Finding[]> {
  const ah = sources.appHost;
  if (!ah?.config) return [];
  let text = '';
  try {
    text = await readText(ah.abs, MAX_APPHOST_BYTES);
  } catch (e) {
    onError({ path: ah.evidencePath, line: null, message: `cannot read for line numbers: ${errText(e)}` });
  }
  const declaredNative = new Set(ah.config.globalModules.map((m) => m.name.toLowerCase()));
  const modules = [...ah.config.globalModules, ...ah.config.modules];
  return checkModuleSource({ path: ah.evidencePath, text, modules, declaredNative }, good, ctx);
}

async function checkWebConfigs(root: EvidenceRoot, sources: Sources, good: IisKnownGood, ctx: PathContext, onError: OnError): Promise<Finding[]> {
  const declaredNative = new Set((sources.appHost?.config?.globalModules ?? []).map((m) => m.name.toLowerCase()));
  const out: Finding[] = [];
  const filter = (p: string): boolean => basename(p).toLowerCase() === 'web.config';
  for (const dir of outermostDirs(sources.webDirs)) {
    for await (const f of walkFiles(root, dir.abs, { onError, filter })) {
      if (f.size > MAX_APPHOST_BYTES) {
        onError({ path: f.path, line: null, message: 'web.config too large to be real; not checked for IIS modules' });
        continue;
      }
      try {
        const text = decodeText(await f.read());
        const conf = parseAppHostConfig(text);
        const modules = [...conf.globalModules, ...conf.modules, ...classicHttpModules(text)];
        out.push(...checkModuleSource({ path: f.path, text, modules, declaredNative }, good, ctx));
      } catch (e) {
        onError({ path: f.path, line: null, message: errText(e).replace(/applicationHost\.config/g, 'web.config') });
      }
    }
  }
  return out;
}

async function checkAgents(root: EvidenceRoot, sources: Sources, ctx: PathContext, onError: OnError): Promise<Finding[]> {
  if (!sources.exchange) return [];
  const good = await loadAgentKnownGood();
  const out: Finding[] = [];
  for (const rel of AGENT_CONFIGS) {
    const abs = await root.resolveUnder(sources.exchange.abs, rel);
    if (abs === null) continue;
    const path = root.toEvidencePath(abs);
    try {
      out.push(...checkAgentsConfig(path, await readText(abs, MAX_APPHOST_BYTES), good, ctx));
    } catch (e) {
      onError({ path, line: null, message: errText(e) });
    }
  }
  return out;
}

async function checkTasks(root: EvidenceRoot, ctx: PathContext, onError: OnError): Promise<Finding[]> {
  const dir = await root.resolveUnder(root.driveAbs, 'Windows/System32/Tasks');
  if (dir === null) return [];
  const good = await loadTaskKnownGood();
  const prefix = `${root.toEvidencePath(dir)}/`;
  const out: Finding[] = [];
  for await (const f of walkFiles(root, dir, { onError })) {
    if (f.size > MAX_TASK_BYTES) continue;
    try {
      const text = decodeText(await f.read());
      if (!/<Exec[\s>]/i.test(text)) continue;
      const name = f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
      out.push(...checkTaskText(f.path, `\\${name.replace(/\//g, '\\')}`, text, good, ctx));
    } catch (e) {
      onError({ path: f.path, line: null, message: errText(e) });
    }
  }
  return out;
}

/**
 * Persistence findings of an evidence root: IIS modules, transport agents, scheduled tasks,
 * and the autostart places of the collected registry hives.
 * Unreadable files go to `onError` and the checks go on.
 */
export async function checkPersistence(root: EvidenceRoot, sources: Sources, onError: OnError): Promise<Finding[]> {
  const ctx = pathContext(root, sources);
  const iisGood = await loadIisKnownGood();
  return [
    ...(await checkAppHost(sources, iisGood, ctx, onError)),
    ...(await checkWebConfigs(root, sources, iisGood, ctx, onError)),
    ...(await checkAgents(root, sources, ctx, onError)),
    ...(await checkTasks(root, ctx, onError)),
    ...(await checkRegistryAutostarts(sources.hives, ctx, await loadTaskKnownGood(), onError)),
  ];
}
