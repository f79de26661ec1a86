/** Which proxy a target's requests go through: --proxy, else HTTPS_PROXY, minus NO_PROXY hosts. */

/** The proxy URL from the environment (HTTPS_PROXY, https_proxy), or null. */
export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.HTTPS_PROXY ?? env.https_proxy ?? '';
  return v.trim() === '' ? null : v.trim();
}

/** NO_PROXY / no_proxy as a list of host names or domain suffixes (`*` for all). */
export function noProxyFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
}

/** An error message when the proxy URL cannot be used (http:// proxies only), else null. */
export function proxyProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `--proxy: not a URL: ${url.slice(0, 100)}`;
  }
  if (u.protocol !== 'http:') return `--proxy: only http:// proxies are supported (CONNECT tunnel), got ${u.protocol}`;
  if (u.username !== '' || u.password !== '') return '--proxy: proxy credentials are not supported';
  return null;
}

/** The proxy for `hostname`, or null when NO_PROXY exempts it. */
export function proxyFor(hostname: string, proxy: string | null, noProxy: readonly string[] = []): string | null {
  if (proxy === null) return null;
  const h = hostname.toLowerCase();
  const exempt = noProxy.some((n) => n === '*' || h === n.replace(/^\./, '') || h.endsWith(n.startsWith('.') ? n : `.${n}`));
  return exempt ? null : proxy;
}
