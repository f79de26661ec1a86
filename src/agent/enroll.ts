/**
 * `agent enroll`: exchanges a one-time enrolment token for this host's agent credential and
 * stores the enrolment in `$EXHUNT_HOME/agent/agent.json` (0600, folder 0700, atomic).
 */
import { hostname as osHostname } from 'node:os';
import type { ClientOptions } from './http-client.js';
import { writeCredential, type AgentCredential } from './credential.js';
import { enroll, FleetError, parseServerUrl } from './fleet-api.js';

export interface EnrollInput {
  readonly server: string;
  readonly token: string;
  readonly hostname?: string | undefined;
  readonly home: string;
  /** PEM text of --ca, stored with the enrolment so every run trusts the same CA. */
  readonly ca?: string | undefined;
  readonly insecure: boolean;
  readonly now?: Date;
}

export interface EnrollResult {
  readonly file: string;
  readonly credential: AgentCredential;
  readonly serverName: string;
}

const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** The host name to enrol under: --hostname, else the machine's name (checked to be a plain name). */
export function enrolHostname(given: string | undefined): string {
  const h = (given ?? osHostname()).trim();
  if (!HOSTNAME.test(h)) throw new FleetError(`--hostname: expected a host name (letters, digits, '.', '-', '_'), got ${JSON.stringify(h.slice(0, 80))}`);
  return h;
}

export async function enrollAgent(input: EnrollInput, client: Omit<ClientOptions, 'ca' | 'insecure'>): Promise<EnrollResult> {
  const server = parseServerUrl(input.server);
  if (!input.token.startsWith('exe_')) throw new FleetError('--token: expected an enrolment token (exe_…) made by an admin on the fleet server');
  const hostname = enrolHostname(input.hostname);
  const opts: ClientOptions = { ...client, ca: input.ca, insecure: input.insecure };
  const got = await enroll(server, input.token, hostname, opts);
  const credential: AgentCredential = {
    server: server.href,
    agentId: got.agentId,
    credential: got.credential,
    hostname,
    ...(input.ca !== undefined ? { ca: input.ca } : {}),
    ...(input.insecure ? { insecure: true } : {}),
    enrolledAt: (input.now ?? new Date()).toISOString(),
  };
  const file = await writeCredential(input.home, credential);
  return { file, credential, serverName: got.serverName };
}
