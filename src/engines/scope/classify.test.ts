import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchorMailbox, classifyAccess, protocolOf, proxyFolderOfPath, proxyFolderOfStem, queryParams, statusClass, type RequestView } from './classify.js';

function view(p: Partial<RequestView>): RequestView {
  return { stem: '/', query: '', user: null, status: '200', bytes: null, anchor: '', targetServer: null, ...p };
}

test('protocols from the path, and through autodiscover from the query (ProxyShell)', () => {
  assert.equal(protocolOf('/EWS/Exchange.asmx', ''), 'ews');
  assert.equal(protocolOf('/owa/service.svc', 'action=GetItem'), 'owa');
  assert.equal(protocolOf('/mapi/emsmdb/', ''), 'mapi');
  assert.equal(protocolOf('/Microsoft-Server-ActiveSync/default.eas', ''), 'activesync');
  assert.equal(protocolOf('/powershell', ''), 'powershell');
  assert.equal(protocolOf('/autodiscover/autodiscover.json', '@evil.com/powershell/?X-Rps-CAT=x&Email=autodiscover/autodiscover.json%3F@evil.com'), 'powershell');
  assert.equal(protocolOf('/autodiscover/autodiscover.json', '@x/EWS/Exchange.asmx'), 'ews');
});

test('not mailbox access: OWA logon pages, static files, health checks, ECP, plain autodiscover', () => {
  assert.equal(protocolOf('/owa/auth/logon.aspx', ''), null);
  assert.equal(protocolOf('/owa/auth/errorEE.aspx', ''), null);
  assert.equal(protocolOf('/owa/healthcheck.htm', ''), null);
  assert.equal(protocolOf('/owa/prem/15.2.792/scripts/boot.js', ''), null);
  assert.equal(protocolOf('/ecp/default.aspx', ''), null);
  assert.equal(protocolOf('/autodiscover/autodiscover.xml', ''), null);
});

test('AnchorMailbox: SMTP and SID name a mailbox, ServerInfo (ProxyLogon) does not', () => {
  assert.equal(anchorMailbox('Smtp~CEO@Corp.Example'), 'ceo@corp.example');
  assert.equal(anchorMailbox('Sid~S-1-5-21-1-2-3-1105'), 'sid:S-1-5-21-1-2-3-1105');
  assert.equal(anchorMailbox('ServerInfo~a]@EX01.corp.example:444/autodiscover/autodiscover.xml?#'), null);
  assert.equal(anchorMailbox(''), null);
  assert.equal(anchorMailbox('Smtp~not an address'), null);
});

test('the mailbox: anchor, then query, MAPI MailboxId, ActiveSync User, then the authenticated user', () => {
  assert.deepEqual(classifyAccess(view({ stem: '/EWS/Exchange.asmx', anchor: 'Smtp~ceo@corp.example', user: 'CORP\\svc' })),
    { protocol: 'ews', mailbox: 'ceo@corp.example', mailboxFrom: 'anchor', device: null });
  assert.equal(classifyAccess(view({ stem: '/EWS/Exchange.asmx', query: 'X-AnchorMailbox=cfo%40corp.example' }))?.mailbox, 'cfo@corp.example');
  const mapi = classifyAccess(view({ stem: '/mapi/emsmdb/', query: 'MailboxId=0a1b2c3d-0000-0000-0000-000000000001@corp.example' }));
  assert.equal(mapi?.mailboxFrom, 'mapi');
  const eas = classifyAccess(view({ stem: '/Microsoft-Server-ActiveSync/default.eas', query: 'Cmd=Sync&User=hr%40corp.example&DeviceId=ABC123&DeviceType=iPhone' }));
  assert.deepEqual(eas, { protocol: 'activesync', mailbox: 'hr@corp.example', mailboxFrom: 'activesync', device: 'ABC123' });
  assert.equal(classifyAccess(view({ stem: '/owa/', user: 'CORP\\j.doe' }))?.mailbox, 'corp\\j.doe');
  assert.equal(classifyAccess(view({ stem: '/powershell', user: 'CORP\\admin' }))?.mailbox, null);
  assert.equal(classifyAccess(view({ stem: '/ecp/', user: 'CORP\\admin' })), null);
  assert.equal(classifyAccess(view({ stem: '/EWS/Exchange.asmx', query: 'Email=autodiscover/autodiscover.json%3F@evil.com' }))?.mailbox, null);
});

test('status classes, query parameters and HttpProxy folders', () => {
  assert.equal(statusClass('200'), '2xx');
  assert.equal(statusClass('403'), '4xx');
  assert.equal(statusClass(''), 'other');
  assert.equal(queryParams('?a=1&B=x%20y;c=').get('b'), 'x y');
  assert.equal(proxyFolderOfStem('/Microsoft-Server-ActiveSync'), 'eas');
  assert.equal(proxyFolderOfStem('/EWS/Exchange.asmx'), 'ews');
  assert.equal(proxyFolderOfStem('/aspnet_client/x.aspx'), null);
  assert.equal(proxyFolderOfPath('C/x/Logging/HttpProxy/Owa/HttpProxy_1.LOG'), 'owa');
});
