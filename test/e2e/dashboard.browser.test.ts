/**
 * The dashboard in headless Chromium (playwright-core with the Debian `chromium`): the real
 * app on 127.0.0.1:0 with a temporary SQLite store, an admin, and an uploaded report whose
 * evidence is hostile (script tags, an `<img onerror>`, `javascript:` links, ANSI escapes in a
 * user agent, a bidi override in a file name). A person logs in through the form, opens the
 * overview and the server, triages a finding and finds it in the audit log. Throughout, no
 * dialog opens, no CSP violation is logged, `window.__pwned` stays unset, and the payloads
 * are on screen as text. Skipped (with the reason) when /usr/bin/chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildApp } from '../../src/server/app.js';
import { openStore } from '../../src/server/store/open.js';
import { ANSI_UA, BIDI_NAME, FORBIDDEN_CHARS, IMG, JS_URL, SCRIPT, SVG, hostileReport } from '../fixtures/server-web/hostile.js';

const CHROMIUM = '/usr/bin/chromium';
const PW = 'browser test password';
const HOST = 'EX-HOSTILE';
const SYSTEM = { kind: 'system', id: null, name: 'test' } as const;

interface Watch { readonly dialogs: string[]; readonly problems: string[] }

function watch(page: Page): Watch {
  const w: Watch = { dialogs: [], problems: [] };
  page.on('dialog', (d) => { w.dialogs.push(d.message()); void d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error' || /content security policy/i.test(m.text())) w.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => w.problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) w.problems.push(`HTTP ${r.status()} for ${r.url()}`); });
  return w;
}

/** The page is inert: nothing ran, no link or form goes to `javascript:`, no control character is shown. */
async function assertSafe(page: Page, where: string): Promise<string> {
  // Expressions as strings: they run in the page (this project's TypeScript has no DOM types).
  assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', `${where}: window.__pwned set`);
  const urls = await page.evaluate<string[]>(
    "Array.from(document.querySelectorAll('[href],[src],[action]')).map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? '')",
  );
  for (const u of urls) assert.doesNotMatch(u, /^\s*(javascript|data|vbscript):/i, `${where}: dangerous URL ${u}`);
  assert.equal(await page.locator('img, iframe, object, embed').count(), 0, `${where}: unexpected element`);
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, FORBIDDEN_CHARS, `${where}: control character on screen`);
  return text;
}

test('dashboard in Chromium: hostile evidence is shown as text and never runs', { timeout: 180_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`Chromium not found at ${CHROMIUM}: install the Debian chromium package to run the browser test`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-web-'));
  const store = await openStore({ dataDir: dir });
  const app = await buildApp({ store, maxUploadBytes: 8 << 20, secureCookies: false, sessionTtlSeconds: 3600, loginLimit: { max: 5, windowSeconds: 900 }, trustProxy: false });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  t.after(async () => {
    await browser.close();
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const admin = await store.addUser('admin', 'admin', PW, SYSTEM);
  const { token } = await store.createApiToken(admin.id, 'browser test', SYSTEM);
  const up = await fetch(`${base}/api/v1/reports?server=${HOST}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(hostileReport(HOST)) });
  assert.equal(up.status, 201, await up.text());

  const page = await (await browser.newContext()).newPage();
  const w = watch(page);

  // Anonymous: sent to the login form; log in through it.
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login$/);
  await page.fill('input[name="name"]', 'admin');
  await page.fill('input[name="password"]', PW);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]:has-text("Log in")')]);

  // Overview: the server's row, totals and charts.
  const overview = await assertSafe(page, 'overview');
  assert.ok(overview.includes(HOST));
  assert.equal(await page.locator('svg').count(), 2);

  // Server page: evidence shown as text.
  await Promise.all([page.waitForURL(/\/servers\//), page.click(`a:has-text("${HOST}")`)]);
  const server = await assertSafe(page, 'server page');
  for (const s of [SCRIPT, IMG, SVG.replace('</textarea></pre>', ''), JS_URL, 'Mozilla/5.0 red agent', BIDI_NAME.replace('\u202E', '')]) assert.ok(server.includes(s), `server page shows ${s} as text`);
  assert.ok(!server.includes(ANSI_UA));

  // Findings of this server: tick the hostile web-shell finding, confirm it with a comment.
  await Promise.all([page.waitForURL(/\/findings\?serverId=/), page.click('a:has-text("Triage these findings")')]);
  await assertSafe(page, 'findings list');
  assert.equal(await page.locator('input.pick-all').isVisible(), true, 'app.js ran (select-all shown)');
  const row = page.locator('tr', { hasText: 'Unexpected .aspx file' });
  await row.locator('input.pick').check();
  await page.selectOption('select[name="status"]', 'confirmed');
  await page.fill('textarea[name="comment"]', `confirmed by browser test ${SCRIPT}`);
  await Promise.all([page.waitForURL(/done=triaged-1/), page.click('button.bulk')]);
  const after = await assertSafe(page, 'findings after triage');
  assert.ok(after.includes('1 finding updated.'));

  // The finding page shows the comment as text; the audit log shows the triage.
  await Promise.all([page.waitForURL(/\/findings\/[^?]+$/), page.locator('tr', { hasText: 'Unexpected .aspx file' }).locator('a').first().click()]);
  const detail = await assertSafe(page, 'finding page');
  assert.ok(detail.includes(`confirmed by browser test ${SCRIPT}`));
  assert.ok(detail.includes('confirmed'));
  assert.ok(detail.includes(JS_URL), 'javascript: rule reference shown as text');
  assert.match(detail, /admin\s*\(user\)\s*finding\.triage/, 'the finding page shows its audit trail');
  await Promise.all([page.waitForURL(`${base}/audit`), page.click('nav a:has-text("Audit log")')]);
  const audit = await assertSafe(page, 'audit log');
  assert.match(audit, /admin\s*\(user\)\s*finding\.triage/);

  // The compliance page renders too.
  await page.goto(`${base}/compliance`);
  await assertSafe(page, 'compliance');

  assert.deepEqual(w.dialogs, [], 'no dialog ever opened');
  assert.deepEqual(w.problems, [], 'no console error or CSP violation');
});
