/**
 * Linear-time trims for evidence strings (issue 18 item 3). A regex such as `/[\s+"]+$/` or
 * `/\/+$/` is tried at every start position by V8's backtracking engine, so a long run of the
 * trimmed characters that does not reach the end of the string costs O(n²): 20 IIS lines with
 * a 64 KB X-Forwarded-For of `+` took 40–60 s. These walk the string once from each end.
 */

/** Whether `c` (a UTF-16 code unit) is JavaScript `\s` white space. */
export function isSpaceCode(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** `s` without leading and trailing characters for which `drop(code)` holds. */
export function trimWhere(s: string, drop: (c: number) => boolean): string {
  let a = 0;
  let b = s.length;
  while (a < b && drop(s.charCodeAt(a))) a++;
  while (b > a && drop(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** `s` without any run of `ch` (one character) at its end. */
export function trimEndChar(s: string, ch: string): string {
  const c = ch.charCodeAt(0);
  let b = s.length;
  while (b > 0 && s.charCodeAt(b - 1) === c) b--;
  return b === s.length ? s : s.slice(0, b);
}
