/**
 * One target: the logon page (X-OWA-Version header, versioned resource paths), then the ECP
 * export tool manifest (Current, else the versioned folder). Stops as soon as a full build is
 * known, so a server that shows its build in the header gets exactly one request.
 */
import { MANIFEST_NAME } from './allowed.js';
import { ProbeError } from './errors.js';
import { fetchPath } from './fetch.js';
import { buildFromHeader, buildFromLogonPage, buildFromManifest, looksLikeOwa, versionedFolder, type ReadBuild } from './parse.js';
import type { BuildMethod, FetchOptions, FetchResponse, ProbeResult, TargetError, TargetSpec, TlsInfo } from './types.js';

export const LOGON_PATH = '/owa/auth/logon.aspx';
export const MANIFEST_CURRENT = `/ecp/Current/exporttool/${MANIFEST_NAME}`;
export const manifestAt = (folder: string): string => `/ecp/${folder}/exporttool/${MANIFEST_NAME}`;

interface Seen {
  [method: string]: string | null;
}

function result(found: { b: ReadBuild; method: BuildMethod } | null, tls: TlsInfo | null, seen: Seen, error: TargetError | null, notes: readonly string[] = []): ProbeResult {
  return {
    notes,
    reachable: true,
    error: found !== null ? null : error,
    build: found?.b.build ?? null,
    buildMethod: found?.method ?? null,
    partial: found?.b.partial ?? false,
    tls,
    seen,
  };
}

function errorOf(err: unknown): TargetError {
  if (err instanceof ProbeError) return { kind: err.kind, message: err.message };
  return { kind: 'network', message: err instanceof Error ? err.message : String(err) };
}

async function tryManifest(spec: TargetSpec, path: string, opts: FetchOptions, notes: string[], now?: Date): Promise<{ b: ReadBuild | null; res: FetchResponse | null }> {
  try {
    const res = await fetchPath(spec, path, opts, now);
    return { b: res.status === 200 ? buildFromManifest(res.body) : null, res };
  } catch (err) {
    notes.push(`GET ${path}: ${errorOf(err).message}`);
    return { b: null, res: null };
  }
}

/** The logon page request; an unreachable target ends here. */
async function logonPage(spec: TargetSpec, opts: FetchOptions, now?: Date): Promise<{ res: FetchResponse | null; error: TargetError | null; unreachable: boolean }> {
  try {
    return { res: await fetchPath(spec, LOGON_PATH, opts, now), error: null, unreachable: false };
  } catch (err) {
    const e = errorOf(err);
    return { res: null, error: e, unreachable: e.kind !== 'redirect' };
  }
}

export async function probeTarget(spec: TargetSpec, opts: FetchOptions, now?: Date): Promise<ProbeResult> {
  const seen: Seen = { 'x-owa-version': null, 'logon-page': null, 'ecp-manifest': null, 'ecp-manifest-versioned': null };
  const logon = await logonPage(spec, opts, now);
  if (logon.unreachable) {
    return { reachable: false, error: logon.error, build: null, buildMethod: null, partial: false, tls: null, seen };
  }
  const header = buildFromHeader(logon.res?.headers['x-owa-version']);
  const page = logon.res !== null ? buildFromLogonPage(logon.res.body) : null;
  seen['x-owa-version'] = header?.build ?? null;
  seen['logon-page'] = page?.build ?? null;
  let tls = logon.res?.tls ?? null;
  if (header !== null && !header.partial) return result({ b: header, method: 'x-owa-version' }, tls, seen, null);
  if (page !== null && !page.partial) return result({ b: page, method: 'logon-page' }, tls, seen, null);

  const notes: string[] = [];
  const current = await tryManifest(spec, MANIFEST_CURRENT, opts, notes, now);
  tls ??= current.res?.tls ?? null;
  seen['ecp-manifest'] = current.b?.build ?? null;
  if (current.b !== null) return result({ b: current.b, method: 'ecp-manifest' }, tls, seen, null, notes);

  const cu = page ?? header;
  if (cu !== null) {
    const versioned = await tryManifest(spec, manifestAt(versionedFolder(cu)), opts, notes, now);
    seen['ecp-manifest-versioned'] = versioned.b?.build ?? null;
    if (versioned.b !== null) return result({ b: versioned.b, method: 'ecp-manifest-versioned' }, tls, seen, null, notes);
    return result({ b: cu, method: page !== null ? 'logon-page' : 'x-owa-version' }, tls, seen, null, notes);
  }
  if (logon.error !== null) return result(null, tls, seen, logon.error, notes);
  const owa = logon.res !== null && (looksLikeOwa(logon.res.body) || logon.res.headers['x-owa-version'] !== undefined);
  return result(null, tls, seen, owa
    ? { kind: 'no-build', message: `${spec.hostname} looks like Outlook on the web but shows no build number` }
    : { kind: 'not-exchange', message: `${spec.hostname} does not look like Exchange: no X-OWA-Version header, no OWA logon page, no ECP manifest (HTTP ${logon.res?.status ?? '?'} for ${LOGON_PATH})` }, notes);
}
