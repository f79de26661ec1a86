/**
 * Line formats for the log generator: IIS W3C (Exchange's default field set, and the same
 * plus `cs(Cookie)` and an `X-Forwarded-For` custom field after a load balancer is added) and
 * HttpProxy CSV (the Exchange 2016/2019 CU column set from the samples in
 * Qazeer/artefacts.help `pages/others/microsoft_exchange.md`).
 */
import type { Request } from './traffic.js';

export const IIS_BASE_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';
export const IIS_EXTENDED_FIELDS = `${IIS_BASE_FIELDS} cs(Cookie) X-Forwarded-For`;

export const HTTPPROXY_FIELDS =
  'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus';
const COLS = HTTPPROXY_FIELDS.split(',');
const col = (name: string): number => COLS.indexOf(name);
const C = {
  DateTime: col('DateTime'), RequestId: col('RequestId'), Protocol: col('Protocol'), UrlHost: col('UrlHost'),
  UrlStem: col('UrlStem'), ProtocolAction: col('ProtocolAction'), AuthenticationType: col('AuthenticationType'),
  IsAuthenticated: col('IsAuthenticated'), AuthenticatedUser: col('AuthenticatedUser'), AnchorMailbox: col('AnchorMailbox'),
  UserAgent: col('UserAgent'), ClientIpAddress: col('ClientIpAddress'), HttpStatus: col('HttpStatus'),
  BackEndStatus: col('BackEndStatus'), Method: col('Method'), RoutingHint: col('RoutingHint'), BackEndCookie: col('BackEndCookie'),
  RequestBytes: col('RequestBytes'), ResponseBytes: col('ResponseBytes'), TotalRequestTime: col('TotalRequestTime'),
  UrlQuery: col('UrlQuery'), GenericInfo: col('GenericInfo'), HttpPipelineLatency: col('HttpPipelineLatency'),
};
const TEMPLATE: string[] = COLS.map(() => '');
Object.assign(TEMPLATE, { 2: '15', 3: '1', 4: '2176', 5: '2' });
TEMPLATE[col('ServerHostName')] = 'EX01';
TEMPLATE[col('RoutingStatus')] = 'CafeV1';

const SERVER_IP = '10.0.0.21';
export const BALANCER_IP = '10.0.0.250';

function w3c(v: string): string {
  return v === '' ? '-' : v.replaceAll(' ', '+');
}

function csv(v: string): string {
  return v.includes(',') || v.includes('"') ? `"${v.replaceAll('"', '""')}"` : v;
}

/** One IIS line; `extended` adds cookie and XFF, with the balancer as c-ip. */
export function iisLine(iso: string, r: Request, extended: boolean): string {
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  const cip = extended ? BALANCER_IP : r.clientIp;
  let line = `${date} ${time} ${SERVER_IP} ${r.method} ${r.stem} ${w3c(r.query)} 443 ${w3c(r.user)} ${cip} ${w3c(r.ua)} ${w3c(r.referer)} ${r.status} 0 0 ${r.timeTaken}`;
  if (extended) line += ` ${w3c(r.cookie)} ${r.clientIp}`;
  return line;
}

/** One HttpProxy line (the request must have `proxy`). */
export function proxyLine(iso: string, r: Request, requestId: string, bytes: number): string {
  const p = r.proxy!;
  const v = TEMPLATE.slice();
  const authed = r.user !== '' && r.status < 400;
  v[C.DateTime] = iso;
  v[C.RequestId] = requestId;
  v[C.Protocol] = p.protocol;
  v[C.UrlHost] = 'mail.contoso.com';
  v[C.UrlStem] = r.stem;
  v[C.ProtocolAction] = p.protocolAction;
  v[C.AuthenticationType] = p.authType;
  v[C.IsAuthenticated] = authed ? 'true' : 'false';
  v[C.AuthenticatedUser] = authed ? r.user : '';
  v[C.AnchorMailbox] = csv(p.anchorMailbox);
  // Exchange writes commas inside the user agent as spaces (see the samples).
  v[C.UserAgent] = r.ua.replaceAll(',', ' ');
  v[C.ClientIpAddress] = r.clientIp;
  v[C.HttpStatus] = String(r.status);
  v[C.BackEndStatus] = r.status < 400 ? String(r.status) : '';
  v[C.Method] = r.method;
  v[C.RoutingHint] = p.routingHint;
  v[C.BackEndCookie] = csv(p.backEndCookie);
  v[C.RequestBytes] = String(bytes);
  v[C.ResponseBytes] = String(bytes * 3);
  v[C.HttpPipelineLatency] = '0';
  v[C.TotalRequestTime] = String(r.timeTaken);
  v[C.UrlQuery] = r.query ? csv(`?${r.query}`) : '';
  v[C.GenericInfo] = `BeginRequest=${iso};CorrelationID=<empty>;ProxyState-Run=None;FEAuth=BEVersion-1942062522;EndRequest=${iso};`;
  return v.join(',');
}
