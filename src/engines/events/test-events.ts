/**
 * Test helpers: small event descriptions written to a real `.evtx` file with the parser's
 * test writer (parsers/evtx/test-writer.ts), so engine tests run the whole path (parse →
 * match → findings) without files from outside the repository. Not used by the engine.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvtx, type WriterEvent } from '../../parsers/evtx/test-writer.js';

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

export interface TestEvent {
  readonly eventId: number;
  readonly channel: string;
  readonly provider: string;
  readonly level?: number;
  readonly time?: string;
  readonly computer?: string;
  /** Named EventData values. */
  readonly named?: Readonly<Record<string, string>>;
  /** Unnamed Data values, in order (MSExchange CmdletLogs, Unified Messaging, ...). */
  readonly unnamed?: readonly string[];
}

/** A Sysmon 1 or Security 4688 process creation. */
export function processCreation(kind: 'sysmon' | 'security', parent: string, image: string, commandLine: string): TestEvent {
  return kind === 'sysmon'
    ? { eventId: 1, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon', named: { Image: image, CommandLine: commandLine, ParentImage: parent, User: 'NT AUTHORITY\\SYSTEM' } }
    : { eventId: 4688, channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', named: { SubjectUserName: 'EX01$', NewProcessName: image, CommandLine: commandLine, ParentProcessName: parent } };
}

/** An MSExchange CmdletLogs event (1: the cmdlet ran, 6: it failed). */
export function cmdlet(name: string, params: string, eventId = 1): TestEvent {
  return { eventId, channel: 'MSExchange Management', provider: 'MSExchange CmdletLogs', level: 4, unnamed: [name, params, 'corp.example/Users/admin', 'S-1-5-21-1-2-3-500'] };
}

function toWriter(e: TestEvent, i: number): WriterEvent {
  const data = [
    ...Object.entries(e.named ?? {}).map(([name, value]) => ({ name, value })),
    ...(e.unnamed ?? []).map((value) => ({ value })),
  ];
  return {
    recordId: i + 1,
    time: e.time ?? `2021-03-03T01:02:${String(i % 60).padStart(2, '0')}.0000000Z`,
    eventId: e.eventId,
    level: e.level ?? 4,
    channel: e.channel,
    provider: e.provider,
    computer: e.computer ?? 'ex01.corp.example',
    data,
  };
}

/** Writes the events (record ids 1..n, in order) to a new `.evtx` file; returns its path. */
export async function writeTestEvtx(events: readonly TestEvent[], name = 'test.evtx'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-events-'));
  const path = join(dir, name);
  await writeFile(path, buildEvtx(events.map(toWriter)));
  return path;
}
