/** Errors of the regf reader: a stable code and a message naming the file and offset. */
export type RegfErrorCode =
  | 'REGF-TRUNCATED'
  | 'REGF-SIGNATURE'
  | 'REGF-TOO-LARGE'
  | 'REGF-BAD-CELL'
  | 'REGF-LOOP'
  | 'REGF-DEPTH'
  | 'REGF-LOG';

export class RegfError extends Error {
  override readonly name = 'RegfError';
  constructor(
    readonly code: RegfErrorCode,
    message: string,
  ) {
    super(message);
  }
}
