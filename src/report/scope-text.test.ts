import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../findings/types.js';
import type { ScopeSection } from '../engines/scope/types.js';
import { scopeTextLines } from './scope-text.js';
import { scopeSection } from './html-scope.js';
import { renderText } from './text.js';
import { renderHtml } from './html.js';

const ESC = '\u001b';
const HOSTILE = `evil${ESC}[2J${ESC}]0;owned${ESC}\\<script>x</script>@corp.example`;

const SCOPE: ScopeSection = {
  identities: [{ kind: 'address', value: '203.0.113.17', from: ['f1'] }],
  window: { from: '2021-03-02T02:16:52.000Z', to: '2021-03-04T02:16:52.000Z' },
  attackers: [{
    address: '203.0.113.17', from: ['f1'], firstSeen: '2021-03-03T03:05:10.000Z', lastSeen: '2021-03-03T05:21:00.000Z', requests: 4,
    bytesSent: 2048, statusClasses: { '2xx': 4 }, protocols: { ews: 2, owa: 2 },
    mailboxes: [{ mailbox: HOSTILE, requests: 1, protocols: { ews: 1 } }], users: [`CORP\\${ESC}[31mred`], cmdlets: { 'Get-Mailbox': 1 },
  }],
  mailboxes: [{
    mailbox: HOSTILE, by: ['203.0.113.17'], protocols: { ews: 1 }, requests: 1, firstSeen: '2021-03-03T03:07:00.000Z', lastSeen: null,
    bytesSent: 100, statusClasses: { '2xx': 1 }, devices: [`dev${ESC}[1m`], exported: true,
  }],
  exports: [{
    mailbox: HOSTILE, filePath: `\\\\EX01\\c$\\x${ESC}[8m.pst`, time: '2021-03-03T04:10:00.000Z', user: 'CORP\\administrator', source: 'event',
    cmdlet: 'New-MailboxExportRequest', at: { path: 'C/m.evtx', recordId: 1 }, alsoAt: [], file: null, fileNote: 'not in the evidence',
  }],
  staged: [{ path: `C/ProgramData/${ESC}[2Ka.7z`, size: 10, kind: '7z', mtime: null, birthtime: null, place: 'staging' }],
  gaps: [{ source: 'httpproxy', from: '2021-03-02T02:16:52.000Z', to: '2021-03-04T02:16:52.000Z', reason: 'no HttpProxy logs in the evidence' }],
  notes: ['a note'],
};

const REPORT = {
  schemaVersion: 1, tool: { name: 'exhunt', version: 't' }, asOf: '2026-11-27', target: { kind: 'tree', root: '/r', hostname: null },
  posture: null, coverage: [], findings: [], errors: [], stats: { files: 0, bytes: 0, records: 0, skippedRecords: 0, seconds: 0 }, scope: SCOPE,
} as unknown as Report;

test('text: per attacker and per mailbox, exports, staged, gaps; escape sequences removed', () => {
  const text = scopeTextLines(REPORT, 120).join('\n');
  assert.doesNotMatch(text, /\u001b/);
  assert.match(text, /address 203\.0\.113\.17 \(from f1\)/);
  assert.match(text, /EXPORTED/);
  assert.match(text, /logs cannot answer for 2021-03-02 02:16 \.\. 2021-03-04 02:16 UTC: no HttpProxy logs in the evidence/);
  assert.match(text, /Get-Mailbox ×1/);
  assert.doesNotMatch(renderText(REPORT).join('\n'), /\u001b/);
});

test('no scope, no lines; a scope read from a file with missing lists still renders', () => {
  assert.deepEqual(scopeTextLines({ ...REPORT, scope: undefined }, 100), []);
  const partial = { ...REPORT, scope: { attackers: 'x' } } as unknown as Report;
  assert.match(scopeTextLines(partial, 100).join('\n'), /Mailboxes touched: none/);
});

test('html: evidence strings are escaped, controls stripped, no markup from evidence', () => {
  const section = scopeSection(REPORT).value;
  assert.doesNotMatch(section, /<script>/);
  assert.doesNotMatch(section, /\u001b/);
  assert.match(section, /&lt;script&gt;/);
  assert.match(renderHtml(REPORT), /Scope of the compromise/);
  assert.equal(scopeSection({ ...REPORT, scope: undefined }).value, '');
});
