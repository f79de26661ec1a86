/**
 * Writes realistic Exchange front-end logs of a given size, with planted traces, for the
 * log-hunting benchmark (issue 4, item 7). Not a test; deterministic for a given seed.
 *
 *   npx tsx bench/logs/gen-logs.ts OUTDIR [--size 1G] [--seed 1] [--start 2021-03-01]
 *
 * OUTDIR gets a KAPE-style tree: `C/inetpub/logs/LogFiles/W3SVC1/u_exYYMMDD.log` (daily IIS
 * W3C, front end) and `W3SVC2/` (back end, port 444), `C/Program Files/Microsoft/Exchange
 * Server/V15/Logging/HttpProxy/<Protocol>/HttpProxy_YYYYMMDDHH-1.LOG` (hourly, Owa, Ecp,
 * Autodiscover, Ews, Mapi, Eas, PowerShell, Oab, RpcHttp; Exchange's full 74-column header,
 * see formats.ts), `Logging/ECP/Server` and `ECP/Activity` (daily), `Logging/CmdletInfra/
 * Powershell-Proxy/Http/Rps_Http_*` (hourly) and `Logging/OABGeneratorLog` (daily), plus
 * `manifest.json` naming every planted line (file + line) and the IIS header change.
 * Halfway through, a load balancer appears: IIS starts a new `#Fields` block with
 * `cs(Cookie)` and an `X-Forwarded-For` custom field, and `c-ip` becomes the balancer.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  backEndIisLine, ECP_FIELDS, ecpActivityLine, ecpServerLine, HTTPPROXY_FIELDS, IIS_BASE_FIELDS, IIS_EXTENDED_FIELDS, iisLine, oabLine,
  proxyLine, RPS_HTTP_FIELDS, rpsHttpLine,
} from './formats.js';
import { plants, type Plant } from './plants.js';
import { rng, Traffic, type Request } from './traffic.js';

const IIS_DIR = 'C/inetpub/logs/LogFiles/W3SVC1';
const BACKEND_IIS_DIR = 'C/inetpub/logs/LogFiles/W3SVC2';
const LOGGING = 'C/Program Files/Microsoft/Exchange Server/V15/Logging';
const PROXY_DIR = `${LOGGING}/HttpProxy`;
const EXCHANGE_HEADER = (logType: string, iso: string, fields: string): string[] => [
  '#Software: Microsoft Exchange Server', '#Version: 15.01.2375.007', `#Log-type: ${logType}`, `#Date: ${iso}`, `#Fields: ${fields}`,
];
const FLUSH_BYTES = 4 * 1024 * 1024;
const BALANCER_AT = 0.5;
const DAY_MS = 86_400_000;

class LogFile {
  private fd: number;
  private parts: string[] = [];
  private pending = 0;
  lines = 0;
  bytes = 0;
  constructor(
    readonly rel: string,
    root: string,
  ) {
    const abs = join(root, rel);
    mkdirSync(abs.slice(0, abs.lastIndexOf('/')), { recursive: true });
    this.fd = openSync(abs, 'w');
  }
  write(line: string): number {
    this.parts.push(line, '\r\n');
    const n = line.length + 2;
    this.pending += n;
    this.bytes += n;
    this.lines++;
    if (this.pending > FLUSH_BYTES) this.flush();
    return n;
  }
  flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

interface Options {
  readonly out: string;
  readonly size: number;
  readonly seed: number;
  readonly start: number;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)B?$/i.exec(s);
  if (!m) throw new Error(`bad --size ${s}`);
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.round(Number(m[1]) * mult);
}

function parseArgs(argv: string[]): Options {
  const [out, ...rest] = argv;
  if (!out || out.startsWith('--')) throw new Error('usage: gen-logs.ts OUTDIR [--size 1G] [--seed 1] [--start 2021-03-01]');
  const get = (name: string, dflt: string): string => {
    const i = rest.indexOf(`--${name}`);
    return i === -1 ? dflt : (rest[i + 1] ?? dflt);
  };
  return { out, size: parseSize(get('size', '1G')), seed: Number(get('seed', '1')), start: Date.parse(`${get('start', '2021-03-01')}T00:00:00Z`) };
}


class Generator {
  private readonly files = new Map<string, LogFile>();
  private readonly closed: LogFile[] = [];
  private readonly traffic: Traffic;
  private extended = false;
  written = 0;
  readonly planted: { id: string; title: string; cves: readonly string[]; lines: { path: string; line: number }[] }[] = [];
  headerChange: { path: string; line: number } | null = null;

  constructor(private readonly opts: Options) {
    this.traffic = new Traffic(rng(opts.seed));
  }

  private file(rel: string, header: () => string[]): LogFile {
    let f = this.files.get(rel);
    if (!f) {
      const dir = rel.slice(0, rel.lastIndexOf('/'));
      for (const [k, old] of this.files) {
        if (k.startsWith(`${dir}/`)) {
          old.close();
          this.closed.push(old);
          this.files.delete(k);
        }
      }
      f = new LogFile(rel, this.opts.out);
      this.files.set(rel, f);
      for (const h of header()) this.written += f.write(h);
    }
    return f;
  }

  private iisHeader(iso: string, fields: string): string[] {
    const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    return ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', `#Date: ${stamp}`, `#Fields: ${fields}`];
  }

  /** Writes one request to IIS (and HttpProxy when proxied); returns where each line went. */
  write(ms: number, r: Request): { path: string; line: number }[] {
    const iso = new Date(ms).toISOString();
    const day = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
    const iis = this.file(`${IIS_DIR}/u_ex${day}.log`, () => this.iisHeader(iso, this.extended ? IIS_EXTENDED_FIELDS : IIS_BASE_FIELDS));
    const line = iisLine(iso, r, this.extended);
    this.written += iis.write(line);
    const where = [{ path: iis.rel, line: iis.lines }];
    if (r.proxy) {
      const hour = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}`;
      const rel = `${PROXY_DIR}/${r.proxy.protocol}/HttpProxy_${hour}-1.LOG`;
      const px = this.file(rel, () => EXCHANGE_HEADER('HttpProxy Logs', iso, HTTPPROXY_FIELDS));
      this.written += px.write(proxyLine(iso, r, this.traffic.guid(), line.length, this.traffic));
      where.push({ path: px.rel, line: px.lines });
      // The front end answers unauthenticated and failed requests itself (401, 302 to the
      // logon page, 4xx); what it proxies reaches the back end's own logs.
      if (r.user !== '' && r.status < 400) this.backEnd(iso, day, hour, r);
    }
    return where;
  }

  /** What a proxied request leaves on the back end: IIS W3SVC2 and the protocol's own logs. */
  private backEnd(iso: string, day: string, hour: string, r: Request): void {
    const be = this.file(`${BACKEND_IIS_DIR}/u_ex${day}.log`, () => this.iisHeader(iso, IIS_BASE_FIELDS));
    this.written += be.write(backEndIisLine(iso, r));
    const protocol = r.proxy!.protocol;
    const t = this.traffic;
    const date = `20${day}`;
    if (protocol === 'Ecp' && r.status < 400) {
      const url = r.query ? `${r.stem}?${r.query}` : r.stem;
      const cmd = r.stem.includes('InboxRules') ? 'Get-InboxRule' : r.stem.includes('.svc') ? 'Get-Mailbox' : '';
      const sv = this.file(`${LOGGING}/ECP/Server/ECPServer${date}-1.LOG`, () => EXCHANGE_HEADER('ECP Server Log', iso, ECP_FIELDS));
      this.written += sv.write(ecpServerLine(iso, cmd, url, t));
      const ac = this.file(`${LOGGING}/ECP/Activity/ECPActivity_11500_${date}-1.LOG`, () => EXCHANGE_HEADER('ECP Activity Context Log', iso, ECP_FIELDS));
      this.written += ac.write(ecpActivityLine(iso, url, t));
    } else if (protocol === 'PowerShell') {
      const rps = this.file(`${LOGGING}/CmdletInfra/Powershell-Proxy/Http/Rps_Http_${hour}-1.LOG`, () => EXCHANGE_HEADER('Rps Http Logs', iso, RPS_HTTP_FIELDS));
      this.written += rps.write(rpsHttpLine(iso, r, t));
    } else if (protocol === 'Oab' && t.int(0, 19) === 0) {
      const oab = this.file(`${LOGGING}/OABGeneratorLog/OABGenerator_${date}-1.LOG`, () => ['#Software: Microsoft Exchange Server', '#Log-type: OABGenerator Log', `#Date: ${iso}`]);
      this.written += oab.write(oabLine(iso, t));
    }
  }

  /** The load balancer appears: a new IIS header block with cookie and XFF. */
  switchToBalancer(ms: number): void {
    const iso = new Date(ms).toISOString();
    const day = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
    this.extended = true;
    const iis = this.file(`${IIS_DIR}/u_ex${day}.log`, () => []);
    for (const h of this.iisHeader(iso, IIS_EXTENDED_FIELDS)) this.written += iis.write(h);
    this.headerChange = { path: iis.rel, line: iis.lines };
  }

  plant(ms: number, p: Plant): void {
    const lines = p.requests.flatMap((r, i) => this.write(ms + i * 1500, r));
    this.planted.push({ id: p.id, title: p.title, cves: p.cves, lines });
  }

  next(): Request {
    return this.traffic.next();
  }

  finish(): { files: number; bytes: number } {
    for (const f of this.files.values()) {
      f.close();
      this.closed.push(f);
    }
    this.files.clear();
    return { files: this.closed.length, bytes: this.closed.reduce((s, f) => s + f.bytes, 0) };
  }
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const days = Math.min(31, Math.max(1, Math.ceil(opts.size / (150 * 1024 ** 2))));
  const span = days * DAY_MS;
  const rate = opts.size / span;
  const todo = plants().sort((a, b) => a.at - b.at);
  const gen = new Generator(opts);
  let ms = opts.start;
  let balancer = false;
  while (gen.written < opts.size) {
    const frac = (ms - opts.start) / span;
    if (!balancer && frac >= BALANCER_AT) {
      gen.switchToBalancer(ms);
      balancer = true;
    }
    while (todo.length > 0 && frac >= todo[0]!.at) gen.plant(ms, todo.shift()!);
    const before = gen.written;
    gen.write(ms, gen.next());
    ms += Math.max(1, Math.round((gen.written - before) / rate));
  }
  for (const p of todo) gen.plant(ms, p);
  const { files, bytes } = gen.finish();
  const seconds = (performance.now() - t0) / 1000;
  const manifest = {
    generator: 'bench/logs/gen-logs.ts',
    seed: opts.seed,
    requestedBytes: opts.size,
    bytes,
    files,
    from: new Date(opts.start).toISOString(),
    to: new Date(ms).toISOString(),
    seconds: Number(seconds.toFixed(1)),
    notes: [
      'Paths are relative to OUTDIR (a KAPE-style tree with a C/ drive folder).',
      'From iisHeaderChange on, IIS c-ip is the load balancer and X-Forwarded-For the client.',
      'Benign look-alikes present: scanners probing ProxyShell/ProxyNotShell/ProxyLogon paths answered 4xx, health probes with ServerInfo~<host>/autodiscover and ServerInfo~localhost AnchorMailbox, legitimate ExchangeServicesClient/15.x user agents, OWA logons to /owa/auth/logon.aspx.',
    ],
    iisHeaderChange: gen.headerChange,
    planted: gen.planted,
  };
  writeFileSync(join(opts.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const mb = bytes / 1024 ** 2;
  process.stderr.write(`wrote ${mb.toFixed(0)} MiB in ${files} files in ${seconds.toFixed(1)} s (${(mb / seconds).toFixed(0)} MiB/s); ${gen.planted.length} plants\n`);
}

main();
