/** agent install/uninstall: the exact commands and task definition, with an injected runner. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installAgentTask, stateDir, uninstallAgentTask, type InstallDeps } from './install.js';
import { splitWinArgs } from './win-args.js';
import { taskXml, xmlDuration } from './win-task.js';

interface Recorded {
  calls: string[][];
  files: Map<string, Buffer>;
  removed: string[];
  copied: [string, string][];
  enrolledIn: string[];
  log: string[];
}

function fakeHost(over: Partial<InstallDeps> = {}, codes: Record<string, number> = {}): { deps: InstallDeps; rec: Recorded } {
  const rec: Recorded = { calls: [], files: new Map(), removed: [], copied: [], enrolledIn: [], log: [] };
  const deps: InstallDeps = {
    platform: 'win32',
    env: { ProgramData: 'C:\\ProgramData', SystemDrive: 'C:' },
    run: (file, args) => {
      rec.calls.push([file, ...args]);
      const code = codes[file] ?? 0;
      return Promise.resolve({ code, stdout: '', stderr: code ? 'ERROR: Access is denied.' : '' });
    },
    isSea: true,
    execPath: 'C:\\Users\\admin\\Downloads\\exhunt-win-x64.exe',
    script: undefined,
    mkdir: () => Promise.resolve(),
    copyFile: (a, b) => { rec.copied.push([a, b]); return Promise.resolve(); },
    writeFile: (f, d) => { rec.files.set(f, d); return Promise.resolve(); },
    remove: (p) => { rec.removed.push(p); return Promise.resolve(); },
    enroll: (home) => { rec.enrolledIn.push(home); return Promise.resolve(); },
    now: () => new Date(2026, 11, 8, 3, 0, 0),
    log: (l) => rec.log.push(l),
    ...over,
  };
  return { deps, rec };
}

function xmlOf(data: Buffer): string {
  assert.deepEqual([...data.subarray(0, 2)], [0xff, 0xfe], 'UTF-16LE byte order mark');
  return data.subarray(2).toString('utf16le');
}

function tag(xml: string, name: string): string {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  assert.ok(m, `no <${name}>`);
  return (m[1] ?? '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

test('install: ACL first, the executable copied into %ProgramData%\\exhunt, enrolment there, the task from XML as SYSTEM', async () => {
  const { deps, rec } = fakeHost();
  await installAgentTask({ intervalMs: 6 * 3_600_000 }, deps);
  assert.deepEqual(rec.calls[0], ['icacls', 'C:\\ProgramData\\exhunt', '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F']);
  assert.deepEqual(rec.copied, [['C:\\Users\\admin\\Downloads\\exhunt-win-x64.exe', 'C:\\ProgramData\\exhunt\\exhunt.exe']]);
  assert.deepEqual(rec.enrolledIn, ['C:\\ProgramData\\exhunt']);
  const create = rec.calls[1] ?? [];
  assert.deepEqual(create.slice(0, 5), ['schtasks', '/Create', '/TN', 'exhunt agent', '/XML']);
  assert.equal(create[6], '/F');
  const xmlFile = create[5] ?? '';
  assert.match(xmlFile, /^C:\\ProgramData\\exhunt\\task-[0-9a-f]{12}\.xml$/);
  assert.deepEqual(rec.removed, [xmlFile], 'the XML file is removed afterwards');
  const xml = xmlOf(rec.files.get(xmlFile) ?? Buffer.alloc(0));
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-16"\?>\r\n/);
  assert.equal(tag(xml, 'UserId'), 'S-1-5-18');
  assert.equal(tag(xml, 'RunLevel'), 'HighestAvailable');
  assert.equal(tag(xml, 'Interval'), 'PT6H');
  assert.equal(tag(xml, 'StartBoundary'), '2026-12-08T03:01:00');
  assert.equal(tag(xml, 'MultipleInstancesPolicy'), 'IgnoreNew');
  assert.equal(tag(xml, 'Command'), 'C:\\ProgramData\\exhunt\\exhunt.exe');
  assert.deepEqual(splitWinArgs(tag(xml, 'Arguments')), ['agent', 'run', 'C:\\', '--once', '--quiet', '--home', 'C:\\ProgramData\\exhunt']);
});

test('install through node: node.exe runs the script; paths with spaces and a quote survive the XML and the command line', async () => {
  const { deps, rec } = fakeHost({
    isSea: false,
    execPath: 'C:\\Program Files\\nodejs\\node.exe',
    script: 'C:\\Program Files\\nodejs\\node_modules\\exhunt\\bin\\exhunt.js',
    env: { ProgramData: 'D:\\Program Data & "x"', SystemDrive: 'D:' },
  });
  await installAgentTask({ intervalMs: 90 * 60_000, exchangePath: 'E:\\Exchange Server\\V15\\' }, deps);
  assert.deepEqual(rec.copied, []);
  assert.match(rec.log[0] ?? '', /make sure only administrators can change them/);
  const xml = xmlOf([...rec.files.values()][0] ?? Buffer.alloc(0));
  assert.equal(tag(xml, 'Command'), 'C:\\Program Files\\nodejs\\node.exe');
  assert.equal(tag(xml, 'Interval'), 'PT90M');
  assert.match(xml, /Program Data &amp; \\&quot;x\\&quot;/, 'XML-escaped after command-line quoting');
  assert.deepEqual(splitWinArgs(tag(xml, 'Arguments')), [
    'C:\\Program Files\\nodejs\\node_modules\\exhunt\\bin\\exhunt.js', 'agent', 'run', 'D:\\', '--once', '--quiet',
    '--home', 'D:\\Program Data & "x"\\exhunt', '--exchange-path', 'E:\\Exchange Server\\V15\\',
  ]);
});

test('install stops at a failed step, names it, and registers nothing after it', async () => {
  const { deps, rec } = fakeHost({}, { icacls: 5 });
  await assert.rejects(installAgentTask({ intervalMs: 3_600_000 }, deps), /icacls C:\\ProgramData\\exhunt .*failed with exit code 5: ERROR: Access is denied\./);
  assert.deepEqual(rec.enrolledIn, []);
  assert.equal(rec.calls.length, 1);
  const s = fakeHost({}, { schtasks: 1 });
  await assert.rejects(installAgentTask({ intervalMs: 3_600_000 }, s.deps), /schtasks \/Create/);
  assert.equal(s.rec.removed.length, 1, 'the XML file is removed even when schtasks fails');
});

test('install and uninstall refuse to run off Windows and odd intervals', async () => {
  const { deps, rec } = fakeHost({ platform: 'linux' });
  await assert.rejects(installAgentTask({ intervalMs: 3_600_000 }, deps), /Windows only.*systemd timer or cron/);
  await assert.rejects(uninstallAgentTask(false, deps), /Windows only/);
  assert.deepEqual(rec.calls, []);
  await assert.rejects(installAgentTask({ intervalMs: 90_500 }, fakeHost().deps), /whole minutes/);
});

test('uninstall deletes the task; the state stays unless --purge', async () => {
  const a = fakeHost();
  await uninstallAgentTask(false, a.deps);
  assert.deepEqual(a.rec.calls, [['schtasks', '/Delete', '/TN', 'exhunt agent', '/F']]);
  assert.deepEqual(a.rec.removed, []);
  assert.match(a.rec.log[0] ?? '', /stay in C:\\ProgramData\\exhunt/);
  const b = fakeHost();
  await uninstallAgentTask(true, b.deps);
  assert.deepEqual(b.rec.removed, ['C:\\ProgramData\\exhunt']);
});

test('state folder and durations', () => {
  assert.equal(stateDir({ ALLUSERSPROFILE: 'E:\\PD' }), 'E:\\PD\\exhunt');
  assert.equal(stateDir({}), 'C:\\ProgramData\\exhunt');
  assert.equal(xmlDuration(86_400_000), 'P1D');
  assert.equal(xmlDuration(30 * 60_000), 'PT30M');
  const xml = taskXml({ program: { command: 'a<b', prefix: [] }, args: [], intervalMs: 3_600_000, start: '2026-01-01T00:00:00', description: 'd' });
  assert.match(xml, /<Command>a&lt;b<\/Command>/);
});
