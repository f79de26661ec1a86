/** Remote fingerprinting: the plain data passed between its modules and into the report. */
import type { Finding, Posture } from '../findings/types.js';

/** Why a target gave no build. `dns`, `refused`, `tls`, `timeout`, `network` mean unreachable. */
export type TargetErrorKind =
  | 'dns'
  | 'refused'
  | 'tls'
  | 'timeout'
  | 'network'
  | 'redirect'
  | 'http'
  | 'not-exchange'
  | 'no-build';

export const UNREACHABLE_KINDS: readonly TargetErrorKind[] = ['dns', 'refused', 'tls', 'timeout', 'network'];

export interface TargetError {
  readonly kind: TargetErrorKind;
  readonly message: string;
}

/** How the build was read (see probe.ts for the order). */
export type BuildMethod = 'ecp-manifest' | 'ecp-manifest-versioned' | 'x-owa-version' | 'logon-page';

export interface TlsInfo {
  readonly subject: string | null;
  readonly issuer: string | null;
  /** ISO 8601 time the certificate expires. */
  readonly validTo: string | null;
  readonly daysLeft: number | null;
  /** False when the certificate was accepted only because of --insecure. */
  readonly authorized: boolean;
  readonly authorizationError: string | null;
}

/** A parsed target: what the user typed and the origin requests go to. */
export interface TargetSpec {
  readonly input: string;
  readonly protocol: 'https:' | 'http:';
  readonly hostname: string;
  readonly port: number;
  /** `https://host[:port]` (no path). */
  readonly origin: string;
}

export interface FetchOptions {
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first attempt (network errors and 5xx only). */
  readonly retries: number;
  /** First backoff delay in milliseconds; doubles each retry. */
  readonly backoffMs: number;
  readonly insecure: boolean;
  /** `http://proxy:port`: requests go through a CONNECT tunnel. */
  readonly proxy: string | null;
  /** Host names / domain suffixes that bypass the proxy (NO_PROXY). */
  readonly noProxy?: readonly string[];
  /** Extra trusted CA certificates (PEM), e.g. for tests. */
  readonly ca?: string | readonly string[];
  readonly userAgent: string;
}

export interface FetchResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** Path of the final response after same-host redirects. */
  readonly path: string;
  readonly tls: TlsInfo | null;
}

export interface ProbeResult {
  readonly reachable: boolean;
  readonly error: TargetError | null;
  readonly build: string | null;
  readonly buildMethod: BuildMethod | null;
  /** True when only the CU is known (3-part build). */
  readonly partial: boolean;
  readonly tls: TlsInfo | null;
  /** Every method's raw answer, for the report (`null` where it gave nothing). */
  readonly seen: Readonly<Record<string, string | null>>;
  /** Requests that failed without deciding the result (e.g. a manifest request that timed out). */
  readonly notes?: readonly string[];
}

/** One object of the report's `targets` array. */
export interface TargetReport extends ProbeResult {
  readonly target: string;
  readonly url: string;
  readonly posture: Posture | null;
  readonly findings: readonly Finding[];
}
