/** Consistency of the whole bundled knowledge base. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKb, readBundledKb, schemaErrors } from './kb-load.js';
import { checkKb } from './kb-check.js';
import { compareBuilds, mustParseBuild } from './build.js';

const kb = loadKb({ env: { EXHUNT_HOME: '/nonexistent-exhunt-home' } }).bundle;

void test('the bundled KB matches its schema', () => {
  assert.deepEqual(schemaErrors(readBundledKb()), []);
});

void test('the bundled KB is consistent: no build twice, dates ordered, every referenced CVE and update exists', () => {
  assert.deepEqual(checkKb(kb), []);
});

void test('every SU maps to at least one CVE unless the KB says why not', () => {
  for (const u of kb.updates) {
    const n = u.cves.length + Object.values(u.productCves ?? {}).flat().length + Object.values(u.onlyCvesFor ?? {}).flat().length;
    if (n === 0) assert.ok(u.noCvesReason, `${u.id} fixes no CVE and gives no reason`);
    if (u.kind === 'su' && u.rereleaseOf === undefined && u.id !== 'Oct22SU') assert.ok(n > 0, `${u.id} fixes no CVE`);
  }
});

void test('update dates are ordered and every build of an update carries its date', () => {
  const byId = new Map(kb.updates.map((u) => [u.id, u]));
  for (let i = 1; i < kb.updates.length; i++) {
    assert.ok((kb.updates[i - 1]?.date ?? '') <= (kb.updates[i]?.date ?? ''), `update order at ${kb.updates[i]?.id}`);
  }
  for (const [pid, list] of Object.entries(kb.builds)) {
    for (const b of list) {
      if (b.update === undefined) continue;
      assert.equal(b.date, byId.get(b.update)?.date, `${pid} ${b.build} date differs from ${b.update}`);
    }
  }
});

void test('builds are listed oldest first and every source key exists', () => {
  for (const [pid, list] of Object.entries(kb.builds)) {
    const nums = list.map((b) => mustParseBuild(b.build));
    const sorted = [...nums].sort(compareBuilds);
    assert.deepEqual(nums, sorted, `${pid} builds out of order`);
  }
  for (const c of kb.cves) assert.match(c.source, /^https:\/\/msrc\.microsoft\.com\//);
});

void test('exploited CVEs are critical-worthy facts: ProxyLogon, ProxyShell, ProxyNotShell are flagged', () => {
  const cve = new Map(kb.cves.map((c) => [c.id, c]));
  for (const id of ['CVE-2021-26855', 'CVE-2021-34473', 'CVE-2022-41040', 'CVE-2022-41082', 'CVE-2022-41080', 'CVE-2020-0688']) {
    assert.equal(cve.get(id)?.exploited, true, id);
  }
  assert.equal(cve.get('CVE-2021-26855')?.family, 'ProxyLogon');
  assert.equal(cve.get('CVE-2022-41080')?.family, 'OWASSRF');
  assert.equal(cve.get('CVE-2021-33766')?.family, 'ProxyToken');
  assert.equal(cve.get('CVE-2021-31196')?.family, 'ProxyOracle');
  assert.ok(cve.get('CVE-2024-21410')?.needsConfiguration?.includes('Extended Protection'));
});
