/**
 * The timeline as JSONL (one event per line, Timesketch's JSONL import fields first) and as
 * JSON (the scan report with the additive `timeline` and `timelineInfo` fields).
 */
import type { Writable } from 'node:stream';
import { withTimeline } from '../engines/timeline/build.js';
import { terminalSafeJson } from './escape.js';
import { flushed, writeChunk, writeLong } from './stream.js';
import type { TimelineDoc, TimelineWriter } from './timeline-types.js';

export const timelineJsonlWriter: TimelineWriter = {
  format: 'jsonl',
  async write(doc: TimelineDoc, out: Writable): Promise<void> {
    for (const e of doc.timeline.events) await writeChunk(out, `${terminalSafeJson(JSON.stringify(e))}\n`);
    await flushed(out);
  },
};

export const timelineJsonWriter: TimelineWriter = {
  format: 'json',
  async write(doc: TimelineDoc, out: Writable): Promise<void> {
    const report = withTimeline(doc.report, doc.timeline);
    await writeLong(out, `${terminalSafeJson(JSON.stringify(report, null, 2))}\n`);
    await flushed(out);
  },
};
