/**
 * Keyset cursors of the findings list: the sort key (severity rank, seen at, row id) of the
 * last row of a page, carried in URLs as opaque base64url JSON and checked strictly when read
 * back (it comes from the client). The next page starts strictly after it, so deep pages cost
 * what the first page costs instead of walking OFFSET index entries.
 */

export interface FindingCursor {
  readonly rank: number;
  readonly seenAt: string;
  readonly id: string;
}

/** Deepest page reachable with `offset` (beyond it: the cursor). */
export const MAX_FINDINGS_OFFSET = 10_000;

const MAX_TEXT = 200;

export function encodeCursor(c: FindingCursor): string {
  return Buffer.from(JSON.stringify([c.rank, c.seenAt, c.id]), 'utf8').toString('base64url');
}

/** The cursor in `text`, or null when it is not one this server wrote (any malformed input). */
export function decodeCursor(text: string): FindingCursor | null {
  if (text.length === 0 || text.length > 600 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 3) return null;
  const [rank, seenAt, id] = v as unknown[];
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank > 5) return null;
  if (typeof seenAt !== 'string' || seenAt.length > MAX_TEXT || typeof id !== 'string' || id.length === 0 || id.length > MAX_TEXT) return null;
  return { rank, seenAt, id };
}
