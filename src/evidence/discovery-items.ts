/**
 * Turns discovered Sources into the "where we looked, what we found" summary of a report
 * (DiscoveryItem, findings/types.ts): one item per kind of source, found or not, with up to
 * five evidence paths, a count, and what a missing source means for the verdict.
 */
import type { DiscoveryItem } from '../findings/types.js';
import type { LogFamily } from '../parsers/types.js';
import type { FoundPath, Sources } from './sources.js';

const MAX_PATHS = 5;

const FAMILY_LABELS: readonly (readonly [LogFamily, string])[] = [
  ['httpproxy', 'HttpProxy'],
  ['ecp-server', 'ECP Server'],
  ['ecp-activity', 'ECP Activity'],
  ['oab', 'OABGeneratorLog'],
  ['rps-http', 'CmdletInfra Rps_Http'],
  ['rps-cmdlet', 'CmdletInfra Cmdlet'],
];

function item(kind: string, label: string, paths: readonly FoundPath[], missing: string, note?: string): DiscoveryItem {
  const found = paths.length > 0;
  const n = found ? note : missing;
  return {
    kind,
    label,
    found,
    paths: paths.slice(0, MAX_PATHS).map((p) => p.evidencePath),
    count: paths.length,
    ...(n === undefined ? {} : { note: n }),
  };
}

function exchangeNote(s: Sources): string | undefined {
  const ex = s.exchange;
  if (!ex) return undefined;
  return `Exchange ${ex.version === 'V15' ? '2013 or later' : '2010'} (${ex.version}), found by ${ex.foundBy}`;
}

function exchangeLogsNote(s: Sources): string | undefined {
  const have = new Set(s.exchangeLogDirs.map((d) => d.family));
  const missing = FAMILY_LABELS.filter(([f]) => !have.has(f)).map(([, label]) => label);
  return missing.length > 0 ? `not found: ${missing.join(', ')}` : undefined;
}

/** One DiscoveryItem per kind of source, in a fixed order. */
export function discoveryItems(s: Sources): DiscoveryItem[] {
  const exchange = s.exchange ? [s.exchange] : [];
  const appHost = s.appHost ? [s.appHost] : [];
  const appHostNote = s.appHost && !s.appHost.config ? 'could not be read; default locations were used' : undefined;
  return [
    item('exchange-install', 'Exchange install', exchange,
      'no Exchange install folder: build, Exchange logs and Exchange web folders cannot be judged (pass --exchange-path if it is elsewhere)',
      exchangeNote(s)),
    item('build', 'ExSetup.exe', s.exsetup ? [s.exsetup] : [],
      'no Bin/ExSetup.exe: the build must come from the folder name, a registry export or --build'),
    item('iis-config', 'applicationHost.config', appHost,
      'no applicationHost.config: IIS log and web folders are the defaults, and IIS modules cannot be checked',
      appHostNote),
    item('iis-logs', 'IIS logs', s.iisLogDirs,
      'no IIS logs: exploitation of the web front end cannot be judged'),
    item('exchange-logs', 'Exchange logs', s.exchangeLogDirs,
      'no Exchange logs (HttpProxy, ECP, OAB, CmdletInfra): ProxyLogon/ProxyShell-style requests cannot be judged',
      exchangeLogsNote(s)),
    item('evtx', 'Event logs', s.evtxFiles,
      'no event logs (.evtx): service, task, account and Exchange management events cannot be judged'),
    item('web-folders', 'Web folders', s.webDirs,
      'no web-exposed folders: web shells cannot be searched for'),
    item('artifact-folders', 'Artifact folders', s.artifactDirs,
      'none of ProgramData, Windows/Temp, root, Users/Public, PerfLogs: staged tools and dumps cannot be searched for'),
    item('registry-hives', 'Registry hives', s.hives,
      'no registry hives (Windows/System32/config/SOFTWARE, SYSTEM; Users/*/NTUSER.DAT): the build and install path come from files only'),
    item('registry-exports', 'Registry exports (.reg)', s.regFiles,
      'no .reg exports near the top of the evidence (optional when the hives were collected)'),
  ];
}
