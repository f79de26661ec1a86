/**
 * Discovery: what an evidence root holds and where (see sources.ts for the contract).
 * Looks only at folder listings, applicationHost.config, `.reg` exports and the Exchange Setup key
 * of a SOFTWARE hive;
 * reading and matching the logs and files is the engines' work.
 */
import type { ParseIssue } from '../parsers/types.js';
import { childDirs, findExchange, findExchangeLogDirs, found } from './discover-exchange.js';
import { findIisLogDirs, findWebDirs, loadAppHost } from './discover-web.js';
import type { EvidenceRoot } from './root.js';
import type { ArtifactDir, ArtifactKind, DiscoverOptions, FoundPath, Sources } from './sources.js';
import { walkFiles } from './walk.js';
import { findHives } from './hives.js';
import { DEVICE_NAME } from './win-path.js';

const ARTIFACT_PLACES: readonly (readonly [string, ArtifactKind])[] = [
  ['ProgramData', 'programdata'],
  ['Windows/Temp', 'windows-temp'],
  // Test-ProxyLogon.ps1 searches C:\root and %WINDIR%\temp for LSASS dumps (microsoft/CSS-Exchange).
  ['root', 'root-folder'],
  ['Users/Public', 'users-public'],
  ['PerfLogs', 'perflogs'],
];

/** Folder levels below the root searched for `.reg` exports. */
const REG_DEPTH = 2;
/** Large system folders not searched for `.reg` exports (WinSxS alone holds tens of thousands of entries). */
const REG_SKIP = new Set(['windows', 'program files', 'program files (x86)', 'programdata', '$recycle.bin', 'system volume information']);

async function findArtifactDirs(root: EvidenceRoot): Promise<ArtifactDir[]> {
  // Files dropped at the top of the system drive (C:\x.zip, C:\lsass.dmp): that folder only.
  const out: ArtifactDir[] = [{ ...found(root, root.driveAbs), kind: 'drive-root', maxDepth: 0 }];
  for (const [rel, kind] of ARTIFACT_PLACES) {
    const abs = await root.resolveUnder(root.driveAbs, rel);
    if (!abs) continue;
    out.push({ ...found(root, abs), kind });
    if (kind !== 'programdata') continue;
    for (const d of await childDirs(root, abs)) {
      if (DEVICE_NAME.test(d.name)) out.push({ ...found(root, d.abs), kind: 'device-name' });
    }
  }
  return out;
}

async function findEvtxFiles(root: EvidenceRoot): Promise<FoundPath[]> {
  const dir = await root.resolveWin('%SystemRoot%\\System32\\winevt\\Logs');
  if (!dir) return [];
  const ents = (await root.listDir(dir)) ?? [];
  return ents.filter((e) => e.type === 'file' && /\.evtx$/i.test(e.name)).map((e) => found(root, e.abs));
}

/** `.reg` files near the top of the root (exported registry keys dropped beside a collection). */
async function findRegFiles(root: EvidenceRoot): Promise<FoundPath[]> {
  const out: FoundPath[] = [];
  const quiet = (_e: ParseIssue): void => {};
  const files = walkFiles(root, root.abs, {
    onError: quiet,
    maxDepth: REG_DEPTH,
    filter: (p) => /\.reg$/i.test(p),
    prune: (p) => REG_SKIP.has((p.split('/').pop() ?? '').toLowerCase()),
  });
  for await (const f of files) out.push({ abs: f.absPath, evidencePath: f.path });
  return out;
}

/** Everything discovery can find in `root`. Problems go to `opts.onError`; nothing throws. */
export async function discoverSources(root: EvidenceRoot, opts: DiscoverOptions): Promise<Sources> {
  const regFiles = [...(opts.liveRegFiles ?? []), ...(await findRegFiles(root))];
  const hives = await findHives(root);
  const appHost = await loadAppHost(root, opts);
  const conf = appHost?.config ?? null;
  const exchange = await findExchange(root, conf, regFiles, opts, hives);
  const exsetupAbs = exchange ? await root.resolveUnder(exchange.abs, 'Bin/ExSetup.exe') : null;
  return {
    exchange,
    appHost,
    iisLogDirs: await findIisLogDirs(root, conf),
    exchangeLogDirs: exchange ? await findExchangeLogDirs(root, exchange) : [],
    evtxFiles: await findEvtxFiles(root),
    webDirs: await findWebDirs(root, conf, exchange),
    artifactDirs: await findArtifactDirs(root),
    regFiles,
    hives,
    exsetup: exsetupAbs ? found(root, exsetupAbs) : null,
  };
}
