/**
 * Writes a dense, large `.evtx` file for the parsing benchmark (never committed).
 *
 *   npx tsx bench/evtx/generate.ts OUT.evtx --size 100M            # synthetic, our writer
 *   npx tsx bench/evtx/generate.ts OUT.evtx --size 1G --from-samples ../shared/samples/evtx
 *
 * Synthetic mode cycles through real-looking Exchange-server events (4624 logons, Sysmon 1
 * process creation by w3wp.exe, PowerShell 4104 script blocks, MSExchange Management cmdlet
 * events with unnamed Data, 1102 log clears with UserData) with varying values, written by
 * src/parsers/evtx/test-writer.ts. `--from-samples` repeats the in-use chunks of the real
 * sample files (the way the @ts-evtx/core figure in the samples README was measured).
 */
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EvtxWriter, fileHeader, type WriterEvent } from '../../src/parsers/evtx/test-writer.js';

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(s);
  if (!m) throw new Error(`bad --size ${s}`);
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase()] ?? 1;
  return Math.floor(Number(m[1]) * mult);
}

function timeOf(i: number): string {
  const ms = Date.UTC(2021, 2, 1) + i * 137;
  return `${new Date(ms).toISOString().slice(0, 23)}${String((i * 7919) % 10000).padStart(4, '0')}Z`;
}

const HOST = 'EXCH01.corp.contoso.com';

function synthetic(i: number): WriterEvent {
  const base = { recordId: i, time: timeOf(i), level: 4, computer: HOST };
  const user = `svc_user${i % 97}`;
  switch (i % 5) {
    case 0:
      return { ...base, eventId: 4624, level: 0, channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', data: [
        { name: 'SubjectUserSid', value: { sid: 'S-1-5-18' } }, { name: 'SubjectUserName', value: 'EXCH01$' },
        { name: 'SubjectDomainName', value: 'CONTOSO' }, { name: 'SubjectLogonId', value: { hex64: 0x3e7n } },
        { name: 'TargetUserSid', value: { sid: `S-1-5-21-1004336348-1177238915-682003330-${1000 + (i % 500)}` } },
        { name: 'TargetUserName', value: user }, { name: 'TargetDomainName', value: 'CONTOSO' },
        { name: 'TargetLogonId', value: { hex64: BigInt(0x1000000 + i) } }, { name: 'LogonType', value: { uint32: 3 } },
        { name: 'LogonProcessName', value: 'NtLmSsp ' }, { name: 'AuthenticationPackageName', value: 'NTLM' },
        { name: 'WorkstationName', value: `WKS${i % 300}` }, { name: 'IpAddress', value: `10.1.${i % 250}.${(i * 7) % 250}` },
        { name: 'IpPort', value: String(49152 + (i % 16000)) },
      ] };
    case 1:
      return { ...base, eventId: 1, channel: 'Microsoft-Windows-Sysmon/Operational', provider: 'Microsoft-Windows-Sysmon', data: [
        { name: 'RuleName', value: '-' }, { name: 'UtcTime', value: timeOf(i).slice(0, 23).replace('T', ' ') },
        { name: 'ProcessGuid', value: `{5770385f-${(i % 65536).toString(16).padStart(4, '0')}-6040-1a00-000000000e00}` },
        { name: 'ProcessId', value: String(4000 + (i % 9000)) }, { name: 'Image', value: 'C:\\Windows\\System32\\cmd.exe' },
        { name: 'CommandLine', value: `cmd /c whoami /all > C:\\inetpub\\wwwroot\\aspnet_client\\out${i}.txt` },
        { name: 'CurrentDirectory', value: 'c:\\windows\\system32\\inetsrv\\' }, { name: 'User', value: 'NT AUTHORITY\\SYSTEM' },
        { name: 'Hashes', value: 'SHA256=B99D114B267FFD068C3289199B6DF95A9F9E64872D6C2B666D63974BBCE75BF2' },
        { name: 'ParentImage', value: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe' },
        { name: 'ParentCommandLine', value: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "MSExchangeOWAAppPool" -v "v4.0"' },
      ] };
    case 2:
      return { ...base, level: 5, eventId: 4104, channel: 'Microsoft-Windows-PowerShell/Operational', provider: 'Microsoft-Windows-PowerShell', data: [
        { name: 'MessageNumber', value: '1' }, { name: 'MessageTotal', value: '1' },
        { name: 'ScriptBlockText', value: `Get-Mailbox -ResultSize Unlimited | Where-Object { $_.Name -like '*${user}*' } | Select Name, PrimarySmtpAddress # ${'x'.repeat(i % 400)}` },
        { name: 'ScriptBlockId', value: `b1e2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}` }, { name: 'Path', value: '' },
      ] };
    case 3:
      return { ...base, eventId: 1, qualifiers: 0, channel: 'MSExchange Management', provider: 'MSExchange CmdletLogs', data: [
        { value: 'New-MailboxExportRequest' },
        { value: `-Mailbox "${user}" -FilePath "\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\${i}.aspx"` },
        { value: 'CONTOSO/Users/Administrator' }, { value: `S-1-5-21-1004336348-1177238915-682003330-500` },
        { value: ['Organization Management', 'Recipient Management', ''] }, { value: `EXCH01-${i % 10}` },
      ] };
    default:
      return { ...base, eventId: 1102, channel: 'Security', provider: 'Microsoft-Windows-Eventlog', userData: {
        root: 'LogFileCleared', xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog',
        fields: [['SubjectUserSid', 'S-1-5-21-1004336348-1177238915-682003330-500'], ['SubjectUserName', user], ['SubjectDomainName', 'CONTOSO'], ['SubjectLogonId', `0x${(0x1000 + i).toString(16)}`]],
      } };
  }
}

/** The in-use chunks of every sample file (header CRC good; not blank). */
function sampleChunks(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.evtx')).sort()) {
    const buf = readFileSync(join(dir, f));
    for (let p = 4096; p + 65536 <= buf.length; p += 65536) {
      if (buf.toString('latin1', p, p + 8) === 'ElfChnk\0') out.push(buf.subarray(p, p + 65536));
    }
  }
  return out;
}

function main(): void {
  const [out, ...rest] = process.argv.slice(2);
  if (!out) throw new Error('usage: generate.ts OUT.evtx --size 100M [--from-samples DIR]');
  const flag = (name: string): string | undefined => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const target = parseSize(flag('--size') ?? '100M');
  const samples = flag('--from-samples');
  const fd = openSync(out, 'w');
  writeSync(fd, Buffer.alloc(4096));
  let chunks = 0;
  let records = 0;
  const put = (c: Buffer): void => {
    writeSync(fd, c, 0, c.length, 4096 + chunks * 65536);
    chunks++;
  };
  if (samples) {
    const pool = sampleChunks(samples);
    while (4096 + chunks * 65536 < target) put(pool[chunks % pool.length] as Buffer);
  } else {
    const w = new EvtxWriter(put);
    for (let i = 1; 4096 + chunks * 65536 < target; i++) {
      w.add(synthetic(i));
      records = i;
    }
    w.flush();
  }
  writeSync(fd, fileHeader(chunks, records + 1), 0, 4096, 0);
  closeSync(fd);
  console.error(`generate: ${out}: ${chunks} chunks, ${4096 + chunks * 65536} bytes${records ? `, ${records} records` : ''}`);
}

main();
