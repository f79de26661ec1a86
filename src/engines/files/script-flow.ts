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

export interface FlowHit {
  readonly source: FlowSource;
  /** Offset of the Execute/Eval statement in the text. */
  readonly execOffset: number;
  /** Offset of the assignment that brought the data in (request read or assembly). */
  readonly sourceOffset: number;
  /** The variable executed (as written). */
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
const STRINGS = /"(?:[^"\r\n]|"")*"|'[^'\r\n]*'/g;
const IDENT = /[a-z_]\w{0,40}/gi;
const REQUEST = /\brequest\s*[.([]|\bbinaryread\b|\bresponse(?:body|text)\b/i;
const ASSEMBLE = /\b(?:join|strreverse|unescape|fromcharcode)\s*\(/i;
const CHR_CALL = /\bchr[wb]?\s*\(/gi;
const TINY_PIECE = /["'][^"'\r\n]{1,4}["']\s*[&+]/g;
const CODE_ARRAY = /\barray\s*\(\s*\d{1,3}\s*(?:,\s*\d{1,3}\s*){7}/i;
/** Data must reach the Execute within this many bytes of each assignment on the way. */
const WINDOW = 4096;
const NOT_VARIABLES = new Set([
  'request', 'session', 'server', 'response', 'application', 'chr', 'chrw', 'join', 'split', 'array', 'replace', 'mid',
  'left', 'right', 'trim', 'cstr', 'string', 'len', 'new', 'and', 'or', 'not', 'then', 'true', 'false', 'null', 'nothing',
  'empty', 'call', 'unescape', 'strreverse', 'execute', 'executeglobal', 'eval', 'if', 'else', 'end',
]);

interface Taint { source: FlowSource; at: number; origin: number; chain: string[] }

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
 * three or more string pieces of one to four characters (`"e" & "v" & "a" & "l"`).
 */
function assembles(name: string, expr: string, bare: string, idents: readonly string[]): boolean {
  if (ASSEMBLE.test(bare) || CODE_ARRAY.test(bare) || (expr.match(TINY_PIECE)?.length ?? 0) >= 3) return true;
  const chr = bare.match(CHR_CALL)?.length ?? 0;
  return chr >= 3 || (chr >= 1 && idents.includes(name));
}

/** The first Execute/Eval of tainted data in a server-side script text, or null. */
export function execDataFlow(input: string): FlowHit | null {
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  if (!SERVER_CODE.test(text) || !/\b(execute|executeglobal|eval)\b/i.test(text)) return null;
  const stmts = statements(text);
  const assigns: { name: string; expr: string; bare: string; idents: string[]; offset: number }[] = [];
  const execs: { idents: string[]; offset: number }[] = [];
  for (const s of stmts) {
    const a = ASSIGN.exec(s.text);
    if (a?.[1] && a[2] !== undefined) {
      assigns.push({ name: a[1].toLowerCase(), expr: a[2], bare: a[2].replace(STRINGS, '""'), idents: identifiers(a[2]), offset: s.offset });
    }
    const e = EXEC.exec(s.text);
    // Only code that is the data itself (or a function of it): a template with code around the
    // variable (`Execute "x = " & v`) is how applications dispatch, and the one-liner rules see
    // request data spliced into code directly.
    if (e?.[2] !== undefined && !/["']/.test(e[2])) execs.push({ idents: identifiers(e[2]), offset: s.offset + e.index });
  }
  if (execs.length === 0) return null;
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
      if (REQUEST.test(a.bare)) changed = add(a.name, { source: 'request', at: a.offset, origin: a.offset, chain: [a.name] }) || changed;
      else if (assembles(a.name, a.expr, a.bare, a.idents)) changed = add(a.name, { source: 'assembled', at: a.offset, origin: a.offset, chain: [a.name] }) || changed;
      for (const id of a.idents) {
        if (id === a.name) continue;
        for (const from of taint.get(id) ?? []) {
          if (from.at >= a.offset || a.offset - from.at > WINDOW) continue;
          changed = add(a.name, { source: from.source, at: a.offset, origin: from.origin, chain: [...from.chain, a.name].slice(-6) }) || changed;
        }
      }
    }
    if (!changed) break;
  }
  let best: FlowHit | null = null;
  for (const e of execs) {
    for (const id of e.idents) {
      for (const t of taint.get(id) ?? []) {
        if (t.at >= e.offset || e.offset - t.at > WINDOW) continue;
        const hit: FlowHit = { source: t.source, execOffset: e.offset, sourceOffset: t.origin, variable: id, chain: t.chain };
        if (t.source === 'request') return hit;
        best ??= hit;
      }
    }
  }
  return best;
}
