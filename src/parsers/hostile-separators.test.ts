/**
 * Issue 18 item 3: every evidence string operation is linear. Long runs of every separator
 * the parsers know are fed to every parser of evidence text or bytes — the log parsers through
 * the whole log hunt (line reader, W3C, Exchange CSV, OAB, client address, the built-in rules,
 * findings), the registry export parser, the PE version reader, applicationHost.config, the
 * MFT CSV reader and the EVTX reader — each with a time budget.
 *
 * Input is bounded and fixed (64 KiB runs), so the work is deterministic. The budget is
 * generous (linear code takes milliseconds per case here; a quadratic step on a 64 KiB run
 * costs ~4·10^9 steps, many seconds): it catches an O(n²) operation, not a slow machine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogMatcher } from '../engines/logs/matcher.js';
import { processLogFile } from '../engines/logs/process-file.js';
import { mftEvidencePath, splitCsvLine } from '../engines/timeline/mft-csv.js';
import { parseAppHostConfig } from '../evidence/app-host-config.js';
import { targetsFromText } from '../fingerprint/targets.js';
import { loadBuiltinLogRules } from '../rules/load.js';
import { readEvtxSync } from './evtx/index.js';
import { buildEvtx } from './evtx/test-writer.js';
import { clientIp, clientIpColumns, firstForwarded, normaliseIp } from './logs/client-ip.js';
import { createParseStats, detectLogKind, openLog } from './logs/index.js';
import { peFileVersion } from './pe-version.js';
import { decodeReg, parseReg } from './reg.js';
import type { LogFamily } from './types.js';

const RUN = Number(process.env.SEP_RUN ?? 64 * 1024);
/** Per case (one parser, one separator). Linear code: a few ms; quadratic: seconds to minutes. */
const BUDGET_MS = 8000;
/** Every separator or delimiter a parser here splits, trims, quotes or escapes on. */
const SEPARATORS = [' ', '+', '"', "'", ',', ';', ':', '=', '&', '?', '%', '#', '@', '/', '\\', '\t', '\r', '\n', '|', '~', '.', '-', '<', '>', '[', ']', '{', '}', '(', ')', '*', '$', '^', '\u00a0', '\u3000', '\u2028', '\ufeff', '\0'];

const dir = mkdtempSync(join(tmpdir(), 'exhunt-hostile-sep-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function name(sep: string): string {
  return `U+${sep.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function within<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  if (process.env.SEP_DEBUG && ms > 100) console.error(what, ms.toFixed(0));
  assert.ok(ms < BUDGET_MS, `${what} took ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms): a non-linear step?`);
  return out;
}

async function withinAsync<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  const ms = performance.now() - t0;
  if (process.env.SEP_DEBUG && ms > 100) console.error(what, ms.toFixed(0));
  assert.ok(ms < BUDGET_MS, `${what} took ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms): a non-linear step?`);
  return out;
}

/** A run of `sep` in the places a trim or split stops badly: alone, after a value, before one. */
function runs(sep: string): string[] {
  const r = sep.repeat(RUN);
  return [r, `1.2.3.4${r}x`, `${r}1.2.3.4${r}`, `a${r}`];
}

const IIS_FIELDS = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken X-Forwarded-For';
const PROXY_FIELDS = 'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,UrlQuery,GenericInfo,GenericErrors';

/** One log file per family with every run in the fields rules and client addresses read. */
function logFiles(sep: string): { family: LogFamily; rel: string; text: string }[] {
  const lines = (f: (v: string) => string): string => runs(sep).map(f).join('\r\n');
  const t = '2021-03-03 01:02:03';
  const iso = '2021-03-03T01:02:03.000Z';
  return [
    {
      family: 'iis',
      rel: 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log',
      text: `#Software: Microsoft Internet Information Services 10.0\r\n#Fields: ${IIS_FIELDS}\r\n${lines(
        (v) => `${t} 10.0.0.1 POST /ecp/${v}.js ${v}@x/powershell 443 ${v} ${v} python-requests/2.25.1${v} ${v} 200 0 0 1 ${v},1.2.3.4`,
      )}`,
    },
    {
      family: 'httpproxy',
      rel: 'Logging/HttpProxy/Ecp/HttpProxy_2021030301-1.LOG',
      text: `#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: ${PROXY_FIELDS}\r\n${lines(
        (v) => `${iso},r,15,1,2,3,,Ecp,h,/ecp/${v}.js,,,,,,ServerInfo~${v}/x,${v},${v},EX,200,200,,POST,,,,,,Server~${v}/~1,${v},${v},${v}`,
      )}`,
    },
    { family: 'ecp-server', rel: 'Logging/ECP/Server/ECPServer20210303-1.LOG', text: `#Fields: TimeStamp,ServerName,EventId,EventData\r\n${lines((v) => `${iso},EX,ECP.Request,S:CMD=Set-OabVirtualDirectory${v};S:URL=${v}<script`)}` },
    { family: 'rps-http', rel: 'Logging/CmdletInfra/Rps_Http_2021030301-1.LOG', text: `#Fields: DateTime,UrlStem,ClientIpAddress,ClientInfo,UrlQuery\r\n${lines((v) => `${iso},/powershell${v},${v},${v},${v}`)}` },
    { family: 'oab', rel: 'Logging/OABGeneratorLog/OABGenerator_20210303-1.LOG', text: lines((v) => `${iso} Download failed and temporary file ${v}\\ClientAccess\\OAB\\${v} needs to be removed`) },
  ];
}

void describe('long separator runs: every parser stays linear', async () => {
  const { rules } = await loadBuiltinLogRules();
  const matcher = createLogMatcher(rules);

  void it('log hunt (reader, parsers, client address, built-in rules, findings)', async () => {
    for (const sep of SEPARATORS) {
      for (const f of logFiles(sep)) {
        const abs = join(dir, `${f.family}-${name(sep)}.log`);
        writeFileSync(abs, f.text);
        const what = `${f.family} with runs of ${name(sep)}`;
        const r = await withinAsync(what, () => processLogFile({ abs, path: f.rel, family: f.family }, matcher, { window: {}, hitIds: true }));
        // Every line was read: a record, or counted as skipped.
        assert.ok(r.stats.lines > 0, what);
        await withinAsync(`${what}, every record`, async () => {
          const stats = createParseStats();
          for await (const rec of openLog(abs, f.rel, { onIssue: () => {}, stats })) assert.equal(rec.source, f.family);
        });
        within(`${what}, family detection`, () => detectLogKind(abs, f.rel, Buffer.from(f.text.slice(0, 8192))));
      }
    }
  });

  void it('client addresses (c-ip, X-Forwarded-For, ClientIpAddress)', () => {
    const cols = clientIpColumns(['c-ip', 'X-Forwarded-For']);
    for (const sep of SEPARATORS) {
      for (const v of runs(sep)) {
        within(`client address with runs of ${name(sep)}`, () => {
          normaliseIp(v);
          firstForwarded(v);
          clientIp([v, v], cols);
          clientIp([`${v},1.2.3.4`, `[${v}]:443`], cols);
        });
      }
    }
  });

  void it('registry exports (.reg text, UTF-16 and UTF-8)', () => {
    for (const sep of SEPARATORS) {
      const r = sep.repeat(RUN);
      const text = `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\${r}]\r\n"${r}"="${r}"\r\n"MsiInstallPath"="C:\\\\${r}\\\\"\r\n@=hex(2):${r}\r\n[${r}\r\n${r}\r\n`;
      within(`.reg with runs of ${name(sep)}`, () => {
        parseReg(text);
        parseReg(decodeReg(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
      });
    }
  });

  void it('applicationHost.config (XML attributes, virtual paths)', () => {
    for (const sep of SEPARATORS) {
      if (sep === '\0') continue;
      const r = sep.repeat(RUN).replace(/[<&"]/g, (c) => ({ '<': '&lt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
      const xml = `<?xml version="1.0"?><configuration><system.applicationHost><sites><site name="a${r}" id="1"><application path="/x${r}"><virtualDirectory path="/${r}" physicalPath="C:\\${r}" /></application></site></sites></system.applicationHost></configuration>`;
      within(`applicationHost.config with runs of ${name(sep)}`, () => {
        try {
          parseAppHostConfig(xml);
        } catch (e) {
          if (!(e instanceof Error)) throw e;
        }
      });
    }
  });

  void it('MFT CSV lines and paths, fingerprint target lists', () => {
    for (const sep of SEPARATORS) {
      for (const v of runs(sep)) {
        within(`MFT CSV with runs of ${name(sep)}`, () => {
          splitCsvLine(`${v},"${v}",${v}`);
          splitCsvLine(`"${v}`);
          mftEvidencePath(v, v, 'C/');
          mftEvidencePath(`.\\${v}\\x`, 'y', 'C/');
          targetsFromText(`${v}\n#${v}\n${v}#${v}`);
        });
      }
    }
  });

  void it('PE version resources (bytes)', () => {
    for (const sep of SEPARATORS) {
      const run = Buffer.from(sep.repeat(RUN), 'latin1');
      const mz = Buffer.concat([Buffer.from('MZ'), run]);
      within(`PE bytes with runs of ${name(sep)}`, () => {
        peFileVersion(run);
        peFileVersion(mz);
      });
    }
  });

  void it('EVTX event data strings', () => {
    for (const sep of SEPARATORS) {
      // A record lives in one 64 KiB chunk (the format bounds every string): 4 × 6,000 UTF-16 units.
      const r = sep.repeat(6000);
      const buf = buildEvtx([
        {
          recordId: 1,
          time: '2021-03-03T01:02:03Z',
          eventId: 4688,
          level: 0,
          channel: 'Security',
          provider: 'Microsoft-Windows-Security-Auditing',
          computer: 'EX01',
          data: [{ name: 'CommandLine', value: r }, { name: `N${name(sep)}`, value: `x${r}y` }, { value: [r, r] }],
        },
      ]);
      const abs = join(dir, `evtx-${name(sep)}.evtx`);
      writeFileSync(abs, buf);
      within(`EVTX with runs of ${name(sep)}`, () => {
        for (const rec of readEvtxSync(abs, 'x.evtx', { onIssue: () => {} })) assert.equal(rec.eventId, 4688);
      });
    }
  });
});
