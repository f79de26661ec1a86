import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeedText } from './feed.js';
import { IocSet } from './index-set.js';
import { FeedError } from './types.js';

const LIST = [
  '# file-name IOCs: REGEX;SCORE[;FALSE-POSITIVE-REGEX]',
  '\\\\aspnet_client\\\\system_web\\\\[^\\\\]+\\.aspx$;100',
  '\\\\owa\\\\auth\\\\[^\\\\]+\\.aspx$;70;\\\\owa\\\\auth\\\\(logon|logoff|errorFE|signout|expiredpassword|frowny)\\.aspx$',
  '\\\\ProgramData\\\\[^\\\\]+\\.(7z|rar)$;40',
].join('\n');

test('REGEX;SCORE[;FP] lines become path regexes with severity by score', () => {
  const feed = parseFeedText(LIST, 'names.txt', 'names');
  assert.equal(feed.indicators.length, 3);
  assert.deepEqual(feed.indicators.map((i) => [i.type, i.severity]), [['path-regex', 'high'], ['path-regex', 'medium'], ['path-regex', 'low']]);
  const set = new IocSet(feed.indicators);
  assert.equal(set.matchPath('C/inetpub/wwwroot/aspnet_client/system_web/Nv3kQw8Z.aspx').length, 1);
  assert.equal(set.matchPath('C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/errorEE.aspx')[0]?.severity, 'medium');
  assert.equal(set.matchPath('C/ProgramData/out.7z').length, 1);
});

test('the false-positive regex and case: stock pages and other places stay silent', () => {
  const set = new IocSet(parseFeedText(LIST, 'names.txt', 'names').indicators);
  assert.deepEqual(set.matchPath('C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/LOGON.aspx'), []);
  assert.deepEqual(set.matchPath('C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319/WebUIValidation.js'), []);
  assert.deepEqual(set.matchPath('C/Users/x/ProgramData.7z'), []);
});

test('a regex of unbounded cost or bad syntax is refused with its line', () => {
  assert.throws(() => parseFeedText('(a+)+$;80\n', 'bad.txt', 'bad'), (e: unknown) => e instanceof FeedError && /bad\.txt/.test(String(e.message)) && e.line === 1);
  assert.throws(() => parseFeedText('# x\n[unclosed;80\n', 'bad.txt', 'bad'), (e: unknown) => e instanceof FeedError && e.line === 2);
});
