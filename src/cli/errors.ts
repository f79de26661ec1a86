/** Errors the CLI turns into one clear line on stderr and exit code 2. */

/** Bad arguments or unusable input named by the user (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command that exists but whose capability has not landed yet (exit 2). */
export class NotAvailableError extends Error {
  override readonly name = 'NotAvailableError';
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILED = 2;
