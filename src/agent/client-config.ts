/** Command-line flags of every fleet-server client (--ca, --insecure, --proxy, --timeout) as ClientOptions. */
import { readFileSync } from 'node:fs';
import { noProxyFromEnv, proxyFromEnv, proxyProblem } from '../fingerprint/proxy.js';
import { TOOL_VERSION } from '../version.js';
import { FleetError } from './fleet-api.js';
import type { ClientOptions } from './http-client.js';

export interface ClientFlags {
  readonly ca?: string | undefined;
  readonly insecure?: boolean | undefined;
  readonly proxy?: string | undefined;
  /** Seconds, as typed. */
  readonly timeout?: string | undefined;
}

export const DEFAULT_TIMEOUT_S = 120;

/** PEM text of a CA file (one or more certificates). */
export function readCaFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FleetError(`--ca: cannot read ${file}: ${(e as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new FleetError(`--ca: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return text;
}

function timeoutMs(v: string | undefined): number {
  if (v === undefined) return DEFAULT_TIMEOUT_S * 1000;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new FleetError(`--timeout: expected seconds (more than 0, at most 3600), got ${v.slice(0, 40)}`);
  return Math.round(n * 1000);
}

/** `ca` (PEM) overrides flags.ca (a file) — e.g. the CA stored at enrolment. */
export function clientOptions(flags: ClientFlags, role: string, stored: { ca?: string | undefined; insecure?: boolean | undefined } = {}): ClientOptions {
  const proxy = flags.proxy ?? proxyFromEnv();
  const problem = proxy !== null ? proxyProblem(proxy) : null;
  if (problem !== null) throw new FleetError(problem);
  const ca = flags.ca !== undefined ? readCaFile(flags.ca) : stored.ca;
  return {
    ca,
    insecure: flags.insecure === true || stored.insecure === true,
    timeoutMs: timeoutMs(flags.timeout),
    proxy,
    noProxy: flags.proxy !== undefined ? [] : noProxyFromEnv(),
    userAgent: `exhunt/${TOOL_VERSION} (${role})`,
  };
}
