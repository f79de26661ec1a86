/**
 * Data flow inside a classic ASP (VBScript / server-side JScript) page: does a value that
 * comes from the request (or the session, the raw body, a remote download) — or a string
 * assembled at run time from pieces (Join/Split/Array/Chr/StrReverse/Replace/unescape) —
 * reach Execute / ExecuteGlobal / Eval through variables? Regular expressions see the
 * one-liner `Execute Request("x")`; this follows `a = Request("x") : b = a : Execute b`,
 * function results (`F = Request("x")` inside Function F) and code spelled from pieces,
 * whatever the variables are called. Linear in the text: statements are scanned a bounded
 * number of passes; the input is capped.
 */

/** Where tainted data came from. */
export type FlowSource = 'request' | 'assembled';

/** What the data reached: code execution, a process, or the file system. */
export type FlowSink = 'code' | 'process' | 'file';

export interface FlowHit {
  readonly source: FlowSource;
  readonly sink: FlowSink;
  /** Offset of the Execute/Eval (or Run/Exec, or file call) statement in the text. */
  readonly execOffset: number;
  /** Offset of the assignment that brought the data in (request read or assembly). */
  readonly sourceOffset: number;
  /** The variable that reached the sink (lower case); empty when request data is used directly. */
  readonly variable: string;
  /** The chain of variables from the source to the executed one (at most 6). */
  readonly chain: readonly string[];
}

const MAX_TEXT = 4 * 1024 * 1024;
const MAX_STATEMENTS = 200_000;
const PASSES = 5;

const SERVER_CODE = /<%|<script[^>]{0,80}runat\s*=\s*["']?server/i;
// No two unbounded runs that can take the same characters (a padded line must not cost n²).
const ASSIGN = /^\s*(?:>\s*)?(?:<%=?\s*)?(?:(?:set|var|dim|const|let|private|public)\s+)?([a-z_][\w]{0,40})\s*=(?!=)\s*(.+)$/i;
const EXEC = /(?:^|[^.\w])(execute|executeglobal|eval)\b\s*\(?\s*(.*)$/i;
/** Running a program through a shell object (WScript.Shell .Run/.Exec, Shell.Application .ShellExecute). */
const PROC = /\.\s*(run|exec|shellexecute)\b\s*\(?\s*(.*)$/i;
const SHELL_OBJECT = /wscript\.shell|shell\.application|72C24DD5-D70A-438B-8A42-98424B88AFB8|F935DC22-1CF0-11D0-ADB9-00C04FD58A0B|13709620-C279-11CE-A49E-444553540000/i;
/** File-system calls of Scripting.FileSystemObject, ADODB.Stream and Shell.Application folders. */
const FILE_CALL = /\.\s*(createtextfile|opentextfile|deletefile|deletefolder|copyfile|movefile|createfolder|savetofile|copyhere|movehere|namespace)\b\s*\(?\s*(.*)$/i;
const MAPPATH = /mappath/i;
const SINK_WORDS = /\b(execute|executeglobal|eval|run|exec|shellexecute|createtextfile|opentextfile|deletefile|deletefolder|copyfile|movefile|createfolder|savetofile|copyhere|movehere|namespace)\b/i;
const STRINGS = /"(?:[^"\r\n]|"")*"|'[^'\r\n]*'/g;
const IDENT = /[a-z_]\w{0,40}/gi;
const REQUEST = /\brequest\s*[.([]|\bbinaryread\b|\bresponse(?:body|text)\b/i;
const ASSEMBLE = /\b(?:join|strreverse|unescape|fromcharcode)\s*\(/i;
const CHR_CALL = /\bchr[wb]?\s*\(/gi;
const TINY_PIECES = /["'][^"'\r\n]{1,4}["']\s*[&+]\s*["'][^"'\r\n]{1,4}["']\s*[&+]\s*["'][^"'\r\n]{1,4}["']/;
const CODE_ARRAY = /\barray\s*\(\s*\d{1,3}\s*(?:,\s*\d{1,3}\s*){7}/i;
/** Data must reach the Execute within this many bytes of each assignment on the way. */
const WINDOW = 4096;
const NOT_VARIABLES = new Set([
  'request', 'session', 'server', 'response', 'application', 'chr', 'chrw', 'join', 'split', 'array', 'replace', 'mid',
  'left', 'right', 'trim', 'cstr', 'string', 'len', 'new', 'and', 'or', 'not', 'then', 'true', 'false', 'null', 'nothing',
  'empty', 'call', 'unescape', 'strreverse', 'execute', 'executeglobal', 'eval', 'if', 'else', 'end',
]);

/** `confined`: some step passed the value through Server.MapPath (a path under the site). */
interface Taint { source: FlowSource; at: number; origin: number; chain: string[]; confined: boolean }

interface Statement { text: string; offset: number }

/** Statements: cut at line ends, `:` (VBScript), `;` (JScript) and `%>`; one pass over the text. */
function statements(text: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  const push = (end: number): void => {
    if (end > start && out.length < MAX_STATEMENTS) out.push({ text: text.slice(start, end), offset: start });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 58 || c === 59) {
      push(i);
      start = i + 1;
    } else if (c === 37 && text.charCodeAt(i + 1) === 62) {
      push(i);
      start = i + 2;
      i++;
    }
  }
  push(text.length);
  return out;
}

function identifiers(expr: string): string[] {
  const bare = expr.replace(STRINGS, '""');
  return [...bare.matchAll(IDENT)].map((m) => m[0].toLowerCase()).filter((n) => !NOT_VARIABLES.has(n));
}

/**
 * Code spelled from pieces: Join, StrReverse, unescape, fromCharCode, a run of Chr() codes, a
 * string grown one Chr() at a time (`s = s & Chr(x)` in a loop), an array of character codes or
 * three string pieces of one to four characters in a row (`"e" & "v" & "a" & "l"`).
 */
function assembles(name: string, expr: string, bare: string, idents: readonly string[]): boolean {
  if (ASSEMBLE.test(bare) || CODE_ARRAY.test(bare) || TINY_PIECES.test(expr)) return true;
  const chr = bare.match(CHR_CALL)?.length ?? 0;
  return chr >= 3 || (chr >= 1 && idents.includes(name));
}

/** The first argument of a call's argument text (up to a top-level comma). */
function firstArgument(arg: string): string {
  let depth = 0;
  let quote = false;
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if (c === '"') quote = !quote;
    else if (!quote && c === '(') depth++;
    else if (!quote && c === ')') depth--;
    else if (!quote && c === ',' && depth <= 0) return arg.slice(0, i);
  }
  return arg;
}

const PASS_THROUGH = new Set(['request', 'trim', 'cstr', 'lcase', 'ucase', 'ltrim', 'rtrim', 'unescape', 'server']);

/** The path goes through a function of the application (`Alias(x)`, `SafePath(x)`): its own mapping, not the visitor's path. */
function wrapsInOwnFunction(arg: string): boolean {
  for (const m of arg.matchAll(/(^|[^.\w])([a-z_]\w{0,40})\s*\(/gi)) {
    const name = (m[2] ?? '').toLowerCase();
    if (!PASS_THROUGH.has(name) && m.index === arg.search(/\S/)) return true;
  }
  return false;
}

interface Sink { kind: FlowSink; op?: string; idents: string[]; direct: boolean; confined: boolean; offset: number }

/**
 * Where tainted data reaches a sink in a server-side script text: request data (or code spelled
 * from pieces) executed as code; request data in the command line of a shell object; request
 * data as file-system paths (two or more kinds of file operation) that Server.MapPath or a
 * literal folder prefix does not confine to the site. One hit per
 * kind of sink at most, request data first.
 */
export function scriptDataFlows(input: string): FlowHit[] {
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  if (!SERVER_CODE.test(text) || !SINK_WORDS.test(text)) return [];
  const shellObject = SHELL_OBJECT.test(text);
  const assigns: { name: string; expr: string; bare: string; idents: string[]; offset: number; confines: boolean }[] = [];
  const sinks: Sink[] = [];
  for (const s of statements(text)) {
    const a = ASSIGN.exec(s.text);
    if (a?.[1] && a[2] !== undefined) {
      const bare = a[2].replace(STRINGS, '""');
      assigns.push({ name: a[1].toLowerCase(), expr: a[2], bare, idents: identifiers(a[2]), offset: s.offset, confines: MAPPATH.test(bare) });
    }
    const e = EXEC.exec(s.text);
    // Only code that is the data itself (or a function of it): a template with code around the
    // variable (`Execute "x = " & v`) is how applications dispatch, and the one-liner rules see
    // request data spliced into code directly.
    if (e?.[2] !== undefined && !/["']/.test(e[2])) {
      sinks.push({ kind: 'code', idents: identifiers(e[2]), direct: false, confined: false, offset: s.offset + e.index });
    }
    const p = shellObject ? PROC.exec(s.text) : null;
    if (p?.[2] !== undefined) {
      const arg = firstArgument(p[2]).replace(STRINGS, '""');
      sinks.push({ kind: 'process', idents: identifiers(arg), direct: REQUEST.test(arg), confined: false, offset: s.offset + p.index });
    }
    const f = FILE_CALL.exec(s.text);
    if (f?.[1] && f[2] !== undefined) {
      const arg = firstArgument(f[2]).replace(STRINGS, '""');
      // A path that starts with a literal folder ("upload/" & name) is relative to the site.
      const relative = /^\s*""/.test(arg) || wrapsInOwnFunction(arg);
      sinks.push({ kind: 'file', op: f[1].toLowerCase(), idents: identifiers(arg), direct: REQUEST.test(arg), confined: relative || MAPPATH.test(arg), offset: s.offset + f.index });
    }
  }
  if (sinks.length === 0) return [];
  const taint = new Map<string, Taint[]>();
  const add = (name: string, t: Taint): boolean => {
    const list = taint.get(name) ?? [];
    if (list.some((x) => x.at === t.at && (x.source === t.source || x.source === 'request')) || list.length >= 8) return false;
    list.push(t);
    taint.set(name, list);
    return true;
  };
  for (let pass = 0; pass < PASSES; pass++) {
    let changed = false;
    for (const a of assigns) {
      const own = { at: a.offset, origin: a.offset, chain: [a.name], confined: a.confines };
      if (REQUEST.test(a.bare)) changed = add(a.name, { source: 'request', ...own }) || changed;
      else if (assembles(a.name, a.expr, a.bare, a.idents)) changed = add(a.name, { source: 'assembled', ...own }) || changed;
      for (const id of a.idents) {
        if (id === a.name) continue;
        for (const from of taint.get(id) ?? []) {
          if (from.at >= a.offset || a.offset - from.at > WINDOW) continue;
          const t: Taint = { source: from.source, at: a.offset, origin: from.origin, chain: [...from.chain, a.name].slice(-6), confined: from.confined || a.confines };
          changed = add(a.name, t) || changed;
        }
      }
    }
    if (!changed) break;
  }
  const best = new Map<FlowSink, FlowHit>();
  const fileOps = new Set<string>();
  const offer = (hit: FlowHit, op?: string): void => {
    if (op) fileOps.add(op);
    const old = best.get(hit.sink);
    if (!old || (old.source !== 'request' && hit.source === 'request')) best.set(hit.sink, hit);
  };
  for (const k of sinks) {
    if (k.direct && k.kind !== 'code' && !k.confined) {
      offer({ source: 'request', sink: k.kind, execOffset: k.offset, sourceOffset: k.offset, variable: '', chain: [] }, k.op);
      continue;
    }
    for (const id of k.idents) {
      for (const t of taint.get(id) ?? []) {
        if (t.at >= k.offset || k.offset - t.at > WINDOW) continue;
        // Only request data drives processes and paths; a path through Server.MapPath stays in the site.
        if (k.kind !== 'code' && (t.source !== 'request' || t.confined || k.confined)) continue;
        offer({ source: t.source, sink: k.kind, execOffset: k.offset, sourceOffset: t.origin, variable: id, chain: t.chain }, k.op);
      }
    }
  }
  // A file manager: two or more kinds of file operation (write, delete, copy, move, ...) on
  // paths the visitor gives; one such call alone is how applications store an upload.
  if (fileOps.size < 2) best.delete('file');
  return [...best.values()];
}

/** The first Execute/Eval of tainted data (request data first), or null. */
export function execDataFlow(input: string): FlowHit | null {
  return scriptDataFlows(input).find((h) => h.sink === 'code') ?? null;
}
