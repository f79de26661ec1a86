/** IIS module verdicts on single entries: known-good images and types, look-alikes, placement. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IisModule } from '../../evidence/app-host-config.js';
import { checkModuleSource, parseTypeName } from './iis-modules.js';
import { loadIisKnownGood } from './known-good.js';
import type { PathContext } from './locations.js';

const ctx: PathContext = { drive: 'C', exchange: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\', webDirs: [] };

function native(name: string, image: string): IisModule {
  return { name, list: 'globalModules', image, type: null, preCondition: null, location: null };
}
function managed(name: string, type: string | null): IisModule {
  return { name, list: 'modules', image: null, type, preCondition: null, location: null };
}

async function verdicts(modules: IisModule[]): Promise<string[]> {
  const good = await loadIisKnownGood();
  const fs = checkModuleSource({ path: 'C/x.config', text: '', modules, declaredNative: new Set() }, good, ctx);
  return fs.map((f) => `${String(f.details['module'])}:${f.severity}`);
}

void test('parseTypeName splits type, assembly and token', () => {
  assert.deepEqual(parseTypeName('A.B, C.D, Version=1.0.0.0, Culture=neutral, PublicKeyToken=31BF3856AD364E35'), { type: 'A.B', assembly: 'C.D', token: '31bf3856ad364e35' });
  assert.deepEqual(parseTypeName('System.Web.Caching.OutputCacheModule'), { type: 'System.Web.Caching.OutputCacheModule', assembly: null, token: null });
});

void test('stock IIS and Exchange native modules are known-good, with or without variables', async () => {
  assert.deepEqual(await verdicts([
    native('StaticFileModule', 'C:\\Windows\\System32\\inetsrv\\static.dll'),
    native('kerbauth', '%ExchangeInstallPath%Bin\\kerbauth.dll'),
    native('cafe_exppw', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\bin\\exppw.dll'),
  ]), []);
});

void test('planted native modules: staging place high, elsewhere medium; a stock name does not help', async () => {
  assert.deepEqual(await verdicts([
    native('StaticFileModule', 'C:\\Windows\\Temp\\static.dll'),
    native('exppw', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\Owa\\auth\\exppw2.dll'),
    native('Helper', 'C:\\Windows\\System32\\inetsrv\\helper.dll'),
  ]), ['StaticFileModule:high', 'exppw:high', 'Helper:medium']);
});

void test('managed modules: Microsoft types pass, foreign assemblies or tokens do not', async () => {
  assert.deepEqual(await verdicts([
    managed('OutputCache', 'System.Web.Caching.OutputCacheModule'),
    managed('HttpProxy', 'Microsoft.Exchange.HttpProxy.FbaModule,Microsoft.Exchange.FrontEndHttpProxy,Version=15.0.0.0,Culture=neutral,PublicKeyToken=31bf3856ad364e35'),
    managed('cafe_exppw', null),
    managed('Fake1', 'Microsoft.Exchange.Auth, Evil, Version=1.0.0.0, PublicKeyToken=31bf3856ad364e35'),
    managed('Fake2', 'System.Web.Security.X, System.Web, Version=4.0.0.0, PublicKeyToken=0123456789abcdef'),
    managed('Owowa', 'ExtenDB.SQL, ExtenDB'),
    managed('UnknownNative', null),
  ]), ['Fake1:medium', 'Fake2:medium', 'Owowa:medium', 'UnknownNative:medium']);
});
