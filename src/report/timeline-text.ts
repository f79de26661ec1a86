/**
 * The timeline for people on a terminal: how the window was chosen and what was counted,
 * then one line per event (UTC time, what the time is, severity, where, message). Every
 * string from evidence passes `oneLine` (control and escape sequences removed, line
 * breaks shown as `\n`), so a hostile file name cannot move the cursor or recolour text.
 */
import type { Writable } from 'node:stream';
import { timelineInfo, windowText } from '../engines/timeline/build.js';
import type { TimelineEvent } from '../engines/timeline/types.js';
import { oneLine } from './escape.js';
import { flushed, writeChunk } from './stream.js';
import { fit, fitLeft, plural, squeeze } from './text-format.js';
import type { TimelineDoc, TimelineWriteOptions, TimelineWriter } from './timeline-types.js';

const DESC_WIDTH = 20;
const SEV_WIDTH = 8;

function where(e: TimelineEvent): string {
  if (e.line !== null) return `${oneLine(e.path)}:${e.line}`;
  return e.record_id === null ? oneLine(e.path) : `${oneLine(e.path)} #${e.record_id}`;
}

/**
 * One line: time, description, severity (or `-`), then message and location; fitted to
 * `width` when given (a terminal), whole otherwise (a file keeps everything).
 */
export function eventLine(e: TimelineEvent, width?: number): string {
  const head = `${e.datetime}  ${fit(oneLine(e.timestamp_desc), DESC_WIDTH).padEnd(DESC_WIDTH)}  ${(e.severity ?? '-').padEnd(SEV_WIDTH)}  `;
  const room = width === undefined ? Infinity : Math.max(20, width - head.length);
  if (e.source === 'filesystem') return `${head}${room === Infinity ? where(e) : fitLeft(where(e), room)}`;
  const text = oneLine(e.message);
  if (e.source === 'mft') return `${head}${room === Infinity ? text : fitLeft(text, room)}`;
  return `${head}${room === Infinity ? `${text} — ${where(e)}` : squeeze(text, where(e), '', room)}`;
}

/** The lines before the events: target, window, counts and what is missing. */
export function headerLines(doc: TimelineDoc): string[] {
  const info = timelineInfo(doc.timeline);
  const s = doc.timeline.stats;
  const lines = [
    `Timeline of ${oneLine(doc.report.target.root)} (all times UTC)`,
    `Window: ${windowText(info)}`,
    `${plural(doc.timeline.events.length, 'event')}: ${plural(s.findingEvents, 'from findings', 'from findings')}, ${plural(
      s.fileEvents, 'file-system time')} from ${plural(s.filesWalked, 'file')}`,
  ];
  if (s.mftEntries > 0) lines.push(`${plural(s.mftEntries, 'entry', 'entries')} of an MFTECmd $MFT CSV inside the web and artifact folders`);
  if (s.droppedFileEvents > 0) lines.push(`${plural(s.droppedFileEvents, 'file-system time')} outside the window dropped (--all keeps them)`);
  if (s.untimedFindings > 0) lines.push(`${plural(s.untimedFindings, 'finding')} without a time (posture, configuration) not in the timeline`);
  if (s.createdUnknown > 0) lines.push(`${plural(s.createdUnknown, 'file')}: created unknown (the file system or platform gives no creation time)`);
  if (s.truncated !== null) lines.push(`Incomplete: ${s.truncated}`);
  return lines;
}

export const timelineTextWriter: TimelineWriter = {
  format: 'text',
  async write(doc: TimelineDoc, out: Writable, opts: TimelineWriteOptions = {}): Promise<void> {
    const width = opts.width;
    await writeChunk(out, `${headerLines(doc).join('\n')}\n\n`);
    if (doc.timeline.events.length === 0) await writeChunk(out, 'No event in the window.\n');
    for (const e of doc.timeline.events) await writeChunk(out, `${eventLine(e, width)}\n`);
    await flushed(out);
  },
};
