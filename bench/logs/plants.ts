/**
 * Planted traces for the log generator: log LINES describing requests seen in public reports of
 * Exchange exploitation (no payload bodies; query strings carry only random filler). Each plant
 * names what it stands for; the generator writes where each landed into `manifest.json`.
 *
 * Sources for the request shapes:
 * - ProxyLogon CVE-2021-26855: HttpProxy `AnchorMailbox` `ServerInfo~*` + `/*` that is neither
 *   `*\/autodiscover*` nor `localhost*` (microsoft/CSS-Exchange Security/Test-ProxyLogon.ps1);
 *   `/ecp/<x>.js` requests (Microsoft, "HAFNIUM targeting Exchange Servers", 2021-03-02).
 * - CVE-2021-27065: HttpProxy Ecp `/ecp/DDI/DDIService.svc/SetObject` with
 *   `schema=Reset*VirtualDirectory` (Test-ProxyLogon.ps1 reads the Ecp HttpProxy folder).
 * - ProxyShell CVE-2021-34473: `/autodiscover/autodiscover.json?@x/mapi/nspi` (and
 *   `/powershell`) answered 200 (Orange Tsai, Black Hat 2021; Microsoft Exchange team blog).
 * - ProxyNotShell CVE-2022-41040: `autodiscover.json` with `@` and `Powershell` in the query
 *   (Microsoft Security blog, 2022-09-30, IIS log hunting query).
 * - OWASSRF CVE-2022-41080: `/owa/mastermailbox%40outlook.com/powershell` (CrowdStrike,
 *   2022-12-20, and CrowdStrike/OWASSRF Rps_Http-IOC.ps1).
 * - ProxyToken CVE-2021-33766: `/ecp/<address>/RulesEditor/InboxRules.svc/NewObject` with a
 *   non-empty `SecurityToken` cookie (ZDI blog, 2021-08-30).
 * - CVE-2020-0688: `/ecp/default.aspx` with `__VIEWSTATEGENERATOR=B97B4E27` and
 *   `__VIEWSTATE=` (ZDI blog, 2020-02-25).
 * - Web shell use: POST answered 200 to a non-stock `.aspx` under `/owa/auth/` or
 *   `/aspnet_client/` (CISA AA21-062A).
 */
import type { Protocol, ProxyInfo, Request } from './traffic.js';

export interface Plant {
  readonly id: string;
  readonly title: string;
  readonly cves: readonly string[];
  /** Where on the timeline it goes, 0..1. */
  readonly at: number;
  /** True when the request needs the IIS header with `cs(Cookie)` (written after the change). */
  readonly needsCookie: boolean;
  readonly requests: readonly Request[];
}

const ATTACKER = '45.77.123.84';
const FE = 'ex01.contoso.local';
const filler = (n: number, seed: number): string => {
  let s = '';
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[x % 62];
  }
  return s;
};

function req(p: Partial<Request> & Pick<Request, 'method' | 'stem' | 'status'>): Request {
  return { query: '', user: '', clientIp: ATTACKER, ua: 'python-requests/2.25.1', referer: '', cookie: '', timeTaken: 120, proxy: null, ...p };
}

function proxy(protocol: Protocol, anchorMailbox: string, backEndCookie = ''): ProxyInfo {
  return { protocol, anchorMailbox, authType: '', routingHint: anchorMailbox ? 'AnchorMailboxHeader' : '', backEndCookie, protocolAction: '' };
}

export function plants(): Plant[] {
  const canary = filler(40, 7);
  return [
    {
      id: 'proxylogon-ssrf-js', title: 'ProxyLogon SSRF: /ecp/<x>.js with ServerInfo~ AnchorMailbox', cves: ['CVE-2021-26855'], at: 0.1, needsCookie: false,
      requests: [
        req({ method: 'POST', stem: '/ecp/y.js', status: 200, ua: 'ExchangeServicesClient/0.0.0.0', proxy: proxy('Ecp', `ServerInfo~a]@${FE}:444/ecp/proxyLogon.ecp?#`) }),
        req({ method: 'POST', stem: '/ecp/y.js', status: 241, ua: 'ExchangeServicesClient/0.0.0.0', proxy: proxy('Ecp', `ServerInfo~a]@${FE}:444/ecp/DDI/DDIService.svc/GetObject?schema=OABVirtualDirectory&msExchEcpCanary=${canary}#`) }),
      ],
    },
    {
      id: 'proxylogon-backendcookie', title: 'ProxyLogon SSRF via X-BEResource cookie (BackEndCookie column; value shape modelled, not copied from a real log)', cves: ['CVE-2021-26855'], at: 0.12, needsCookie: false,
      requests: [req({ method: 'GET', stem: '/owa/auth/x.js', status: 200, ua: 'ExchangeServicesClient/0.0.0.0', proxy: proxy('Owa', '', `Server~a]@${FE}:444/ecp/target.js?#~1942062522`) })],
    },
    {
      id: 'cve-2021-27065-reset-vdir', title: 'CVE-2021-27065: ResetOABVirtualDirectory through ECP', cves: ['CVE-2021-27065'], at: 0.13, needsCookie: false,
      requests: [req({ method: 'POST', stem: '/ecp/DDI/DDIService.svc/SetObject', query: `schema=ResetOABVirtualDirectory&msExchEcpCanary=${canary}`, status: 200, user: 'CONTOSO\\administrator', ua: 'ExchangeServicesClient/0.0.0.0', proxy: proxy('Ecp', `ServerInfo~a]@${FE}:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=${canary}#`) })],
    },
    {
      id: 'webshell-owa-auth', title: 'POST 200 to a non-stock .aspx under /owa/auth/', cves: [], at: 0.2, needsCookie: false,
      requests: [
        req({ method: 'POST', stem: '/owa/auth/Xk7tQm2.aspx', status: 200, ua: 'antSword/v2.1' }),
        req({ method: 'POST', stem: '/aspnet_client/system_web/Nv3kQw8Z.aspx', status: 200, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36' }),
      ],
    },
    {
      id: 'cve-2020-0688-viewstate', title: 'CVE-2020-0688: /ecp/default.aspx with __VIEWSTATEGENERATOR=B97B4E27', cves: ['CVE-2020-0688'], at: 0.3, needsCookie: false,
      requests: [req({ method: 'GET', stem: '/ecp/default.aspx', query: `__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=%2FwEy${filler(120, 11)}`, status: 200, user: 'CONTOSO\\user017', proxy: proxy('Ecp', 'Smtp~user017@contoso.com') })],
    },
    {
      id: 'proxyshell-autodiscover', title: 'ProxyShell: autodiscover.json?@.../mapi/nspi and /powershell answered 200', cves: ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'], at: 0.45, needsCookie: false,
      requests: [
        req({ method: 'GET', stem: '/autodiscover/autodiscover.json', query: '@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com', status: 200, proxy: proxy('Autodiscover', '') }),
        req({ method: 'POST', stem: '/autodiscover/autodiscover.json', query: `@evil.com/powershell/?X-Rps-CAT=${filler(60, 13)}&Email=autodiscover/autodiscover.json%3F@evil.com`, status: 200, proxy: proxy('Autodiscover', '') }),
      ],
    },
    {
      id: 'proxytoken-securitytoken', title: 'ProxyToken: ECP InboxRules NewObject with SecurityToken cookie', cves: ['CVE-2021-33766'], at: 0.6, needsCookie: true,
      requests: [req({ method: 'POST', stem: '/ecp/victim@contoso.com/RulesEditor/InboxRules.svc/NewObject', query: `msExchEcpCanary=${canary}`, status: 200, cookie: `SecurityToken=${filler(16, 17)}; msExchEcpCanary=${canary}`, proxy: proxy('Ecp', '') })],
    },
    {
      id: 'proxynotshell-autodiscover', title: 'ProxyNotShell: autodiscover.json?@...Powershell answered 200', cves: ['CVE-2022-41040', 'CVE-2022-41082'], at: 0.7, needsCookie: true,
      requests: [req({ method: 'POST', stem: '/autodiscover/autodiscover.json', query: '@evil.com/owa/&Email=autodiscover/autodiscover.json%3F@evil.com&Protocol=XYZ&FooProtocol=Powershell', status: 200, user: 'CONTOSO\\user042', proxy: proxy('Autodiscover', '') })],
    },
    {
      id: 'owassrf-powershell', title: 'OWASSRF: /owa/mastermailbox%40outlook.com/powershell', cves: ['CVE-2022-41080', 'CVE-2022-41082'], at: 0.8, needsCookie: true,
      requests: [req({ method: 'POST', stem: '/owa/mastermailbox%40outlook.com/powershell', query: 'clientApplication=ActiveMonitor', status: 200, user: 'CONTOSO\\user042', proxy: proxy('Owa', 'Smtp~user042@contoso.com') })],
    },
  ];
}
