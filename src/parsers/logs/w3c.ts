/**
 * IIS W3C extended log parser (family `iis`).
 *
 * Format (Microsoft, "W3C Extended Log File Format (IIS 6.0)" and IIS "Configure Logging"
 * docs): directives `#Software`, `#Version`, `#Date`, `#Fields` start with `#`; `#Fields`
 * names the space-separated columns and may appear again mid-file (IIS writes a new header
 * block after a restart or a logging change), so the column map is rebuilt each time. IIS
 * writes `-` for an empty value and replaces spaces inside values with `+`.
 *
 * Record fields (keys are the W3C names exactly as in `#Fields`, e.g. `date`, `time`, `s-ip`,
 * `cs-method`, `cs-uri-stem`, `cs-uri-query`, `s-port`, `cs-username`, `c-ip`,
 * `cs(User-Agent)`, `cs(Referer)`, `sc-status`, `sc-substatus`, `sc-win32-status`,
 * `time-taken`, and custom fields such as `X-Forwarded-For` under the name IIS logged):
 * - `-` becomes `''`.
 * - `+` is decoded to a space ONLY in `cs(User-Agent)`, `cs(Referer)` and `cs(Cookie)`
 *   (free-text headers where IIS's `+` stands for a space). Everywhere else values are raw:
 *   in `cs-uri-query` a `+` is URL syntax and stays as logged.
 * - `client-ip` (added): real client, see `client-ip.ts`.
 * `time` of the record: `date` + `time` (UTC in W3C logs) as ISO 8601 `YYYY-MM-DDTHH:MM:SSZ`;
 * without a `date` column the `#Date` directive's day is used.
 *
 * A line with MORE values than `#Fields` names (issue 21: scanners send unencoded spaces in the
 * URI, e.g. the ProxyShell probe `GET /autodiscover/autodiscover.json @foo.com/owa/?&Email=…`,
 * which IIS logs with the space as is) is read, not cut: the values before `cs-uri-stem` are
 * taken from the left, those after it from the right, and the extra values join (with the
 * spaces they had) the stem — the one column IIS does not `+`-encode. Without a `cs-uri-stem`
 * column the extra values join the last column. Each such line is reported (first few by line,
 * then a count) and counted as a record.
 */
import type { LogRecord } from '../types.js';
import { clientIp, clientIpColumns, type ClientIpColumns } from './client-ip.js';
import { fieldTemplate, headerMemo, type FieldTemplate } from './field-template.js';
import type { LineParser, ParserContext } from './types.js';

const MISMATCH_REPORTS = 5;
const PLUS_AS_SPACE = new Set(['cs(user-agent)', 'cs(referer)', 'cs(cookie)']);

interface Header {
  readonly names: readonly string[];
  readonly plus: readonly boolean[];
  readonly date: number;
  readonly time: number;
  /** Column of `cs-uri-stem` (where surplus values of an over-long line go), or -1. */
  readonly stem: number;
  readonly ip: ClientIpColumns;
  readonly hasIp: boolean;
  readonly template: FieldTemplate;
}

const headerOf = headerMemo(makeHeader);

function makeHeader(spec: string): Header {
  const names = spec.trim().split(/\s+/).filter((n) => n !== '');
  const ip = clientIpColumns(names);
  const hasIp = (ip.xff !== -1 || ip.peer !== -1) && !names.includes('client-ip');
  return {
    names,
    plus: names.map((n) => PLUS_AS_SPACE.has(n.toLowerCase())),
    date: names.indexOf('date'),
    time: names.indexOf('time'),
    stem: names.indexOf('cs-uri-stem'),
    ip,
    hasIp,
    template: fieldTemplate(hasIp ? [...names, 'client-ip'] : names),
  };
}

/** `YYYY-MM-DD` + `HH:MM:SS[.fff]` → ISO UTC, or null when either does not look right. */
export function w3cTime(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(time)) return null;
  return `${date}T${time}Z`;
}

export class W3cParser implements LineParser {
  private header: Header | null = null;
  private directiveDate = '';
  private orphanLines = 0;
  private orphanFirst = 0;
  private mismatches = 0;

  constructor(private readonly ctx: ParserContext) {}

  line(text: string, lineNo: number): LogRecord | null {
    if (text.charCodeAt(0) === 0x23) {
      this.directive(text);
      return null;
    }
    if (text.trim() === '') return null;
    const h = this.header;
    if (!h) {
      this.orphan(lineNo);
      return null;
    }
    let values = text.split(' ');
    if (values.length !== h.names.length) {
      this.countMismatch(values, h, lineNo);
      if (values.length > h.names.length) values = this.fold(values, h);
    }
    const fields: Record<string, string> = { ...h.template };
    for (let i = 0; i < h.names.length; i++) {
      let v = values[i] ?? '';
      if (v === '-') continue;
      if (h.plus[i] && v.indexOf('+') !== -1) v = v.replaceAll('+', ' ');
      fields[h.names[i]!] = v;
    }
    if (h.hasIp) fields['client-ip'] = clientIp(values, h.ip) ?? '';
    const date = h.date === -1 ? this.directiveDate : (values[h.date] ?? '');
    const time = h.time === -1 ? null : w3cTime(date, values[h.time] ?? '');
    this.ctx.stats.records++;
    return { kind: 'log', source: 'iis', time, fields, location: { path: this.ctx.path, line: lineNo } };
  }

  end(): LogRecord | null {
    if (this.mismatches > MISMATCH_REPORTS) {
      const message = `${this.mismatches} lines in all had a field count different from #Fields`;
      this.ctx.onIssue({ path: this.ctx.path, line: null, message });
    }
    if (this.orphanLines > 1) {
      this.ctx.onIssue({
        path: this.ctx.path,
        line: this.orphanFirst,
        message: `${this.orphanLines} data lines before any #Fields directive were skipped`,
      });
    }
    return null;
  }

  timeOfHead(head: string): string | null {
    const h = this.header;
    if (!h || h.date !== 0 || h.time !== 1) return null;
    return w3cTime(head.slice(0, 10), head.slice(11, 19));
  }

  private directive(text: string): void {
    if (text.startsWith('#Fields:')) {
      this.header = headerOf(text.slice(8));
    } else if (text.startsWith('#Date:')) {
      const m = /(\d{4}-\d{2}-\d{2})/.exec(text);
      this.directiveDate = m?.[1] ?? '';
    }
  }

  private orphan(lineNo: number): void {
    this.ctx.stats.skipped++;
    if (this.orphanLines++ === 0) {
      this.orphanFirst = lineNo;
      this.ctx.onIssue({
        path: this.ctx.path,
        line: lineNo,
        message: 'data line before any #Fields directive: field names unknown, skipped (reported once per file)',
      });
    }
  }

  /** Joins the surplus values of an over-long line into the stem (or the last column). */
  private fold(values: string[], h: Header): string[] {
    const n = h.names.length;
    const extra = values.length - n;
    const at = h.stem === -1 ? n - 1 : h.stem;
    const out = values.slice(0, at);
    out.push(values.slice(at, at + extra + 1).join(' '));
    for (let i = at + extra + 1; i < values.length; i++) out.push(values[i]!);
    return out;
  }

  private countMismatch(values: string[], h: Header, lineNo: number): void {
    if (++this.mismatches > MISMATCH_REPORTS) return;
    const message =
      values.length < h.names.length
        ? `line has ${values.length} of ${h.names.length} fields (truncated?); missing fields left empty`
        : `line has ${values.length} fields, #Fields names ${h.names.length} (unencoded spaces?); the extra values are read as part of ${h.stem === -1 ? h.names[h.names.length - 1] : 'cs-uri-stem'}`;
    this.ctx.onIssue({ path: this.ctx.path, line: lineNo, message });
  }
}
