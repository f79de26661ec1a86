/**
 * Marvin32, the keyed hash Windows uses for the integrity of registry transaction-log entries
 * (regf specification by M. Suhanov, "Log entries": Hash-1 and Hash-2, seed 14219357686671994754
 * stored little-endian, i.e. the bytes C5 55 4E 7A 88 4D EF 82 read big-endian: 0x82EF4D887A4E55C5;
 * its low 32 bits start the first lane). The algorithm is Microsoft's published Marvin32 (the .NET runtime's
 * string hashing): two 32-bit lanes mixed per 4-byte block, a 0x80 terminator, two final
 * mixes. Written from that description; checked against real logs in samples.test.ts.
 */

export const REGF_LOG_SEED = 0x82ef4d887a4e55c5n;

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** Marvin32 of `data` with a 64-bit seed: the 64-bit result `p1:p0` as a bigint. */
export function marvin32(data: Uint8Array, seed: bigint = REGF_LOG_SEED): bigint {
  let p0 = Number(seed & 0xffffffffn) >>> 0;
  let p1 = Number((seed >> 32n) & 0xffffffffn) >>> 0;
  const mix = (): void => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  const n = data.length;
  const whole = n - (n % 4);
  for (let i = 0; i < whole; i += 4) {
    p0 = (p0 + ((data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24))) >>> 0;
    mix();
  }
  let last: number;
  switch (n % 4) {
    case 0:
      last = 0x80;
      break;
    case 1:
      last = 0x8000 | (data[whole] ?? 0);
      break;
    case 2:
      last = 0x800000 | (data[whole] ?? 0) | ((data[whole + 1] ?? 0) << 8);
      break;
    default:
      last = (0x80000000 | (data[whole] ?? 0) | ((data[whole + 1] ?? 0) << 8) | ((data[whole + 2] ?? 0) << 16)) >>> 0;
  }
  p0 = (p0 + last) >>> 0;
  mix();
  mix();
  return (BigInt(p1) << 32n) | BigInt(p0);
}
