import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectLogKind, familyFromPath } from './detect.js';

const FIX = join(import.meta.dirname, '../../../test/fixtures/logs');

void describe('log kind detection', () => {
  const cases: [string, string][] = [
    ['inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', 'iis'],
    ['Logging/HttpProxy/Owa/HttpProxy_2021030301-1.LOG', 'httpproxy'],
    ['Logging/ECP/Server/ECPServer2021030301-1.LOG', 'ecp-server'],
    ['Logging/ECP/Activity/ECPActivity_12345_20210303-1.LOG', 'ecp-activity'],
    ['Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021030301-1.LOG', 'rps-cmdlet'],
    ['Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2021030301-1.LOG', 'rps-http'],
    ['Logging/OABGeneratorLog/OABGenerator_20210303-1.LOG', 'oab'],
  ];
  for (const [rel, want] of cases) {
    void it(`detects ${want} from ${rel}`, () => {
      const head = readFileSync(join(FIX, rel)).subarray(0, 8192);
      assert.equal(detectLogKind(join(FIX, rel), rel, head), want);
      // The header alone is enough where the file has one (OAB has none).
      if (want !== 'oab') assert.equal(detectLogKind('/x/renamed.txt', 'renamed.txt', head), want);
    });
  }

  void it('reads the header of a UTF-16LE file', () => {
    const text = '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time\r\n';
    const head = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    assert.equal(detectLogKind('/a/b.txt', 'b.txt', head), 'iis');
  });

  void it('uses the member path inside an archive', () => {
    assert.equal(detectLogKind('/a/logs.zip', 'logs.zip!HttpProxy/Ews/x.LOG', Buffer.from('2021,a,b\n')), 'httpproxy');
  });

  void it('falls back to exchange-csv for an unknown CSV header, null for nothing known', () => {
    assert.equal(detectLogKind('/a/b.log', 'b.log', Buffer.from('#Software: Microsoft Exchange Server\n#Fields: date-time,x,y\n')), 'exchange-csv');
    assert.equal(detectLogKind('/a/b.txt', 'b.txt', Buffer.from('hello world\n')), null);
    assert.equal(detectLogKind('/a/b.txt', 'b.txt', Buffer.alloc(0)), null);
  });

  void it('maps folders', () => {
    assert.equal(familyFromPath('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\HttpProxy\\Mapi\\HttpProxy_2021030301-1.LOG'), 'httpproxy');
    assert.equal(familyFromPath('C/inetpub/logs/LogFiles/W3SVC2/u_ex210303.log'), 'iis');
    assert.equal(familyFromPath('/x/readme.txt'), null);
  });
});
