/** agents.config parsing and the Microsoft / foreign verdict, with and without a known install path. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAgentKnownGood } from './known-good.js';
import type { PathContext } from './locations.js';
import { checkAgentsConfig, parseAgentsConfig } from './transport-agents.js';

const MS = 'Microsoft.Exchange.MessagingPolicies.TransportRuleAgent.TransportRuleAgentFactory';
const agent = (name: string, factory: string, asm: string): string =>
  `    <agent name="${name}" baseType="Microsoft.Exchange.Data.Transport.Routing.RoutingAgentFactory" classFactory="${factory}" assemblyPath="${asm}" enabled="true" />`;
const doc = (...agents: string[]): string =>
  ['<?xml version="1.0" encoding="utf-8" ?>', '<configuration>', '  <mexRuntime>', '   <agentList>', ...agents, '   </agentList>', '  </mexRuntime>', '</configuration>'].join('\r\n');

void test('parseAgentsConfig reads attributes, entities and line numbers; skips comments', () => {
  const text = doc('<!-- ' + agent('Old', 'X', 'C:\\x.dll') + ' -->', agent('A &amp; B', MS, 'D:\\Ex\\TransportRoles\\agents\\Rules\\r.dll'));
  const got = parseAgentsConfig(text);
  assert.equal(got.length, 1);
  assert.equal(got[0]?.name, 'A & B');
  assert.equal(got[0]?.line, 6);
  assert.equal(got[0]?.enabled, 'true');
});

void test('foreign agents are high; Microsoft agents under the install do not fire', async () => {
  const good = await loadAgentKnownGood();
  const withEx: PathContext = { drive: 'C', exchange: 'D:\\Ex\\', webDirs: [] };
  const noEx: PathContext = { drive: 'C', exchange: null, webDirs: [] };
  const text = doc(
    agent('Transport Rule Agent', MS, 'D:\\Ex\\TransportRoles\\agents\\Rules\\r.dll'),
    agent('Transport Rule Agent', MS, 'D:\\Ex\\TransportRoles\\agents\\..\\..\\..\\ProgramData\\r.dll'),
    agent('Signature', 'Vendor.Signature.Factory', 'C:\\Program Files\\Vendor\\sig.dll'),
    agent('Cache', MS, 'C:\\Users\\Public\\cache.dll'),
  );
  for (const ctx of [withEx, noEx]) {
    const fs = checkAgentsConfig('D/Ex/TransportRoles/Shared/agents.config', text, good, ctx);
    assert.deepEqual(fs.map((f) => [f.evidence.line, f.severity]), [[6, 'high'], [7, 'high'], [8, 'high']]);
    assert.match(String(fs[2]?.details['reason']), /user folder/);
    assert.deepEqual(fs[0]?.attack, ['T1505.002']);
  }
});
