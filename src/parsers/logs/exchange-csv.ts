/**
 * Exchange CSV logs with a `#Fields:` header: HttpProxy (every protocol folder), ECP Server,
 * ECP Activity, CmdletInfra Rps_Http and Rps_Cmdlet, and any other Exchange log of that shape
 * (family `exchange-csv`).
 *
 * Format: directives `#Software`, `#Version`, `#Log-type`, `#Date`, `#Fields` (comma-separated
 * column names), then one RFC 4180-style CSV record per line: a field with a comma or quote is
 * quoted and its quotes doubled (e.g. Rps_Cmdlet `Parameters` = `"-ResultSize ""1"""`). A
 * quoted field that runs past the end of the line is joined with the following line(s) (up to
 * MAX_JOINED lines or MAX_JOINED_CHARS characters, `\n` between lines); the record keeps
 * the first line's number. Broken quoting never swallows records: when the header puts the
 * time first and a following line starts with a timestamp, the open record ends before it
 * (reported; its fields split at every comma) and that line is read as a record of its own; the
 * head of an over-long line (`cut`) is never joined.
 *
 * Headers, as logged (sources: Qazeer/artefacts.help `pages/others/microsoft_exchange.md`,
 * samples of every file; microsoft/CSS-Exchange `Security/Test-ProxyLogon.ps1`, which reads
 * HttpProxy `AnchorMailbox`, `ClientIpAddress`, `UrlStem`, `RoutingHint`, `UserAgent`,
 * `HttpStatus`; CrowdStrike/OWASSRF `Rps_Http-IOC.ps1` for the Rps_Http columns):
 * - HttpProxy: DateTime, RequestId, MajorVersion, MinorVersion, BuildVersion, RevisionVersion,
 *   ClientRequestId, Protocol, UrlHost, UrlStem, ProtocolAction, AuthenticationType,
 *   IsAuthenticated, AuthenticatedUser, Organization, AnchorMailbox, UserAgent,
 *   ClientIpAddress, ServerHostName, HttpStatus, BackEndStatus, ErrorCode, Method, ProxyAction,
 *   TargetServer, TargetServerVersion, RoutingType, RoutingHint, BackEndCookie, … (latencies)
 *   …, UrlQuery, BackEndGenericInfo, GenericInfo, GenericErrors, … (column sets vary by CU).
 * - ECP Server and ECP Activity: TimeStamp, ServerName, EventId, EventData.
 * - Rps_Http: DateTime, StartTime, RequestId, …, UrlHost, UrlStem, AuthenticationType,
 *   IsAuthenticated, AuthenticatedUser, Organization, ManagedOrganization, ClientIpAddress,
 *   ServerHostName, FrontEndServer, HttpStatus, SubStatus, ErrorCode, Action, CommandId,
 *   CommandName, SessionId, ShellId, …, ClientInfo, …, UrlQuery, GenericLatency, GenericInfo,
 *   GenericErrors.
 * - Rps_Cmdlet: DateTime, StartTime, RequestId, ClientRequestId, …, AuthenticatedUser, …,
 *   ClientApplication, Cmdlet, Parameters, …, ExecutionResult, …, NonPiiParameters.
 *
 * Record fields: keys are the header's names exactly; empty cells are `''`; values are not
 * otherwise changed. Added: `client-ip` when the header has `ClientIpAddress` (or an
 * X-Forwarded-For column), see `client-ip.ts`. Record `time`: the first of `DateTime`,
 * `TimeStamp`, `date-time` as ISO 8601 UTC.
 */
import type { LogFamily, LogRecord } from '../types.js';
import { clientIp, clientIpColumns, type ClientIpColumns } from './client-ip.js';
import { fieldTemplate, headerMemo, type FieldTemplate } from './field-template.js';
import type { LineParser, ParserContext } from './types.js';

const MAX_JOINED = 64;
const MAX_JOINED_CHARS = 1024 * 1024;
const MISMATCH_REPORTS = 5;
const TIME_NAMES = ['DateTime', 'TimeStamp', 'date-time', 'Timestamp'];
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Splits one CSV record. `open` is true when a quoted field is still open at the end. Linear:
 * fields and the runs between quotes are sliced, never built a character at a time. A quote
 * opens a quoted field only at the start of a field; after the closing quote, anything up to
 * the next comma is kept as is (`"ab"c` → `abc`); elsewhere a quote is an ordinary character.
 */
export function splitCsv(text: string): { values: string[]; open: boolean } {
  if (text.indexOf('"') === -1) return { values: text.split(','), open: false };
  const values: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) {
      const c = text.indexOf(',', i);
      if (c === -1) {
        values.push(text.slice(i));
        return { values, open: false };
      }
      values.push(text.slice(i, c));
      i = c + 1;
      continue;
    }
    let cur = '';
    let from = i + 1;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q === -1) {
        values.push(cur + text.slice(from));
        return { values, open: true };
      }
      if (text.charCodeAt(q + 1) === 0x22) {
        cur += text.slice(from, q + 1);
        from = q + 2;
        continue;
      }
      cur += text.slice(from, q);
      i = q + 1;
      break;
    }
    const c = text.indexOf(',', i);
    if (c === -1) {
      values.push(cur + text.slice(i));
      return { values, open: false };
    }
    values.push(cur + text.slice(i, c));
    i = c + 1;
  }
}

/** A data line that starts as every record of a time-first header does (`2021-03-03T01:02:03`). */
const RECORD_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/** An Exchange timestamp as ISO 8601 UTC, or null. */
export function exchangeTime(value: string): string | null {
  if (value === '') return null;
  if (ISO_Z.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

interface Header {
  readonly names: readonly string[];
  readonly time: number;
  readonly ip: ClientIpColumns;
  readonly hasIp: boolean;
  readonly template: FieldTemplate;
}

const headerOf = headerMemo(makeHeader);

function makeHeader(spec: string): Header {
  const names = splitCsv(spec.trim()).values.map((n) => n.trim());
  const ip = clientIpColumns(names);
  let time = -1;
  for (const n of TIME_NAMES) {
    time = names.indexOf(n);
    if (time !== -1) break;
  }
  const hasIp = (ip.xff !== -1 || ip.peer !== -1) && !names.includes('client-ip');
  return { names, time, ip, hasIp, template: fieldTemplate(hasIp ? [...names, 'client-ip'] : names) };
}

export class ExchangeCsvParser implements LineParser {
  private header: Header | null = null;
  /** Lines of a record whose quoted field spans lines (null: none open). */
  private joined: string[] | null = null;
  private joinedChars = 0;
  private joinedFrom = 0;
  private orphanLines = 0;
  private mismatches = 0;
  /** A record read after the one `line` returned (see `takeQueued`). */
  private queued: LogRecord | null = null;

  constructor(
    private readonly ctx: ParserContext,
    private readonly family: LogFamily,
  ) {}

  line(text: string, lineNo: number, cut = false): LogRecord | null {
    if (this.joined !== null) {
      if (this.header?.time !== 0 || !RECORD_START.test(text)) return this.continueJoined(text);
      // A new record starts while a quote is open: the open one ends here (broken quoting).
      const broken = this.closeBroken();
      this.queued = this.line(text, lineNo, cut);
      return broken;
    }
    if (text.charCodeAt(0) === 0x23) {
      if (text.startsWith('#Fields:')) this.header = headerOf(text.slice(8));
      return null;
    }
    if (text === '') return null;
    if (!this.header) {
      this.orphan(lineNo);
      return null;
    }
    const { values, open } = splitCsv(text);
    if (open && cut) return this.record(text.split(','), lineNo);
    if (open) {
      this.joined = [text];
      this.joinedChars = text.length;
      this.joinedFrom = lineNo;
      return null;
    }
    return this.record(values, lineNo);
  }

  /** The second record of the last `line` call, when it ended a broken one and read its own. */
  takeQueued(): LogRecord | null {
    const q = this.queued;
    this.queued = null;
    return q;
  }

  /** Ends an open record whose quote never closed: reported, fields split at every comma. */
  private closeBroken(): LogRecord {
    const parts = this.joined ?? [];
    this.joined = null;
    const message = `quoted field not closed before the next record (line ${this.joinedFrom + parts.length}); fields split at every comma`;
    this.ctx.onIssue({ path: this.ctx.path, line: this.joinedFrom, message });
    return this.record(parts.join('\n').split(','), this.joinedFrom);
  }

  end(): LogRecord | null {
    if (this.mismatches > MISMATCH_REPORTS) {
      const message = `${this.mismatches} lines in all had a field count different from #Fields`;
      this.ctx.onIssue({ path: this.ctx.path, line: null, message });
    }
    if (this.orphanLines > 1) {
      const message = `${this.orphanLines} data lines before any #Fields directive were skipped`;
      this.ctx.onIssue({ path: this.ctx.path, line: null, message });
    }
    if (this.joined === null) return null;
    const { values } = splitCsv(this.joined.join('\n'));
    this.joined = null;
    this.ctx.onIssue({ path: this.ctx.path, line: this.joinedFrom, message: 'quoted field not closed at end of file' });
    return this.record(values, this.joinedFrom);
  }

  timeOfHead(head: string): string | null {
    if (this.header?.time !== 0) return null;
    const comma = head.indexOf(',');
    return comma === -1 ? null : exchangeTime(head.slice(0, comma));
  }

  /**
   * Adds a line to an open record. Linear: only the new line is scanned (an odd number of
   * quotes closes the open field); the whole record is split once, when it closes or when it
   * reaches MAX_JOINED lines or MAX_JOINED_CHARS characters.
   */
  private continueJoined(text: string): LogRecord | null {
    const parts = this.joined ?? [];
    parts.push(text);
    this.joinedChars += text.length + 1;
    let quotes = 0;
    for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) quotes++;
    const stillOpen = quotes % 2 === 0;
    if (stillOpen && parts.length < MAX_JOINED && this.joinedChars < MAX_JOINED_CHARS) return null;
    this.joined = null;
    if (stillOpen) {
      const message = `quoted field still open after ${parts.length} lines; record cut there`;
      this.ctx.onIssue({ path: this.ctx.path, line: this.joinedFrom, message });
    }
    return this.record(splitCsv(parts.join('\n')).values, this.joinedFrom);
  }

  private record(values: string[], lineNo: number): LogRecord {
    const h = this.header!;
    if ((values.length < h.names.length - 1 || values.length > h.names.length) && ++this.mismatches <= MISMATCH_REPORTS) {
      const message = `line has ${values.length} fields, #Fields names ${h.names.length}`;
      this.ctx.onIssue({ path: this.ctx.path, line: lineNo, message });
    }
    const fields: Record<string, string> = { ...h.template };
    const names = h.names;
    const n = Math.min(names.length, values.length);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== '') fields[names[i]!] = v;
    }
    if (h.hasIp) fields['client-ip'] = clientIp(values, h.ip) ?? '';
    const time = h.time === -1 ? null : exchangeTime(values[h.time] ?? '');
    this.ctx.stats.records++;
    return { kind: 'log', source: this.family, time, fields, location: { path: this.ctx.path, line: lineNo } };
  }

  private orphan(lineNo: number): void {
    this.ctx.stats.skipped++;
    if (this.orphanLines++ === 0) {
      const message = 'data line before any #Fields directive: field names unknown, skipped (reported once per file)';
      this.ctx.onIssue({ path: this.ctx.path, line: lineNo, message });
    }
  }
}
