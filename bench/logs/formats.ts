/**
 * Line formats for the log generator: IIS W3C (Exchange's default field set, and the same
 * plus `cs(Cookie)` and an `X-Forwarded-For` custom field after a load balancer is added) and
 * HttpProxy CSV. The HttpProxy `#Fields` list is Exchange's own, all 74 columns in Exchange's
 * order, as logged by Exchange 2016 CU23 (build 15.01.2375.007) in the Autodiscover, Eas and Ecp
 * HttpProxy samples of Qazeer/artefacts.help `pages/others/microsoft_exchange.md` (the same list
 * that ends `…,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus`
 * is in the ProxyLogon-era ECP/HttpProxy parsers published after March 2021).
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
  ClientRequestId: col('ClientRequestId'), ProxyAction: col('ProxyAction'), TargetServer: col('TargetServer'),
  TargetServerVersion: col('TargetServerVersion'), RoutingType: col('RoutingType'), TargetOutstandingRequests: col('TargetOutstandingRequests'),
  CalculateTargetBackEndLatency: col('CalculateTargetBackEndLatency'), GlsLatencyBreakup: col('GlsLatencyBreakup'),
  TotalGlsLatency: col('TotalGlsLatency'), AccountForestLatencyBreakup: col('AccountForestLatencyBreakup'),
  TotalAccountForestLatency: col('TotalAccountForestLatency'), TotalResourceForestLatency: col('TotalResourceForestLatency'),
  ADLatency: col('ADLatency'), TotalSharedCacheLatency: col('TotalSharedCacheLatency'), ActivityContextLifeTime: col('ActivityContextLifeTime'),
  ModuleToHandlerSwitchingLatency: col('ModuleToHandlerSwitchingLatency'), ClientReqStreamLatency: col('ClientReqStreamLatency'),
  BackendReqInitLatency: col('BackendReqInitLatency'), BackendReqStreamLatency: col('BackendReqStreamLatency'),
  BackendProcessingLatency: col('BackendProcessingLatency'), BackendRespInitLatency: col('BackendRespInitLatency'),
  BackendRespStreamLatency: col('BackendRespStreamLatency'), ClientRespStreamLatency: col('ClientRespStreamLatency'),
  KerberosAuthHeaderLatency: col('KerberosAuthHeaderLatency'), HandlerCompletionLatency: col('HandlerCompletionLatency'),
  RequestHandlerLatency: col('RequestHandlerLatency'), HandlerToModuleSwitchingLatency: col('HandlerToModuleSwitchingLatency'),
  ProxyTime: col('ProxyTime'), CoreLatency: col('CoreLatency'), RoutingLatency: col('RoutingLatency'),
  HttpProxyOverhead: col('HttpProxyOverhead'), GenericErrors: col('GenericErrors'), DatabaseGuid: col('DatabaseGuid'),
};
const TEMPLATE: string[] = COLS.map(() => '');
Object.assign(TEMPLATE, { 2: '15', 3: '1', 4: '2375', 5: '7' });
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

/** Random draws for the columns a proxy line fills (the generator's seeded traffic). */
export interface Draw {
  int(lo: number, hi: number): number;
  guid(): string;
  hex(n: number): string;
}

const BE_SERVERS = ['EX01.contoso.local', 'EX02.contoso.local', 'EX03.contoso.local'];
const DCS = ['DC01.contoso.local', 'DC02.contoso.local'];
const USER_SID = 'S-1-5-21-3623811015-3361044348-30300820-';
/**
 * GenericErrors as front ends log them (shapes from the Eas sample in Qazeer/artefacts.help:
 * a WebException text with its stack on one line); the second holds commas, so it is quoted.
 */
const ERRORS: Readonly<Record<number, readonly string[]>> = {
  401: ['AuthenticationFailed=NoCredentials;'],
  403: [
    'WebExceptionStatus=ProtocolError;ResponseStatusCode=403;WebException=System.Net.WebException: The remote server returned an error: (403) Forbidden.    at System.Net.HttpWebRequest.EndGetResponse(IAsyncResult asyncResult)    at Microsoft.Exchange.HttpProxy.ProxyRequestHandler.<>c__DisplayClass197_0.<OnResponseReady>b__0();',
  ],
  404: ['ProxyState-Fault=NotFound;'],
  500: [
    'ErrorType=ServerError;Exception=System.InvalidOperationException: Operation is not valid, because the object is in an invalid state, try again.    at Microsoft.Exchange.HttpProxy.ProxyRequestHandler.InternalBeginRequest();',
  ],
};

/** A time `ms` milliseconds before `iso` (ISO 8601 UTC). */
function before(iso: string, ms: number): string {
  return new Date(Date.parse(iso) - ms).toISOString();
}

/**
 * One HttpProxy line (the request must have `proxy`), filled the way Exchange 2016/2019 front
 * ends fill it (samples: Qazeer/artefacts.help `pages/others/microsoft_exchange.md`, Ecp, Eas
 * and Autodiscover HttpProxy files of build 15.01.2375.007): version columns, the back end
 * chosen and its version, routing type and hint, Database~ back-end cookie, the ~30 latency
 * columns, the GenericInfo timeline (`BeginRequest=…;…;EndRequest=…;` plus AD latencies), and
 * GenericErrors on failures. Fields with a comma or a quote are quoted, quotes doubled.
 */
export function proxyLine(iso: string, r: Request, requestId: string, bytes: number, d: Draw): string {
  const p = r.proxy!;
  const v = TEMPLATE.slice();
  const authed = r.user !== '' && r.status < 400;
  const total = r.timeTaken;
  const be = BE_SERVERS[d.int(0, BE_SERVERS.length - 1)]!;
  const dc = DCS[d.int(0, DCS.length - 1)]!;
  const anchor = p.anchorMailbox.startsWith('Smtp~') && d.int(0, 2) > 0 ? `Sid~${USER_SID}${d.int(1100, 1500)}` : p.anchorMailbox;
  v[C.DateTime] = iso;
  v[C.RequestId] = requestId;
  v[C.ClientRequestId] = d.int(0, 3) === 0 ? d.guid() : '';
  v[C.Protocol] = p.protocol;
  v[C.UrlHost] = r.status >= 400 && r.user === '' ? r.clientIp.split('.').reverse().join('.') : 'mail.contoso.com';
  v[C.UrlStem] = csv(r.stem);
  v[C.ProtocolAction] = p.protocolAction;
  v[C.AuthenticationType] = p.authType;
  v[C.IsAuthenticated] = authed ? 'true' : 'false';
  v[C.AuthenticatedUser] = authed ? r.user : '';
  v[C.AnchorMailbox] = csv(anchor);
  v[C.UserAgent] = csv(r.ua);
  v[C.ClientIpAddress] = r.clientIp;
  v[C.HttpStatus] = String(r.status);
  v[C.BackEndStatus] = r.status === 401 && r.user === '' ? '' : String(r.status);
  v[C.Method] = r.method;
  v[C.ProxyAction] = 'Proxy';
  v[C.TargetServer] = be;
  v[C.TargetServerVersion] = '15.01.2375.000';
  v[C.RoutingType] = anchor === '' ? 'WindowsIdentity-NoDatabase' : 'IntraForest';
  v[C.RoutingHint] = p.routingHint || (anchor.startsWith('Sid~') ? 'WindowsIdentity' : '');
  v[C.BackEndCookie] = csv(p.backEndCookie ? `${p.backEndCookie}~contoso.local~1` : '');
  v[C.RequestBytes] = String(r.method === 'GET' ? 0 : bytes);
  v[C.ResponseBytes] = String(bytes * 3 + d.int(0, 20000));
  v[C.TargetOutstandingRequests] = String(d.int(0, 4));
  v[C.HttpPipelineLatency] = String(d.int(0, 2));
  v[C.CalculateTargetBackEndLatency] = String(d.int(0, 3));
  v[C.GlsLatencyBreakup] = '';
  v[C.TotalGlsLatency] = '0';
  v[C.AccountForestLatencyBreakup] = `${d.int(0, 3)};`;
  v[C.TotalAccountForestLatency] = String(d.int(0, 3));
  v[C.TotalResourceForestLatency] = '0';
  v[C.ADLatency] = String(d.int(0, 4));
  v[C.TotalSharedCacheLatency] = '0';
  v[C.ActivityContextLifeTime] = String(total);
  v[C.ModuleToHandlerSwitchingLatency] = '0';
  v[C.ClientReqStreamLatency] = String(d.int(0, 2));
  v[C.BackendReqInitLatency] = '0';
  v[C.BackendReqStreamLatency] = String(d.int(0, 2));
  v[C.BackendProcessingLatency] = String(Math.max(0, total - 3));
  v[C.BackendRespInitLatency] = '0';
  v[C.BackendRespStreamLatency] = String(d.int(0, 2));
  v[C.ClientRespStreamLatency] = String(d.int(0, 2));
  v[C.KerberosAuthHeaderLatency] = p.authType === 'Negotiate' ? String(d.int(0, 2)) : '';
  v[C.HandlerCompletionLatency] = '0';
  v[C.RequestHandlerLatency] = String(total);
  v[C.HandlerToModuleSwitchingLatency] = '0';
  v[C.ProxyTime] = String(Math.max(0, total - 2));
  v[C.CoreLatency] = String(d.int(1, 3));
  v[C.RoutingLatency] = String(d.int(0, 2));
  v[C.HttpProxyOverhead] = String(d.int(1, 4));
  v[C.TotalRequestTime] = String(total);
  v[C.UrlQuery] = r.query ? csv(`?${r.query}`) : '';
  const begin = before(iso, total);
  v[C.GenericInfo] =
    `BeginRequest=${begin};CorrelationID=<empty>;ProxyState-Run=None;FEAuth=BEVersion-1942063431;` +
    `NewConnection=${r.clientIp}&0;BeginGetResponse=${before(iso, total - 1)};OnResponseReady=${before(iso, 1)};` +
    `EndGetResponse=${before(iso, 1)};ProxyState-Complete=ProxyResponseData;SharedCacheGuard=0;EndRequest=${iso};` +
    `I32:ATE.C[${dc}]=${d.int(1, 3)};F:ATE.AL[${dc}]=0.${d.int(1, 9)};I32:ADS.C[${dc.slice(0, 4)}]=1;F:ADS.AL[${dc.slice(0, 4)}]=1.${d.hex(6).replace(/[a-f]/g, '7')}`;
  const errs = r.status >= 400 ? ERRORS[r.status] : undefined;
  v[C.GenericErrors] = errs ? csv(errs[d.int(0, errs.length - 1)]!) : '';
  v[C.DatabaseGuid] = authed && p.backEndCookie ? `|RoutingDB:${p.backEndCookie.slice(9, 45)}` : '';
  return v.join(',');
}

/** IIS on the back-end site (W3SVC2, port 444): what the front end proxied, as the back end saw it. */
export function backEndIisLine(iso: string, r: Request): string {
  const user = r.user === '' ? '-' : w3c(r.user);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} ${SERVER_IP} ${r.method} ${r.stem} ${w3c(r.query)} 444 ${user} ${SERVER_IP} ${w3c(r.ua)} - ${r.status} 0 0 ${Math.max(0, r.timeTaken - 3)}`;
}

/** ECP Server and ECP Activity logs (`#Fields` and line shapes from the samples in Qazeer/artefacts.help). */
export const ECP_FIELDS = 'TimeStamp,ServerName,EventId,EventData';

export function ecpServerLine(iso: string, cmd: string, url: string, d: Draw): string {
  return `${iso},EX01,ECP.Request,S:TIME=${d.int(3, 300)};S:SID=${d.guid()};S:CMD=${cmd};S:REQID=;S:URL=${url};S:REFERRER=;S:EX=;S:ACTID=${d.guid()};S:RS=0;S:BLD=15.1.2375.7;S:TNAME=<null>;S:TID=;S:USID=${d.guid()};S:EDOID=;S:ACID=`;
}

export function ecpActivityLine(iso: string, url: string, d: Draw): string {
  return `${iso},EX01,Request,S:URL=https://localhost:444${url};S:Bld=15.1.2375.7;S:ActID=${d.guid()};I32:ADS.C[DC01]=1;F:ADS.AL[DC01]=1.${d.int(100000, 999999)};Dbl:WLM.TS=${d.int(0, 20)}`;
}

/**
 * CmdletInfra Rps_Http (Remote PowerShell over HTTP): the `#Fields` list as logged by Exchange
 * 2019 (build 15.02.1118.007, the CmdletInfra sample quoted in public OWASSRF write-ups; the
 * same columns CrowdStrike/OWASSRF `Rps_Http-IOC.ps1` reads: ClientIpAddress, UrlStem,
 * ClientInfo, AuthenticatedUser).
 */
export const RPS_HTTP_FIELDS =
  'DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,UrlHost,UrlStem,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,ManagedOrganization,ClientIpAddress,ServerHostName,FrontEndServer,HttpStatus,SubStatus,ErrorCode,Action,CommandId,CommandName,SessionId,ShellId,FailFast,ContributeToFailFast,RequestBytes,ClientInfo,CPU,Memory,ActivityContextLifeTime,TotalTime,UrlQuery,GenericLatency,GenericInfo,GenericErrors';

export function rpsHttpLine(iso: string, r: Request, d: Draw): string {
  const authed = r.status < 400;
  const action = ['Command', 'Receive', 'Send', 'Delete'][d.int(0, 3)]!;
  return [
    iso, before(iso, r.timeTaken), d.guid(), '15', '1', '2375', '7', '', 'ex01.contoso.local:444', r.stem, 'Kerberos',
    authed ? 'true' : 'false', authed ? r.user : '', '', '', r.clientIp, 'EX01', 'EX01.contoso.local', String(r.status), '0', '',
    action, d.guid().toUpperCase(), action === 'Command' ? 'Get-Mailbox' : '', d.guid(), d.guid().toUpperCase(), '', '',
    // ClientInfo: `Microsoft WinRM Client` for the management shell, `Exchange BackEnd Probes`
    // for Managed Availability (the values CrowdStrike/OWASSRF Rps_Http-IOC.ps1 treats as normal).
    String(d.int(0, 5000)), r.ua === 'Microsoft WinRM Client' ? r.ua : 'Exchange BackEnd Probes', String(d.int(0, 60)), String(d.int(40000000, 90000000)),
    String(r.timeTaken), String(r.timeTaken), csv(`?${r.query}`), '', csv(`ActivityContextData=Dbl:WLM.TS=${d.int(0, 20)};`), '',
  ].join(',');
}

/** OABGenerator log lines (free text after a timestamp; Test-ProxyLogon.ps1 reads them line by line). */
export function oabLine(iso: string, d: Draw): string {
  const oab = d.guid();
  return `${iso},${d.int(1000, 9999)},OABGeneratorAssistant,Information,Generating OAB ${oab}: processed ${d.int(400, 420)} recipients, ${d.int(0, 3)} skipped, file C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\${oab}\\oab.xml written`;
}
