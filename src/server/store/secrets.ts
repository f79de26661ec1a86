/**
 * Secrets of the fleet store: random bearer secrets with a kind prefix (only their SHA-256 is
 * stored) and memory-hard password hashes (scrypt N=2^15, r=8, p=1; `scrypt$N$r$p$salt$hash`),
 * compared in constant time.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export type SecretKind = 'session' | 'user-token' | 'agent' | 'enrolment';

const PREFIX: Readonly<Record<SecretKind, string>> = {
  session: 'exs_',
  'user-token': 'exu_',
  agent: 'exa_',
  enrolment: 'exe_',
};

/** A new secret: prefix + 32 random bytes, base64url. */
export function newSecret(kind: SecretKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** The stored form of a secret (hex SHA-256 of its UTF-8 bytes). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LEN, { N, r: R, p: P, maxmem: MAXMEM });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface Parsed {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseHash(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((x) => Number.isSafeInteger(x) && x > 0) || n > 2 ** 20 || r > 32 || p > 16) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { n, r, p, salt, key };
}

/** A hash to verify against when the user does not exist, so that the answer takes as long. */
export const DUMMY_PASSWORD_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16, 7).toString('base64url')}$${Buffer.alloc(KEY_LEN, 1).toString('base64url')}`;

/** True when `password` matches `stored`; false for a malformed stored hash. */
export async function verifyPasswordHash(password: string, stored: string): Promise<boolean> {
  const h = parseHash(stored) ?? parseHash(DUMMY_PASSWORD_HASH);
  if (h === null) return false;
  const key = await scryptAsync(password, h.salt, h.key.length, { N: h.n, r: h.r, p: h.p, maxmem: MAXMEM * 4 });
  return timingSafeEqual(key, h.key) && parseHash(stored) !== null;
}
