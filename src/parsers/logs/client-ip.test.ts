import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientIp, clientIpColumns, firstForwarded, normaliseIp } from './client-ip.js';

void describe('client address', () => {
  void it('normalises logged addresses', () => {
    assert.equal(normaliseIp('203.0.113.5'), '203.0.113.5');
    assert.equal(normaliseIp('+203.0.113.5:4431'), '203.0.113.5');
    assert.equal(normaliseIp('[2001:DB8::1]:443'), '2001:db8::1');
    assert.equal(normaliseIp('fe80::1%3'), 'fe80::1%3');
    assert.equal(normaliseIp('unknown'), null);
    assert.equal(normaliseIp(''), null);
  });

  void it('takes the first X-Forwarded-For entry', () => {
    assert.equal(firstForwarded('198.51.100.1,+10.0.0.1'), '198.51.100.1');
    assert.equal(firstForwarded('198.51.100.1, 10.0.0.1'), '198.51.100.1');
    assert.equal(firstForwarded('-'), null);
  });

  void it('falls back to the connection address', () => {
    const cols = clientIpColumns(['c-ip', 'X-Forwarded-For']);
    assert.deepEqual(cols, { xff: 1, peer: 0 });
    assert.equal(clientIp(['10.0.0.1', 'garbage'], cols), '10.0.0.1');
    assert.equal(clientIp(['10.0.0.1', '198.51.100.7'], cols), '198.51.100.7');
    assert.equal(clientIp(['-', '-'], cols), null);
    assert.deepEqual(clientIpColumns(['ClientIpAddress']), { xff: -1, peer: 0 });
  });
});
