/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF) that reports the line of every row. */
import { FeedError } from './types.js';

export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

/** Splits `text` into rows; an unterminated quote is a FeedError naming the line it opened on. */
export function readCsv(text: string, path: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; cell += c; }
    } else if (c === '"' && cell === '') { quoted = true; quoteLine = line; }
    else if (c === ',') { cells.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
      cells = []; cell = ''; line++; rowLine = line;
    } else cell += c;
  }
  if (quoted) throw new FeedError(path, quoteLine, 'malformed CSV: quoted field never closed');
  cells.push(cell);
  if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
  return rows;
}
