/** What the timeline writers take: the scan report and the merged timeline built from it. */
import type { Writable } from 'node:stream';
import type { Report } from '../findings/types.js';
import type { Timeline } from '../engines/timeline/types.js';

export const TIMELINE_FORMATS = ['text', 'csv', 'jsonl', 'json', 'html'] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

export interface TimelineDoc {
  readonly report: Report;
  readonly timeline: Timeline;
}

export interface TimelineWriteOptions {
  /** Text: terminal width to fit lines to (none: lines are written whole). */
  readonly width?: number;
}

export interface TimelineWriter {
  readonly format: TimelineFormat;
  write(doc: TimelineDoc, out: Writable, opts?: TimelineWriteOptions): Promise<void>;
}
