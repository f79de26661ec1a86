/**
 * The scope block of the text report: per attacker identity, per mailbox, the export requests,
 * staged archives, and what the logs cannot answer. Every value from evidence goes through
 * `oneLine` (escape sequences and control characters removed) before it is measured.
 */
import type { Report } from '../findings/types.js';
import type { ScopeAttacker, ScopeExport, ScopeMailbox, ScopeSection, ScopeStaged } from '../engines/scope/types.js';
import { oneLine } from './escape.js';
import { attackerName, protocolText, scopeOf, statusText } from './scope-view.js';
import { bytes, fit, minuteTime, num, plural, wrapList, wrapWords } from './text-format.js';

const MAX_LISTED = 20;

function span(first: string | null, last: string | null): string {
  if (first === null) return 'no times';
  return last === null || last === first ? minuteTime(first) : `${minuteTime(first)} .. ${minuteTime(last)}`;
}

function more(n: number, what: string): string[] {
  return n > MAX_LISTED ? [`    ... and ${num(n - MAX_LISTED)} more ${what}`] : [];
}

function attackerLines(a: ScopeAttacker, width: number): string[] {
  const from = a.from.length === 0 ? '' : ` (from ${a.from.map(oneLine).join(', ')})`;
  const lines = [fit(`  ${oneLine(attackerName(a))}${from}`, width)];
  if (a.requests === 0) {
    lines.push('    no requests in the logs');
    return lines;
  }
  const proto = protocolText(a.protocols);
  lines.push(fit(`    ${plural(a.requests, 'request')} ${span(a.firstSeen, a.lastSeen)}, ${bytes(a.bytesSent)} sent, ${statusText(a.statusClasses)}${proto ? `; mailbox protocols: ${proto}` : ''}`, width));
  if (a.users.length > 0) lines.push(...wrapList(a.users.map(oneLine), '    authenticated as: ', width));
  const boxes = a.mailboxes.map((m) => `${oneLine(m.mailbox)} (${protocolText(m.protocols)})`);
  if (boxes.length > 0) lines.push(...wrapList(boxes, '    mailboxes: ', width));
  const cmdlets = Object.entries(a.cmdlets).map(([c, n]) => `${oneLine(c)} ×${n}`);
  if (cmdlets.length > 0) lines.push(...wrapList(cmdlets, '    cmdlets: ', width));
  return lines;
}

function mailboxLine(m: ScopeMailbox, width: number): string[] {
  const flag = m.exported ? ' — EXPORTED' : '';
  const proto = protocolText(m.protocols);
  const head = `  ${oneLine(m.mailbox)}${flag}: ${proto || 'no requests'}, ${plural(m.requests, 'request')} ${span(m.firstSeen, m.lastSeen)}`;
  const tail = `${bytes(m.bytesSent)} sent, ${statusText(m.statusClasses) || 'no status'}; by ${m.by.map(oneLine).join(', ')}`;
  const devices = m.devices.length > 0 ? wrapList(m.devices.map(oneLine), '    ActiveSync devices: ', width) : [];
  return [fit(head, width), fit(`    ${tail}`, width), ...devices];
}

function exportLine(e: ScopeExport, width: number): string[] {
  const when = e.time === null ? 'undated' : minuteTime(e.time);
  const who = e.user ? ` by ${oneLine(e.user)}` : '';
  const head = `  ${when} ${oneLine(e.mailbox ?? 'unknown mailbox')} → ${oneLine(e.filePath ?? 'no -FilePath')}${who} (${oneLine(e.cmdlet)}, ${e.source})`;
  const file = e.file
    ? `    file in the evidence: ${oneLine(e.file.path)}, ${bytes(e.file.size)}${e.file.mtime ? `, modified ${minuteTime(e.file.mtime)}` : ''}`
    : `    file: ${oneLine(e.fileNote ?? 'unknown')}`;
  return [fit(head, width), fit(file, width)];
}

function stagedLine(s: ScopeStaged, width: number): string {
  const when = s.mtime ? `, modified ${minuteTime(s.mtime)}` : '';
  return fit(`  ${oneLine(s.path)} — ${oneLine(s.kind)}, ${bytes(s.size)}${when} (${s.place === 'web' ? 'web folder' : 'staging folder'})`, width);
}

function block<T>(title: string, items: readonly T[], render: (t: T) => string[], what: string): string[] {
  if (items.length === 0) return [];
  return [title, ...items.slice(0, MAX_LISTED).flatMap(render), ...more(items.length, what)];
}

function sectionLines(s: ScopeSection, width: number): string[] {
  const window = s.window ? ` (attack window ${minuteTime(s.window.from)} .. ${minuteTime(s.window.to)} UTC)` : '';
  const lines = [fit(`Scope of the compromise${window}:`, width)];
  lines.push(...block('Per attacker identity:', s.attackers, (a) => attackerLines(a, width), 'identities'));
  if (s.mailboxes.length === 0) lines.push('Mailboxes touched: none seen in the logs');
  lines.push(...block('Per mailbox:', s.mailboxes, (m) => mailboxLine(m, width), 'mailboxes'));
  lines.push(...block('Mailbox export requests:', s.exports, (e) => exportLine(e, width), 'exports'));
  lines.push(...block('Archives staged:', s.staged, (x) => [stagedLine(x, width)], 'archives'));
  lines.push(...block('What the logs cannot answer:', s.gaps, (g) => wrapWords(oneLine(`logs cannot answer for ${minuteTime(g.from)} .. ${minuteTime(g.to)} UTC: ${g.reason}`), '  ', width), 'gaps'));
  for (const n of s.notes) lines.push(...wrapWords(oneLine(n), 'Note: ', width));
  return lines;
}

/** The scope block of the text report, or no lines when the report has no scope. */
export function scopeTextLines(report: Report, width: number): string[] {
  const s = scopeOf(report);
  return s === null ? [] : sectionLines(s, Math.max(40, width));
}
