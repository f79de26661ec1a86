/**
 * Script files where none belong: pages in `owa/auth` that are not stock Exchange pages, and
 * any script page under `aspnet_client` (IIS keeps only client-side helpers there). HAFNIUM and
 * later crews dropped their shells in exactly these two places (Microsoft, 2021-03-02; CISA
 * AA21-062A). The stock page list is shared with the log rule for POSTs to such pages:
 * `content/rules/logs/data/owa-auth-stock.txt`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../version.js';
import type { BuiltinHit } from './builtin.js';
import { SCRIPT_EXTENSIONS, baseNameOf, extensionOf } from './classify.js';

const STOCK_FILE = join(PACKAGE_ROOT, 'content', 'rules', 'logs', 'data', 'owa-auth-stock.txt');
const REFS = [
  'https://www.microsoft.com/en-us/security/blog/2021/03/02/hafnium-targeting-exchange-servers/',
  'https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-062a',
];

/** Lower-case names of the stock `owa/auth` pages. */
export function loadOwaAuthStock(file = STOCK_FILE): ReadonlySet<string> {
  const names = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    names.add(t.slice(t.lastIndexOf('/') + 1).toLowerCase());
  }
  return names;
}

const OWA_AUTH = /(^|\/)frontend\/httpproxy\/owa\/auth\/[^/]+$/;
const ASPNET_CLIENT = /(^|\/)aspnet_client\//;

function placed(ruleId: string, title: string, reason: string): BuiltinHit {
  return { ruleId, title, severity: 'medium', confidence: 'low', category: 'webshell', attack: ['T1505.003'], reason, offset: 0, refs: REFS };
}

export function unexpectedPlacement(path: string, stock: ReadonlySet<string>): BuiltinHit[] {
  const ext = extensionOf(path);
  if (!SCRIPT_EXTENSIONS.has(ext)) return [];
  const lower = path.toLowerCase();
  const name = baseNameOf(lower);
  if (OWA_AUTH.test(lower) && !stock.has(name)) {
    return [placed('exhunt:owa-auth-unexpected-page', `Script page in owa/auth that is not a stock Exchange page (${ext})`,
      'owa/auth serves the sign-in pages only; a page not among the stock ones was added after setup (a web shell drop site)')];
  }
  if (ASPNET_CLIENT.test(lower)) {
    return [placed('exhunt:aspnet-client-script-page', `Script page under aspnet_client (${ext})`,
      'aspnet_client holds client-side helper files only; a server-side page there was placed by someone (a web shell drop site)')];
  }
  return [];
}
