/** The timeline writers by format, and `writeTimeline`, the entry point `exhunt timeline` uses. */
import type { Writable } from 'node:stream';
import { timelineCsvWriter } from './timeline-csv.js';
import { timelineHtmlWriter } from './timeline-html.js';
import { timelineJsonWriter, timelineJsonlWriter } from './timeline-json.js';
import { timelineTextWriter } from './timeline-text.js';
import type { TimelineDoc, TimelineFormat, TimelineWriteOptions, TimelineWriter } from './timeline-types.js';

const WRITERS: Readonly<Record<TimelineFormat, TimelineWriter>> = {
  text: timelineTextWriter,
  csv: timelineCsvWriter,
  jsonl: timelineJsonlWriter,
  json: timelineJsonWriter,
  html: timelineHtmlWriter,
};

export async function writeTimeline(doc: TimelineDoc, format: TimelineFormat, out: Writable, opts: TimelineWriteOptions = {}): Promise<void> {
  await WRITERS[format].write(doc, out, opts);
}
