// Autostart places in collected hives: each rule fires on a registration that runs staged code or
// encoded PowerShell, and stays quiet on the stock look-alike beside it.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { buildHive, dword, sz, type KeySpec } from '../../../test/fixtures/regf/build-hive.js';
import type { HiveFile } from '../../evidence/hives.js';
import type { Finding } from '../../findings/types.js';
import { checkRegistryAutostarts, registryRules, utf16Strings } from './registry.js';

const base = mkdtempSync(path.join(tmpdir(), 'exhunt-reg-persist-'));
after(() => rmSync(base, { recursive: true, force: true }));
const ctx = { drive: 'C', exchange: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\', webDirs: ['C:\\inetpub\\wwwroot'] };
const good = { commands: ['c:\\programdata\\microsoft\\windows defender\\platform\\*\\mpcmdrun.exe'] };

function hiveFile(name: string, kind: HiveFile['kind'], root: KeySpec, user?: string): HiveFile {
  const abs = path.join(base, name);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, buildHive(root).buf);
  return { abs, evidencePath: `C/Windows/System32/config/${name}`, kind, ...(user ? { user } : {}) };
}

const k = (name: string, children: KeySpec[] = [], values: KeySpec['values'] = []): KeySpec => ({ name, children, values });
const str = (name: string, s: string): { name: string; type: number; data: Buffer } => ({ name, type: 2, data: sz(s) });

async function run(h: HiveFile): Promise<Finding[]> {
  const errors: string[] = [];
  const out = await checkRegistryAutostarts([h], ctx, good, (e) => errors.push(e.message));
  assert.deepEqual(errors, []);
  return out;
}

void test('registry autostarts: a service image in ProgramData is high; svchost and a driver are not', async () => {
  const sys = hiveFile('SYSTEM', 'SYSTEM', k('ROOT', [
    k('Select', [], [{ name: 'Current', type: 4, data: dword(1) }]),
    k('ControlSet001', [k('Services', [
      k('Evil', [], [str('ImagePath', 'C:\\ProgramData\\svc\\updater.exe -k')]),
      k('Dnscache', [k('Parameters', [], [str('ServiceDll', '%SystemRoot%\\System32\\dnsrslvr.dll')])], [str('ImagePath', '%SystemRoot%\\system32\\svchost.exe -k NetworkService -p')]),
      k('Sneaky', [k('Parameters', [], [str('ServiceDll', 'C:\\Windows\\Temp\\x.dll')])], [str('ImagePath', '%SystemRoot%\\system32\\svchost.exe -k netsvcs')]),
      k('disk', [], [str('ImagePath', 'System32\\drivers\\disk.sys')]),
    ])]),
  ]));
  const f = await run(sys);
  assert.deepEqual(f.map((x) => [x.ruleId, x.severity, x.details.registryKey]), [
    ['exhunt-persistence-registry-service', 'high', '\\ControlSet001\\Services\\Evil'],
    ['exhunt-persistence-registry-service', 'high', '\\ControlSet001\\Services\\Sneaky\\Parameters'],
  ]);
  assert.match(f[0]?.title ?? '', /Services\\Evil\\ImagePath runs from ProgramData/);
  assert.equal(f[0]?.evidence.kind === 'file' ? f[0].evidence.excerpt : '', 'HKLM\\SYSTEM\\ControlSet001\\Services\\Evil\\ImagePath = C:\\ProgramData\\svc\\updater.exe -k');
});

void test('registry autostarts: Run keys with encoded PowerShell or user-folder code; Program Files is quiet', async () => {
  const run1 = k('Run', [], [str('Updater', 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0A'), str('Vendor', '"C:\\Program Files\\Vendor\\agent.exe" /background')]);
  const sw = hiveFile('SOFTWARE', 'SOFTWARE', k('ROOT', [k('Microsoft', [k('Windows', [k('CurrentVersion', [run1])])])]));
  const f = await run(sw);
  assert.deepEqual(f.map((x) => [x.ruleId, x.severity]), [['exhunt-persistence-registry-run-key', 'high']]);
  assert.match(f[0]?.title ?? '', /Run\\Updater runs encoded PowerShell/);
  const nt = hiveFile('NTUSER.DAT', 'NTUSER', k('ROOT', [k('Software', [k('Microsoft', [k('Windows', [k('CurrentVersion', [k('RunOnce', [], [str('x', 'C:\\Users\\Public\\x.exe')])])])])])]), 'admin');
  const u = await run(nt);
  assert.equal(u.length, 1);
  assert.match(u[0]?.title ?? '', /^Run key entry: HKU\\admin\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\x runs from a user folder/);
});

void test('registry autostarts: an IFEO debugger is medium anywhere, high in a staging place; other IFEO values are quiet', async () => {
  const ifeo = k('Image File Execution Options', [
    k('sethc.exe', [], [str('Debugger', 'C:\\Windows\\System32\\cmd.exe')]),
    k('utilman.exe', [], [str('Debugger', 'C:\\inetpub\\wwwroot\\aspnet_client\\u.exe')]),
    k('w3wp.exe', [], [{ name: 'MitigationOptions', type: 3, data: Buffer.alloc(8) }]),
  ]);
  const sw = hiveFile('SOFTWARE-ifeo', 'SOFTWARE', k('ROOT', [k('Microsoft', [k('Windows NT', [k('CurrentVersion', [ifeo])])])]));
  const f = await run(sw);
  assert.deepEqual(f.map((x) => [x.ruleId, x.severity, String(x.details.registryKey).split('\\').pop()]), [
    ['exhunt-persistence-registry-ifeo-debugger', 'medium', 'sethc.exe'],
    ['exhunt-persistence-registry-ifeo-debugger', 'high', 'utilman.exe'],
  ]);
});

void test('registry autostarts: a cached task whose action runs from ProgramData; a stock Defender task is quiet', async () => {
  const actions = (cmd: string): Buffer => Buffer.concat([Buffer.from([3, 0, 0x0c, 0, 0, 0]), Buffer.from('Author', 'utf16le'), Buffer.from([0xff, 0xff, 0, 0, 0, 0]), Buffer.from(cmd, 'utf16le'), Buffer.alloc(6)]);
  const tasks = k('Tasks', [
    k('{11111111-2222-3333-4444-555555555555}', [], [str('Path', '\\Microsoft\\Windows\\UpdateCheck'), { name: 'Actions', type: 3, data: actions('C:\\ProgramData\\Microsoft\\upd\\run.bat') }]),
    k('{66666666-2222-3333-4444-555555555555}', [], [str('Path', '\\Microsoft\\Windows\\Windows Defender\\Scan'), { name: 'Actions', type: 3, data: actions('C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2\\MpCmdRun.exe') }]),
  ]);
  const sw = hiveFile('SOFTWARE-tasks', 'SOFTWARE', k('ROOT', [k('Microsoft', [k('Windows NT', [k('CurrentVersion', [k('Schedule', [k('TaskCache', [tasks])])])])])]));
  const f = await run(sw);
  assert.equal(f.length, 1);
  assert.match(f[0]?.title ?? '', /\(\\Microsoft\\Windows\\UpdateCheck\) runs from ProgramData/);
  assert.deepEqual(utf16Strings(actions('C:\\x.exe')), ['Author', 'C:\\x.exe']);
});

void test('registry autostarts: a damaged hive is an error naming it; every rule carries its content fields', async () => {
  const abs = path.join(base, 'broken');
  writeFileSync(abs, 'regf truncated');
  const errors: string[] = [];
  await checkRegistryAutostarts([{ abs, evidencePath: 'C/Windows/System32/config/SOFTWARE', kind: 'SOFTWARE' }], ctx, good, (e) => errors.push(`${e.path}: ${e.message}`));
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /^C\/Windows\/System32\/config\/SOFTWARE: registry hive not readable; its autostart places were not checked/);
  for (const r of Object.values(registryRules())) {
    assert.match(r.id, /^exhunt-persistence-registry-/);
    assert.ok(r.references.every((u) => u.startsWith('https://')));
    assert.ok(r.attack.length > 0);
  }
});
