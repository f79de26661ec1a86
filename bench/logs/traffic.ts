/**
 * Benign traffic for the log generator: OWA, EWS, ActiveSync, MAPI, Autodiscover and ECP
 * use by people, Managed Availability health probes, and internet scanners that get 4xx.
 * Everything is drawn from a seeded PRNG, so a seed gives the same logs every time.
 * Shapes follow the samples in Qazeer/artefacts.help `pages/others/microsoft_exchange.md`.
 */

export type Protocol = 'Owa' | 'Ecp' | 'Autodiscover' | 'Ews' | 'Mapi' | 'Eas' | 'PowerShell' | 'Oab' | 'RpcHttp';

/** One HTTP request as the front end saw it; `proxy` set when HttpProxy logs it too. */
export interface Request {
  method: string;
  stem: string;
  query: string;
  user: string;
  clientIp: string;
  ua: string;
  referer: string;
  status: number;
  cookie: string;
  timeTaken: number;
  proxy: ProxyInfo | null;
}

export interface ProxyInfo {
  protocol: Protocol;
  anchorMailbox: string;
  authType: string;
  routingHint: string;
  backEndCookie: string;
  protocolAction: string;
}

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAIN = 'CONTOSO';
const MAIL = 'contoso.com';
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.72 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.3 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36 Edg/88.0.705.81',
];
const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)';
const EWS_CLIENTS = ['ExchangeServicesClient/15.01.2176.002', 'MacOutlook/16.46.21021202 (Intelx64 Mac OS X 11.2.1 (Build 20D74))', OUTLOOK];
const EAS_DEVICES = [
  ['iPhone', 'Apple-iPhone12C1/1803.114'],
  ['Android', 'Android-SAMSUNG-SM-G991B/101.11001'],
  ['Outlook', 'Outlook-iOS-Android/1.0'],
] as const;
const SCANNER_UAS = [
  'Mozilla/5.0 zgrab/0.x',
  'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)',
  'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36',
  'python-requests/2.25.1',
];
/** Probes scanners send; all answered 4xx by a patched server (look-alikes, never success). */
const SCANNER_PROBES: readonly (readonly [string, string, string, number])[] = [
  ['GET', '/owa/auth/x.js', '', 404],
  ['GET', '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application', '', 404],
  ['GET', '/autodiscover/autodiscover.json', '@test.local/owa/&Email=autodiscover/autodiscover.json%3F@test.local', 400],
  ['GET', '/autodiscover/autodiscover.json', '@zdi/Powershell', 404],
  ['POST', '/ecp/y.js', '', 404],
  ['GET', '/.env', '', 404],
  ['GET', '/wp-login.php', '', 404],
  ['GET', '/owa/auth/logon.aspx', 'replaceCurrent=1&url=https%3a%2f%2fmail.contoso.com%2fowa%2f', 200],
  ['GET', '/aspnet_client/system_web/', '', 403],
  ['GET', '/rpc/rpcproxy.dll', '', 401],
];

export class Traffic {
  private readonly users: string[];
  private readonly internal: string[];
  private readonly external: string[];
  constructor(private readonly r: () => number) {
    this.users = Array.from({ length: 400 }, (_, i) => `user${String(i).padStart(3, '0')}`);
    this.internal = Array.from({ length: 600 }, () => `10.${this.int(1, 40)}.${this.int(0, 255)}.${this.int(2, 254)}`);
    this.external = Array.from({ length: 1500 }, () => `${this.int(23, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.r() * list.length)]!;
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.r() * 0x100000000).toString(16).padStart(8, '0');
    return s.length === n ? s : s.slice(0, n);
  }

  guid(): string {
    return `${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`;
  }

  /** The next benign request. */
  next(): Request {
    const x = this.r();
    if (x < 0.14) return this.probe();
    if (x < 0.17) return this.scanner();
    if (x < 0.37) return this.owa();
    if (x < 0.54) return this.mapi();
    if (x < 0.66) return this.ews();
    if (x < 0.76) return this.eas();
    if (x < 0.84) return this.autodiscover();
    if (x < 0.92) return this.ecp();
    if (x < 0.95) return this.powershell();
    if (x < 0.98) return this.oab();
    return this.rpcHttp();
  }

  private person(): { user: string; ip: string } {
    const u = this.pick(this.users);
    return { user: u, ip: this.r() < 0.7 ? this.pick(this.internal) : this.pick(this.external) };
  }

  private base(method: string, stem: string, query: string, user: string, ip: string, ua: string, status: number): Request {
    return { method, stem, query, user, clientIp: ip, ua, referer: '', status, cookie: '', timeTaken: this.int(1, 400), proxy: null };
  }

  private proxied(req: Request, protocol: Protocol, user: string, authType: string, action = ''): Request {
    req.proxy = {
      protocol,
      anchorMailbox: user ? `Smtp~${user}@${MAIL}` : '',
      authType,
      routingHint: user ? 'SmtpAddress' : '',
      backEndCookie: user ? `Database~${this.guid()}~~2021-03-10T00:00:00` : '',
      protocolAction: action,
    };
    return req;
  }

  private owa(): Request {
    const { user, ip } = this.person();
    const actions = ['GetItem', 'FindItem', 'GetConversationItems', 'CreateItem', 'GetFolderMruConfiguration'];
    const r = this.r();
    const req =
      r < 0.15
        ? this.base('GET', '/owa/', '', `${DOMAIN}\\${user}`, ip, this.pick(BROWSERS), 200)
        : r < 0.2
          ? this.base('POST', '/owa/auth.owa', '', '', ip, this.pick(BROWSERS), 302)
          : this.base('POST', '/owa/service.svc', `action=${this.pick(actions)}&ID=-${this.int(1, 99)}&AC=1`, `${user}@${MAIL}`, ip, this.pick(BROWSERS), 200);
    req.referer = `https://mail.${MAIL}/owa/`;
    req.cookie = `X-OWA-CANARY=${this.hex(32)}; ClientId=${this.hex(32).toUpperCase()}`;
    return this.proxied(req, 'Owa', req.user ? user : '', 'FBA', r < 0.2 ? '' : 'service.svc');
  }

  private mapi(): Request {
    const { user, ip } = this.person();
    const stem = this.r() < 0.8 ? '/mapi/emsmdb/' : '/mapi/nspi/';
    const req = this.base('POST', stem, `mailboxId=${this.guid()}@${MAIL}`, `${DOMAIN}\\${user}`, ip, OUTLOOK, 200);
    return this.proxied(req, 'Mapi', user, 'Negotiate');
  }

  private ews(): Request {
    const { user, ip } = this.person();
    const req = this.base('POST', '/EWS/Exchange.asmx', '', `${user}@${MAIL}`, ip, this.pick(EWS_CLIENTS), 200);
    return this.proxied(req, 'Ews', user, 'NTLM');
  }

  private eas(): Request {
    const { user } = this.person();
    const [type, ua] = this.pick(EAS_DEVICES);
    const cmd = this.pick(['Sync', 'Ping', 'FolderSync', 'SendMail']);
    const q = `Cmd=${cmd}&User=${user}&DeviceId=${this.hex(24).toUpperCase()}&DeviceType=${type}`;
    const req = this.base('POST', '/Microsoft-Server-ActiveSync/default.eas', q, `${DOMAIN}\\${user}`, this.pick(this.external), ua, 200);
    return this.proxied(req, 'Eas', user, 'Basic', cmd);
  }

  private autodiscover(): Request {
    const { user, ip } = this.person();
    if (this.r() < 0.3) {
      const q = `Email=${user}%40${MAIL}&Protocol=ActiveSync&RedirectCount=1`;
      const req = this.base('GET', '/autodiscover/autodiscover.json/v1.0/' + `${user}@${MAIL}`, q, '', this.pick(this.external), 'Outlook-iOS-Android/1.0', 200);
      return this.proxied(req, 'Autodiscover', '', 'Anonymous');
    }
    const req = this.base('POST', '/Autodiscover/Autodiscover.xml', '', `${DOMAIN}\\${user}`, ip, OUTLOOK, 200);
    return this.proxied(req, 'Autodiscover', user, 'Negotiate');
  }

  private ecp(): Request {
    const admin = this.pick(['admin', 'exadmin', 'helpdesk1']);
    const ip = this.pick(this.internal.slice(0, 5));
    const stems = ['/ecp/', '/ecp/UsersGroups/Mailboxes.slab', '/ecp/DDI/DDIService.svc/GetList', '/ecp/RulesEditor/InboxRules.svc/GetList'];
    const stem = this.pick(stems);
    const q = stem.includes('.svc') ? `schema=Mailboxes&msExchEcpCanary=${this.hex(40)}` : '';
    const req = this.base(stem.includes('.svc') ? 'POST' : 'GET', stem, q, `${DOMAIN}\\${admin}`, ip, BROWSERS[0]!, 200);
    return this.proxied(req, 'Ecp', admin, 'FBA');
  }

  /** Remote PowerShell from admins' Exchange Management Shell (WinRM over /powershell). */
  private powershell(): Request {
    const admin = this.pick(['admin', 'exadmin', 'helpdesk1']);
    const q = `serializationLevel=Full;ExchClientVer=15.1.2375.7;clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.1852`;
    const req = this.base('POST', '/powershell', q, `${DOMAIN}\\${admin}`, this.pick(this.internal.slice(0, 5)), 'Microsoft WinRM Client', this.r() < 0.1 ? 401 : 200);
    return this.proxied(req, 'PowerShell', admin, 'Kerberos');
  }

  /** Outlook downloading the offline address book. */
  private oab(): Request {
    const { user, ip } = this.person();
    const file = this.r() < 0.7 ? 'oab.xml' : `${this.guid()}-data-${this.int(1, 400)}.lzx`;
    const req = this.base('GET', `/OAB/${this.guid()}/${file}`, '', `${DOMAIN}\\${user}`, ip, OUTLOOK, 200);
    return this.proxied(req, 'Oab', user, 'Negotiate');
  }

  /** Outlook Anywhere (RPC over HTTP), still used by older clients. */
  private rpcHttp(): Request {
    const { user, ip } = this.person();
    const method = this.r() < 0.5 ? 'RPC_IN_DATA' : 'RPC_OUT_DATA';
    const req = this.base(method, '/rpc/rpcproxy.dll', `${this.guid()}@${MAIL}:6001`, `${DOMAIN}\\${user}`, ip, 'MSRPC', 200);
    return this.proxied(req, 'RpcHttp', user, 'Ntlm');
  }

  private probe(): Request {
    const hm = `HealthMailbox${this.hex(7)}`;
    const [stem, protocol, ua] = this.pick([
      ['/owa/', 'Owa', 'AMProbe/Local/ClientAccess'],
      ['/ews/', 'Ews', 'AMProbe/Local/ClientAccess'],
      ['/ecp/', 'Ecp', 'AMProbe/Local/ClientAccess'],
      ['/mapi/emsmdb/', 'Mapi', 'MapiHttpClient'],
      ['/Autodiscover/Autodiscover.xml', 'Autodiscover', 'AMProbe/Local/ClientAccess'],
      ['/Microsoft-Server-ActiveSync/default.eas', 'Eas', 'MSEXCHMON/Local'],
      ['/ecp/ReportingWebService/', 'Ecp', 'AMProbe/Local/ClientAccess'],
      ['/powershell', 'PowerShell', 'AMProbe/Local/ClientAccess'],
      ['/OAB/', 'Oab', 'AMProbe/Local/ClientAccess'],
      ['/rpc/rpcproxy.dll', 'RpcHttp', 'AMProbe/Local/ClientAccess'],
    ] as const);
    const req = this.base('GET', stem, '', `${DOMAIN}\\${hm}`, this.r() < 0.5 ? '127.0.0.1' : '::1', ua, 200);
    this.proxied(req, protocol, hm, 'Negotiate');
    if (protocol === 'Autodiscover' && req.proxy) req.proxy.anchorMailbox = `ServerInfo~ex01.${MAIL.replace('.com', '.local')}/autodiscover`;
    if (protocol === 'Owa' && req.proxy && this.r() < 0.3) req.proxy.anchorMailbox = 'ServerInfo~localhost/owa';
    return req;
  }

  private scanner(): Request {
    const [method, stem, query, status] = this.pick(SCANNER_PROBES);
    const req = this.base(method, stem, query, '', this.pick(this.external), this.pick(SCANNER_UAS), status);
    if (stem.startsWith('/owa') || stem.startsWith('/ecp') || stem.startsWith('/autodiscover')) {
      const proto: Protocol = stem.startsWith('/owa') ? 'Owa' : stem.startsWith('/ecp') ? 'Ecp' : 'Autodiscover';
      this.proxied(req, proto, '', 'Anonymous');
    }
    return req;
  }
}
