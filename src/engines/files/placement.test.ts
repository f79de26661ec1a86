import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOwaAuthStock, unexpectedPlacement } from './placement.js';

const stock = loadOwaAuthStock();
const AUTH = 'C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth';

test('a page in owa/auth that is not a stock page is flagged (medium, low confidence)', () => {
  const hits = unexpectedPlacement(`${AUTH}/errorEE.aspx`, stock);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.ruleId, 'exhunt:owa-auth-unexpected-page');
  assert.equal(hits[0]?.severity, 'medium');
});

test('stock owa/auth pages, in any case, and resources in versioned folders do not fire', () => {
  for (const p of [`${AUTH}/logon.aspx`, `${AUTH}/ErrorFE.aspx`, `${AUTH}/expiredpassword.aspx`, `${AUTH}/15.2.792/themes/resources/logon.css`, `${AUTH}/15.2.792/scripts/x.aspx`]) {
    assert.deepEqual(unexpectedPlacement(p, stock), [], p);
  }
});

test('any server-side page under aspnet_client is flagged; client-side helpers are not', () => {
  assert.equal(unexpectedPlacement('C/inetpub/wwwroot/aspnet_client/system_web/Nv3kQw8Z.aspx', stock)[0]?.ruleId, 'exhunt:aspnet-client-script-page');
  assert.deepEqual(unexpectedPlacement('C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319/WebUIValidation.js', stock), []);
});

test('pages elsewhere in web folders are left to the content detectors', () => {
  assert.deepEqual(unexpectedPlacement('C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/ecp/default.aspx', stock), []);
  assert.deepEqual(unexpectedPlacement('C/inetpub/wwwroot/default.aspx', stock), []);
});
