/**
 * Quoting of a Windows command line so that the C runtime (and CommandLineToArgvW) splits it
 * back into the same arguments: an argument with a space, tab, quote or nothing in it is put in
 * quotes; backslashes are doubled only where they precede a quote (escaped or the closing one).
 * Rules: Microsoft, "Parsing C++ command-line arguments"
 * (https://learn.microsoft.com/en-us/cpp/c-language/parsing-c-command-line-arguments).
 */
export function quoteWinArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    if (ch === '"') {
      out += `${'\\'.repeat(slashes * 2 + 1)}"`;
    } else {
      out += `${'\\'.repeat(slashes)}${ch}`;
    }
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

export function joinWinArgs(args: readonly string[]): string {
  return args.map(quoteWinArg).join(' ');
}

/**
 * The inverse (the CRT's rules after 2008): splits a command line into arguments. Used by tests
 * to check that what quoteWinArg writes comes back unchanged.
 */
export function splitWinArgs(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let cur = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const ch = line[i];
      if (!quoted && (ch === ' ' || ch === '\t')) break;
      if (ch === '\\') {
        let n = 0;
        while (line[i + n] === '\\') n++;
        if (line[i + n] === '"') {
          cur += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) cur += '"';
          else quoted = !quoted;
          i += n;
        } else {
          cur += '\\'.repeat(n);
          i += n - 1;
        }
      } else if (ch === '"') {
        if (quoted && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = !quoted;
      } else cur += ch;
    }
    out.push(cur);
  }
  return out;
}
