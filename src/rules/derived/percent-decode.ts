/**
 * Percent-decoding of logged URLs, once, as IIS and ASP.NET decode a request before routing it:
 * `%XX` byte sequences read as UTF-8 (invalid sequences give U+FFFD), IIS's `%uXXXX` as one
 * UTF-16 unit; anything else (a lone `%`, `%G1`) stays as written. Linear in the input.
 * Detections read decoded URLs where the published evasions encode characters the plain
 * indicator names (`%40` for `@`, `%50owershell`: the bypasses of Microsoft's first
 * ProxyNotShell URL Rewrite rule, which Microsoft answered by matching the URL-decoded URI).
 */
const HEX = /^[0-9a-fA-F]+$/;

export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const two = s.slice(i + 1, i + 3);
      if (two.length === 2 && HEX.test(two)) {
        bytes.push(parseInt(two, 16));
        i += 3;
        continue;
      }
      const four = s.slice(i + 2, i + 6);
      if ((s.charAt(i + 1) === 'u' || s.charAt(i + 1) === 'U') && four.length === 4 && HEX.test(four)) {
        flush();
        out += String.fromCharCode(parseInt(four, 16));
        i += 6;
        continue;
      }
    }
    flush();
    out += s.charAt(i);
    i++;
  }
  flush();
  return out;
}
