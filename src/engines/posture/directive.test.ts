import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateDirective, findDirective } from './directive.js';
import { indexKb } from './kb-index.js';
import { loadKb } from './kb-load.js';

const kb = indexKb(loadKb({ env: { EXHUNT_HOME: '/nonexistent-exhunt-home' } }).bundle);
const sdv2 = findDirective(kb, 'ed-21-02-sdv2');

void test('ED 21-02 SDv2 is defined as data: April 2021 SU by 2021-04-16', () => {
  assert.ok(sdv2);
  assert.equal(sdv2.requires.minUpdate, 'Apr21SU');
  assert.equal(sdv2.deadline, '2021-04-16');
});

void test('March 2021 SU is not compliant with SDv2; April 2021 SU and later CUs are', () => {
  assert.ok(sdv2);
  const mar = evaluateDirective(kb, sdv2, '15.2.792.10', '2021-04-20');
  assert.equal(mar.compliant, false);
  assert.equal(mar.pastDeadline, true);
  assert.match(mar.reason, /15\.2\.792\.13/);
  assert.equal(evaluateDirective(kb, sdv2, '15.2.792.13', '2021-04-20').compliant, true);
  assert.equal(evaluateDirective(kb, sdv2, '15.1.2308.8', '2021-07-01').compliant, true);
  assert.equal(evaluateDirective(kb, sdv2, '15.0.1497.15', '2021-04-20').compliant, true);
});

void test('an unknown or newer build is never compliant', () => {
  assert.ok(sdv2);
  assert.equal(evaluateDirective(kb, sdv2, 'garbage', '2021-04-20').compliant, null);
  assert.equal(evaluateDirective(kb, sdv2, '15.2.792', '2021-04-20').compliant, null);
});

void test('ED 25-02: April 2025 HU or later on 2016/2019; 2013 must be disconnected; SE RTM is compliant', () => {
  const ed = findDirective(kb, 'ED-25-02');
  assert.ok(ed);
  assert.equal(evaluateDirective(kb, ed, '15.2.1544.14', '2025-08-12').compliant, false);
  assert.equal(evaluateDirective(kb, ed, '15.2.1544.25', '2025-08-12').compliant, true);
  assert.equal(evaluateDirective(kb, ed, '15.1.2507.58', '2025-08-12').compliant, true);
  const old = evaluateDirective(kb, ed, '15.0.1497.48', '2025-08-12');
  assert.equal(old.compliant, false);
  assert.match(old.reason, /disconnected/);
  assert.equal(evaluateDirective(kb, ed, '15.2.2562.17', '2025-08-12').compliant, true);
});
