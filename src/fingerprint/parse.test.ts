/** Build extraction from headers, logon pages and the export tool manifest, with look-alikes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../test/fixtures/fingerprint/fake-exchange.js';
import { buildFromHeader, buildFromLogonPage, buildFromManifest, looksLikeOwa, versionedFolder } from './parse.js';

void test('X-OWA-Version: full and normalised builds; junk ignored', () => {
  assert.deepEqual(buildFromHeader('14.3.513.0'), { build: '14.3.513.0', partial: false });
  assert.deepEqual(buildFromHeader(['15.01.2507.006']), { build: '15.1.2507.6', partial: false });
  assert.equal(buildFromHeader(undefined), null);
  assert.equal(buildFromHeader('IIS/10.0'), null);
  assert.equal(buildFromHeader('1.2.3.4'), null);
  assert.equal(buildFromHeader(`15.2.1748.46${'x'.repeat(100)}`), null);
});

void test('logon pages: 3-part for 2013+, 4-part for 2010; plain pages and look-alike paths give nothing', () => {
  assert.deepEqual(buildFromLogonPage(fixture('logon-2013.html', '15.0.1497.48')), { build: '15.0.1497', partial: true });
  assert.deepEqual(buildFromLogonPage(fixture('logon-2016.html', '15.2.2562.43')), { build: '15.2.2562', partial: true });
  assert.deepEqual(buildFromLogonPage(fixture('logon-2010.html', '14.3.389.1')), { build: '14.3.389.1', partial: false });
  assert.equal(buildFromLogonPage(fixture('plain.html')), null);
  assert.equal(buildFromLogonPage('<a href="/blog/owa/notes/2021.03.02/index.html">ProxyLogon notes</a>'), null);
  assert.equal(buildFromLogonPage('<img src="/static/15.2.1748/themes/x.png">'), null);
});

void test('the most frequent versioned path wins over a stray one', () => {
  const html = '<link href="/owa/auth/15.2.1748/themes/a.css"><script src="/owa/auth/15.2.1748/scripts/b.js"></script><img src="/owa/auth/15.1.2507/themes/c.png">';
  assert.equal(buildFromLogonPage(html)?.build, '15.2.1748');
});

void test('manifest: the first assemblyIdentity version; dependencies, 3-part and other XML ignored', () => {
  assert.deepEqual(buildFromManifest(fixture('exporttool.application', '15.2.1748.46')), { build: '15.2.1748.46', partial: false });
  const reordered = '<assembly><assemblyIdentity version="15.1.2507.39" name="microsoft.exchange.ediscovery.exporttool.application"/></assembly>';
  assert.equal(buildFromManifest(reordered)?.build, '15.1.2507.39');
  assert.equal(buildFromManifest('<assemblyIdentity name="x" version="15.2.1748"/>'), null);
  assert.equal(buildFromManifest('<?xml version="1.0"?><root version="15.2.1748.46"/>'), null);
  assert.equal(buildFromManifest(fixture('plain.html')), null);
});

void test('OWA markers: logon pages yes, ordinary pages no', () => {
  for (const f of ['logon-2013.html', 'logon-2016.html', 'logon-2010.html']) assert.equal(looksLikeOwa(fixture(f, '15.2.1748.46')), true, f);
  assert.equal(looksLikeOwa(fixture('plain.html')), false);
  assert.equal(looksLikeOwa('<title>Outlook tips for beginners</title>'), false);
  assert.equal(versionedFolder({ build: '15.2.1748.46', partial: false }), '15.2.1748');
});
