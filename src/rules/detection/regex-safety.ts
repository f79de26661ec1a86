/**
 * Bounded-cost regular expressions without RE2: Sigma `re` values run as JavaScript RegExp, so
 * patterns with the classic catastrophic-backtracking shape — a quantified group that itself
 * contains an unbounded quantifier, e.g. `(a+)+`, `(\w*x)*`, `(?:a|b+){2,}` — are rejected.
 * This is a heuristic: it does not catch every super-linear pattern (overlapping alternations
 * such as `(a|a)*`, or adjacent `\d*\d*` stay polynomial), so a hostile rule can still be slow.
 * Sigma regexes are PCRE-flavoured: escapes that PCRE reads as anchors or classes but
 * JavaScript (without the `u` flag) silently reads as a literal letter (`\A`, `\Z`, `\h`,
 * `\p{..}`, `\x{..}`, ...) are rejected too, so a rule is never evaluated with another meaning.
 */

/** PCRE escapes whose JavaScript meaning differs (identity escape or another character). */
const PCRE_ONLY = /^[AZzGQEKRhHvVXCeaNopP]$/;

export interface RegexVerdict {
  readonly ok: boolean;
  readonly reason?: string;
  /** Offset in the pattern of the offending construct. */
  readonly at?: number;
}

/** Length of an unbounded quantifier at `i` (`*`, `+`, `{n,}`), 0 if none; bounded `{n}`/`{n,m}` → -len. */
function quantifierAt(p: string, i: number): number {
  const c = p[i];
  if (c === '*' || c === '+') return 1;
  if (c !== '{') return 0;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return 0;
  const unbounded = m[2] !== undefined && (m[3] === undefined || m[3] === '');
  const big = m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1;
  return unbounded ? m[0].length : big ? -m[0].length : 0;
}

export function checkRegexSafety(p: string): RegexVerdict {
  if (p.length > 4096) return { ok: false, reason: 'pattern longer than 4096 characters', at: 0 };
  // Each open group records whether an unbounded quantifier occurs inside it.
  const stack: { start: number; inner: boolean }[] = [];
  let inClass = false;
  let lastGroupInner = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      if (/[1-9k]/.test(n)) return { ok: false, reason: 'back-references are not supported', at: i };
      if (PCRE_ONLY.test(n) || (n === 'x' && p[i + 2] === '{')) {
        return { ok: false, reason: `\\${n} means something else in JavaScript than in PCRE`, at: i };
      }
      i++;
      lastGroupInner = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      lastGroupInner = false;
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, inner: false });
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      lastGroupInner = g?.inner ?? false;
      const q = quantifierAt(p, i + 1);
      if (lastGroupInner && q !== 0) {
        return { ok: false, reason: 'nested quantifiers (catastrophic backtracking risk)', at: g?.start ?? i };
      }
      if (q !== 0 && stack.length > 0) (stack[stack.length - 1] as { inner: boolean }).inner = true;
      if (lastGroupInner && stack.length > 0) (stack[stack.length - 1] as { inner: boolean }).inner = true;
      continue;
    }
    const q = quantifierAt(p, i);
    if (q > 0 && stack.length > 0) (stack[stack.length - 1] as { inner: boolean }).inner = true;
    if (q !== 0) i += Math.abs(q) - 1;
  }
  return { ok: true };
}
