/** Secrets: prefixes and entropy of bearer secrets, their stored hash, scrypt password hashes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DUMMY_PASSWORD_HASH, hashPassword, newSecret, secretHash, verifyPasswordHash } from './secrets.js';

describe('secrets', () => {
  it('makes prefixed 32-byte base64url secrets, never the same twice', () => {
    for (const [kind, prefix] of [['session', 'exs_'], ['user-token', 'exu_'], ['agent', 'exa_'], ['enrolment', 'exe_']] as const) {
      const s = newSecret(kind);
      assert.ok(s.startsWith(prefix));
      assert.equal(Buffer.from(s.slice(4), 'base64url').length, 32);
      assert.notEqual(newSecret(kind), s);
    }
    assert.match(secretHash('exs_x'), /^[0-9a-f]{64}$/);
    assert.notEqual(secretHash('exs_x'), secretHash('exs_y'));
  });

  it('hashes passwords with scrypt N=2^15 r=8 p=1 and a random salt, and verifies them', async () => {
    const h = await hashPassword('correct horse battery');
    assert.match(h, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(await hashPassword('correct horse battery'), h);
    assert.equal(await verifyPasswordHash('correct horse battery', h), true);
    assert.equal(await verifyPasswordHash('correct horse batterx', h), false);
  });

  it('refuses malformed stored hashes and the dummy hash without throwing', async () => {
    assert.equal(await verifyPasswordHash('x', 'plain'), false);
    assert.equal(await verifyPasswordHash('x', 'scrypt$32768$8$1$$'), false);
    assert.equal(await verifyPasswordHash('anything at all', DUMMY_PASSWORD_HASH), false);
  });
});
