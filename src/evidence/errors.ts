/** Errors about the evidence itself: one clear line that names the path. */

export type EvidenceErrorCode = 'missing' | 'not-a-folder' | 'empty' | 'unreadable';

export class EvidenceError extends Error {
  override readonly name = 'EvidenceError';
  readonly path: string;
  readonly code: EvidenceErrorCode;

  constructor(code: EvidenceErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(message.replace(/[\r\n]+/g, ' '), options);
    this.code = code;
    this.path = path;
  }
}

/** A short name for a Node file-system error (`EACCES`), or its message. */
export function fsErrorText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message.replace(/[\r\n]+/g, ' ') : String(e);
}
