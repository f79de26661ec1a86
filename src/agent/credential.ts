/**
 * The agent's state folder, `$EXHUNT_HOME/agent/` (0700): `agent.json` (the enrolment:
 * server, agent id, credential, host name, trusted CA; 0600, written temp + fsync + rename so
 * it is whole or absent) and `spool/` (reports waiting to be sent).
 */
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from './durable-file.js';

export interface AgentCredential {
  /** Base URL of the fleet server. */
  readonly server: string;
  readonly agentId: string;
  /** `exa_…`: sent as `Authorization: Bearer`; the server keeps only its hash. */
  readonly credential: string;
  /** The name this host was enrolled under. */
  readonly hostname: string;
  /** PEM text of the CA trusted for the server (from --ca at enrolment). */
  readonly ca?: string;
  /** True when enrolled with --insecure (the server's certificate is not checked). */
  readonly insecure?: boolean;
  readonly enrolledAt?: string;
}

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

export function agentDir(home: string): string {
  return join(home, 'agent');
}

export function credentialPath(home: string): string {
  return join(agentDir(home), 'agent.json');
}

export function spoolDir(home: string): string {
  return join(agentDir(home), 'spool');
}

export async function writeCredential(home: string, cred: AgentCredential): Promise<string> {
  await ensurePrivateDir(home);
  await ensurePrivateDir(agentDir(home));
  const file = credentialPath(home);
  await writeFileAtomic(file, `${JSON.stringify(cred, null, 2)}\n`);
  await chmod(file, 0o600);
  return file;
}

function isCredential(v: unknown): v is AgentCredential {
  const o = v as Record<string, unknown> | null;
  return typeof o === 'object' && o !== null
    && typeof o.server === 'string' && typeof o.agentId === 'string'
    && typeof o.credential === 'string' && typeof o.hostname === 'string'
    && (o.ca === undefined || typeof o.ca === 'string');
}

/** The enrolment, or null when this host is not enrolled. */
export async function readCredential(home: string): Promise<AgentCredential | null> {
  const file = credentialPath(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return null;
    throw new CredentialError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new CredentialError(`${file} is not valid JSON; enrol again (exhunt agent enroll)`);
  }
  if (!isCredential(doc)) throw new CredentialError(`${file} lacks server, agentId, credential or hostname; enrol again (exhunt agent enroll)`);
  return doc;
}
