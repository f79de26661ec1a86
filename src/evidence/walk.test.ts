import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ParseIssue } from '../parsers/types.js';
import { openEvidenceRoot } from './root.js';
import type { EvidenceRoot } from './root.js';
import { escapeName, walkFiles } from './walk.js';

const base = mkdtempSync(path.join(tmpdir(), 'exhunt-walk-'));
const outside = path.join(base, 'outside');
const rootDir = path.join(base, 'ev');
const web = path.join(rootDir, 'C', 'inetpub', 'wwwroot');
let root: EvidenceRoot;

before(async () => {
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), 'not evidence');
  mkdirSync(path.join(rootDir, 'C', 'Windows'), { recursive: true });
  mkdirSync(path.join(web, 'aspnet_client', 'system_web'), { recursive: true });
  writeFileSync(path.join(web, 'iisstart.htm'), 'hello');
  writeFileSync(path.join(web, '.hidden.aspx'), 'hidden');
  writeFileSync(path.join(web, 'aspnet_client', 'system_web', 'x.aspx'), '0123456789');
  symlinkSync(outside, path.join(web, 'out-dir'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(web, 'out-file.txt'));
  symlinkSync('..', path.join(web, 'aspnet_client', 'loop'));
  symlinkSync('iisstart.htm', path.join(web, 'inside-link.htm'));
  symlinkSync('does-not-exist', path.join(web, 'dangling'));
  root = await openEvidenceRoot(rootDir);
});
after(() => rmSync(base, { recursive: true, force: true }));

async function collect(dir: string, opts: { maxDepth?: number; filter?(p: string): boolean } = {}) {
  const errors: ParseIssue[] = [];
  const files: string[] = [];
  for await (const f of walkFiles(root, dir, { ...opts, onError: (e) => errors.push(e) })) files.push(f.path);
  return { files, errors };
}

void describe('walkFiles', () => {
  void it('yields hidden files and links inside the root, with evidence paths', async () => {
    const { files } = await collect(web);
    assert.deepEqual(files, [
      'C/inetpub/wwwroot/.hidden.aspx',
      'C/inetpub/wwwroot/iisstart.htm',
      'C/inetpub/wwwroot/inside-link.htm',
      'C/inetpub/wwwroot/aspnet_client/system_web/x.aspx',
    ]);
  });

  void it('reports links leaving the root, loops and broken links, and goes on', async () => {
    const { errors } = await collect(web);
    const byPath = new Map(errors.map((e) => [e.path, e.message]));
    assert.match(byPath.get('C/inetpub/wwwroot/out-dir') ?? '', /link leaves the evidence root/);
    assert.match(byPath.get('C/inetpub/wwwroot/out-file.txt') ?? '', /link leaves the evidence root/);
    assert.match(byPath.get('C/inetpub/wwwroot/aspnet_client/loop') ?? '', /already visited/);
    assert.match(byPath.get('C/inetpub/wwwroot/dangling') ?? '', /broken link/);
    assert.ok(errors.every((e) => e.line === null));
    assert.equal(errors.length, 4);
  });

  void it('honours maxDepth and filter', async () => {
    assert.deepEqual((await collect(web, { maxDepth: 0 })).files.length, 3);
    const only = await collect(web, { filter: (p) => p.endsWith('.aspx') });
    assert.deepEqual(only.files, ['C/inetpub/wwwroot/.hidden.aspx', 'C/inetpub/wwwroot/aspnet_client/system_web/x.aspx']);
  });

  void it('gives metadata and lazy readers', async () => {
    let n = 0;
    for await (const f of walkFiles(root, path.join(web, 'aspnet_client', 'system_web'), { onError: () => {} })) {
      assert.equal(f.size, 10);
      assert.equal((await f.read(4)).toString(), '0123');
      assert.equal((await f.read()).toString(), '0123456789');
      assert.match(f.mtime ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.equal(f.location.path, f.path);
      const chunks: Buffer[] = [];
      for await (const c of f.open()) chunks.push(c as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), '0123456789');
      n++;
    }
    assert.equal(n, 1);
  });

  // Running as root, chmod cannot make a file unreadable; a missing folder stands in for it.
  void it('reports a folder it cannot read', async () => {
    const { files, errors } = await collect(path.join(web, 'gone'));
    assert.deepEqual(files, []);
    assert.match(errors[0]?.message ?? '', /cannot read folder \(ENOENT\)/);
  });

  void it('refuses a start folder outside the root', async () => {
    const { errors } = await collect(outside);
    assert.match(errors[0]?.message ?? '', /outside the evidence root/);
  });
});

void describe('names that are not valid UTF-8', () => {
  const bytesDir = path.join(rootDir, 'C', 'bytes');
  /** `C/bytes/d\xFF/s\xE9ll.aspx`, `C/bytes/ok.aspx` and a link named `l\xFE` to ok.aspx. */
  const bad = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  before(() => {
    mkdirSync(bad(bytesDir, '/d', [0xff]), { recursive: true });
    writeFileSync(bad(bytesDir, '/d', [0xff], '/s', [0xe9], 'll.aspx'), 'payload');
    writeFileSync(path.join(bytesDir, 'ok.aspx'), 'fine');
    symlinkSync('ok.aspx', bad(bytesDir, '/l', [0xfe]));
  });

  void it('walks and reads them through their bytes, shown with \\xNN escapes', async () => {
    const errors: ParseIssue[] = [];
    const seen: Record<string, string> = {};
    for await (const f of walkFiles(root, bytesDir, { onError: (e) => errors.push(e) })) {
      const chunks: Buffer[] = [];
      for await (const c of f.open()) chunks.push(c as Buffer);
      assert.equal((await f.read()).toString(), Buffer.concat(chunks).toString());
      seen[f.path] = Buffer.concat(chunks).toString();
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(seen, {
      'C/bytes/l\\xFE': 'fine',
      'C/bytes/ok.aspx': 'fine',
      'C/bytes/d\\xFF/s\\xE9ll.aspx': 'payload',
    });
  });

  void it('escapes only the bytes that are not part of valid UTF-8', () => {
    assert.equal(escapeName(Buffer.from('caf\u00e9.aspx')), 'caf\u00e9.aspx');
    assert.equal(escapeName(Buffer.from([0x61, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xe2, 0x82, 0xac])), 'a\\xC3(\\xED\\xA0\\x80\u20ac');
  });
});
