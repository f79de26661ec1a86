/**
 * Which log family a file holds, from its header first and its folder second.
 *
 * Header evidence (samples in Qazeer/artefacts.help `pages/others/microsoft_exchange.md`):
 * - `#Software: Microsoft Internet Information Services` or a W3C `#Fields: date time ...`
 *   → `iis`.
 * - `#Log-type: HttpProxy Logs` → `httpproxy`; `ECP Server Log` → `ecp-server`;
 *   `ECP Activity Context Log` → `ecp-activity`; `Rps Cmdlet Logs` → `rps-cmdlet`;
 *   `Rps Http Logs` → `rps-http`.
 * - `#Fields:` beginning `DateTime,RequestId,...,Protocol,UrlHost,UrlStem` → `httpproxy`;
 *   `DateTime,StartTime,RequestId,MajorVersion` → `rps-http`;
 *   `DateTime,StartTime,RequestId,ClientRequestId` → `rps-cmdlet`;
 *   `TimeStamp,ServerName,EventId,EventData` → ECP (Server or Activity by folder/log type).
 * Folder evidence (Exchange `V15\Logging\...` layout): `HttpProxy/<protocol>/`,
 * `ECP/Server/`, `ECP/Activity/`, `CmdletInfra/.../Rps_Http*`, `.../Rps_Cmdlet*`,
 * `OABGeneratorLog/`; IIS `W3SVC<n>/u_ex*.log`.
 * A CSV `#Fields:` header of no known family → `exchange-csv`. Nothing recognisable → null.
 */
import type { LogFamily } from '../types.js';
import { decodeHead } from './line-reader.js';

const LOG_TYPES: readonly (readonly [RegExp, LogFamily])[] = [
  [/^httpproxy logs$/i, 'httpproxy'],
  [/^ecp server log/i, 'ecp-server'],
  [/^ecp activity/i, 'ecp-activity'],
  [/^rps cmdlet logs?$/i, 'rps-cmdlet'],
  [/^rps http logs?$/i, 'rps-http'],
];

/** Family from the folder and file name only (any case, `/` or `\` separators). */
export function familyFromPath(path: string): LogFamily | null {
  const p = path.replaceAll('\\', '/').toLowerCase();
  const name = p.slice(p.lastIndexOf('/') + 1);
  if (p.includes('/oabgeneratorlog/') || name.startsWith('oabgenerator')) return 'oab';
  if (name.startsWith('rps_http')) return 'rps-http';
  if (name.startsWith('rps_cmdlet')) return 'rps-cmdlet';
  if (p.includes('/httpproxy/') || name.startsWith('httpproxy_')) return 'httpproxy';
  if (p.includes('/ecp/server/') || name.startsWith('ecpserver')) return 'ecp-server';
  if (p.includes('/ecp/activity/') || name.startsWith('ecpactivity')) return 'ecp-activity';
  if (/(^|\/)w3svc\d+\/u_ex[^/]*$/.test(p) || /^u_ex\d+/.test(name)) return 'iis';
  return null;
}

function familyFromFields(fields: string, byPath: LogFamily | null): LogFamily | null {
  const f = fields.trim();
  if (!f.includes(',')) {
    return /(^|\s)(date|time|cs-uri-stem|c-ip|s-ip)(\s|$)/.test(f) ? 'iis' : null;
  }
  if (/^DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,/i.test(f)) {
    return 'httpproxy';
  }
  if (/^DateTime,StartTime,RequestId,ClientRequestId,/i.test(f)) return 'rps-cmdlet';
  if (/^DateTime,StartTime,RequestId,MajorVersion,/i.test(f)) return 'rps-http';
  if (/^TimeStamp,ServerName,EventId,EventData$/i.test(f)) {
    return byPath === 'ecp-activity' ? 'ecp-activity' : 'ecp-server';
  }
  return byPath ?? 'exchange-csv';
}

/**
 * Detects the family of a log from its first bytes (any supported encoding) and its paths.
 * `absPath` and `displayPath` are both consulted for folder hints (a member of an archive has
 * only a display path such as `logs.zip!HttpProxy/Owa/HttpProxy_2023010601-1.LOG`).
 */
export function detectLogKind(absPath: string, displayPath: string, firstBytes: Buffer): LogFamily | null {
  const member = displayPath.includes('!') ? displayPath.slice(displayPath.lastIndexOf('!') + 1) : displayPath;
  const byPath = familyFromPath(`/${member}`) ?? familyFromPath(absPath);
  const head = decodeHead(firstBytes).split('\n', 40);
  let logType: LogFamily | null = null;
  let software = '';
  for (const raw of head) {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(1, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'software') software = value;
    else if (key === 'log-type') logType = LOG_TYPES.find(([re]) => re.test(value))?.[1] ?? null;
    else if (key === 'fields') {
      if (/internet information services/i.test(software)) return 'iis';
      if (logType) return logType === 'ecp-server' && byPath === 'ecp-activity' ? byPath : logType;
      return familyFromFields(value, byPath);
    }
  }
  if (/internet information services/i.test(software)) return 'iis';
  return logType ?? byPath;
}
