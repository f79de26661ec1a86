/**
 * OABGenerator log parser (family `oab`): free-text lines, one record per non-empty line.
 *
 * microsoft/CSS-Exchange `Security/Test-ProxyLogon.ps1` searches these logs
 * (`Logging\OABGeneratorLog`) line by line for "Download failed and temporary file <path>
 * needs to be removed" (CVE-2021-26858), so lines are kept whole: `fields.message` is the line
 * exactly as read. Lines starting with `#` are treated as directives and skipped. The record
 * `time` is taken from the start of the line when it begins with a timestamp
 * (`2021-03-03T01:02:03.456Z`, `2021-03-03 01:02:03`, or `3/3/2021 1:02:03 AM`, read as UTC,
 * optionally inside `[`), else it is null. A CSV-shaped OAB line keeps its columns inside
 * `message` (the line is not split).
 */
import type { LogRecord } from '../types.js';
import type { LineParser, ParserContext } from './types.js';

const ISO_START = /^\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?/;
const US_START = /^\[?(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\s*([AP]M))?/i;

/** A timestamp at the start of a free-text line, as ISO 8601 UTC, or null. */
export function leadingTime(line: string): string | null {
  const iso = ISO_START.exec(line);
  if (iso) {
    const zone = iso[3] ?? 'Z';
    const ms = Date.parse(`${iso[1]}T${iso[2]}${zone}`);
    if (Number.isNaN(ms)) return null;
    return zone === 'Z' ? `${iso[1]}T${iso[2]}Z` : new Date(ms).toISOString();
  }
  const us = US_START.exec(line);
  if (!us) return null;
  let hour = Number(us[4]);
  const ampm = us[7]?.toUpperCase();
  if (ampm === 'PM' && hour < 12) hour += 12;
  if (ampm === 'AM' && hour === 12) hour = 0;
  const ms = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), hour, Number(us[5]), Number(us[6]));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

export class OabParser implements LineParser {
  constructor(private readonly ctx: ParserContext) {}

  line(text: string, lineNo: number): LogRecord | null {
    if (text.charCodeAt(0) === 0x23 || text.trim() === '') return null;
    this.ctx.stats.records++;
    return {
      kind: 'log',
      source: 'oab',
      time: leadingTime(text),
      fields: { message: text },
      location: { path: this.ctx.path, line: lineNo },
    };
  }

  end(): LogRecord | null {
    return null;
  }

  timeOfHead(head: string): string | null {
    return leadingTime(head);
  }
}
