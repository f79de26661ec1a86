import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeRegText, exchangeInstallPaths } from './reg-install-path.js';

void describe('exchangeInstallPaths', () => {
  void it('reads MsiInstallPath of the Exchange Setup key (regedit 5, UTF-16LE)', () => {
    const text = [
      'Windows Registry Editor Version 5.00',
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup]',
      '"MsiInstallPath"="D:\\\\Exchange Server\\\\V15\\\\"',
    ].join('\r\n');
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    assert.deepEqual(exchangeInstallPaths(decodeRegText(buf)), [{ path: 'D:\\Exchange Server\\V15\\', version: 'V15' }]);
  });

  void it('reads Exchange 2010 (v14) from a REGEDIT4 export', () => {
    const text = 'REGEDIT4\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup]\n"MsiInstallPath"="C:\\\\Program Files\\\\Microsoft\\\\Exchange Server\\\\V14\\\\"\n';
    assert.deepEqual(exchangeInstallPaths(decodeRegText(Buffer.from(text, 'latin1'))), [
      { path: 'C:\\Program Files\\Microsoft\\Exchange Server\\V14\\', version: 'V14' },
    ]);
  });

  void it('ignores the same value under other keys', () => {
    const text = [
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup\\Other]',
      '"MsiInstallPath"="C:\\\\Decoy\\\\"',
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor\\Setup]',
      '"MsiInstallPath"="C:\\\\Decoy2\\\\"',
    ].join('\n');
    assert.deepEqual(exchangeInstallPaths(text), []);
  });
});
