/** Classifying network, TLS and HTTP failures into the per-target error kinds of the report. */
import type { TargetErrorKind } from './types.js';

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  constructor(
    readonly kind: TargetErrorKind,
    message: string,
    /** Worth another attempt (network errors and 5xx only). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

export const INSECURE_HINT = 'use --insecure to accept a self-signed or otherwise untrusted certificate';

function codeOf(err: unknown): string {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : '';
}

/** A socket-level error as a ProbeError; `where` names the host (and the proxy when there is one). */
export function classify(err: unknown, where: string): ProbeError {
  if (err instanceof ProbeError) return err;
  const code = codeOf(err);
  const msg = err instanceof Error ? err.message : String(err);
  if (DNS_CODES.has(code)) return new ProbeError('dns', `DNS lookup failed for ${where} (${code})`, false);
  if (code === 'ECONNREFUSED') return new ProbeError('refused', `connection refused by ${where}`, true);
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    const cert = code !== 'EPROTO' && !code.startsWith('ERR_SSL');
    return new ProbeError('tls', `TLS error from ${where}: ${msg}${cert ? ` (${INSECURE_HINT})` : ''}`, false);
  }
  if (RETRY_CODES.has(code)) return new ProbeError('network', `network error talking to ${where}: ${code}`, true);
  return new ProbeError('network', `network error talking to ${where}: ${msg}`, false);
}
