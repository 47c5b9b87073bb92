// Bundles each CLI into one CommonJS file (packages/<tool>/dist/bundle.cjs) after `tsc -b`, which the
// launchers in bin/ require(). Node then reads one file instead of resolving ~40 modules, and never starts
// its ES module loader: on Node 20 that loader alone costs ~25-35 ms and ~6 MB at every start (an ES
// bundle with its chunks: ~50 ms over `node -e 0`; this one: ~15). What the CLI imports on demand (help,
// --since, the daemon, the parcel backend) stays in the file but is only evaluated when imported, and so are
// its Node built-ins. The native modules stay external. Without esbuild (or when it fails) the launchers
// run the module tree tsc built, so a failure here is only a warning.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tools = ['inotifywait', 'inotifywatch', 'dnotify', 'procwatch'];

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('bundle: esbuild is not installed; the launchers use the unbundled modules');
  process.exit(0);
}

/**
 * koffi's prebuilt addon, as koffi's own loader picks it on this machine (the .node file it requires), and
 * koffi's version: the bundles require the addon directly (see packages/sys/src/library.ts).
 */
function koffiAddon() {
  try {
    const require = createRequire(`${root}packages/sys/package.json`);
    const before = new Set(Object.keys(require.cache));
    const { version } = require('koffi');
    const file = Object.keys(require.cache).find((f) => !before.has(f) && f.endsWith('.node'));
    return file && typeof version === 'string' ? { file, version } : undefined;
  } catch {
    return undefined;
  }
}
const addon = koffiAddon();
if (!addon) console.warn("bundle: koffi's addon not found; the bundles load koffi through its own entry file");

/**
 * esbuild escapes non-ASCII in code but keeps a few comments as written; one '→' in one makes V8 hold the
 * whole source as a two-byte string, which took ~3 ms more to read and decode at every start. Escaped
 * in place (only comments have any left).
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

/**
 * The V8 code cache of a bundle (bin/lib/launch.cjs compiles the bundle with it). Only for this node
 * binary: another V8 rejects it, and the launcher then compiles from source.
 */
function writeCodeCache(file, cacheFile) {
  try {
    const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file });
    writeFileSync(cacheFile, script.createCachedData());
  } catch (err) {
    rmSync(cacheFile, { force: true });
    console.warn(`bundle: no code cache for ${file} (${err.message}); it is compiled at every start`);
  }
}

/**
 * The runs that write the code caches of the inotify tools (bin/lib/launch.cjs writes the cache at exit
 * when INOTIFYKIT_CODE_CACHE_OUT is set): a cache made right after compiling holds the top level only, and
 * every function a start-up runs was then compiled at each start (~17 M instructions of inotifywait's
 * ~50 M above `node -e 0`, measured with valgrind). These runs set up a watch as users do (a tree and a
 * file, so the walk and the single-path code are in), see one event and end: `-e create` exits with it,
 * inotifywatch prints its table at SIGINT.
 */
const trainings = {
  inotifywait: {
    launcher: 'bin/lib/inotifywait.cjs',
    args: (dir) => ['-r', '-e', 'create', dir, join(dir, 'file')],
    ready: 'Watches established.',
    act: (dir) => writeFileSync(join(dir, 'sub', 'new'), ''),
  },
  inotifywatch: {
    launcher: 'bin/lib/inotifywatch.cjs',
    args: (dir) => ['-r', dir],
    ready: 'Finished establishing watches',
    act: (dir, child) => {
      writeFileSync(join(dir, 'sub', 'new'), '');
      setTimeout(() => child.kill('SIGINT'), 50);
    },
  },
};

/** Runs the tool's launcher once as `trainings` says; the cache it wrote, or undefined (and why). */
async function trainedCache(tool) {
  const training = trainings[tool];
  const work = mkdtempSync(join(tmpdir(), 'ik-code-cache-'));
  try {
    const dir = join(work, 'tree');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'file'), '');
    const out = join(work, 'cache');
    // No NODE_OPTIONS: V8 rejects a cache made under other flags.
    const env = { ...process.env, INOTIFYKIT_CODE_CACHE_OUT: out };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [`${root}${training.launcher}`, ...training.args(dir)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let acted = false;
    child.stderr.setEncoding('latin1').on('data', (text) => {
      stderr += text;
      if (!acted && stderr.includes(training.ready)) {
        acted = true;
        training.act(dir, child);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const status = await new Promise((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
    clearTimeout(timer);
    if (!existsSync(out) || statSync(out).size === 0) return { why: `the run ended (${status}) without one: ${stderr.trim().split('\n').pop()}` };
    return { data: readFileSync(out) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether a fresh `node` (no NODE_OPTIONS) accepts the cache for this bundle, as the launcher compiles it. */
function accepted(file, cacheFile) {
  const check = `const fs=require('fs'),{Module}=require('module'),vm=require('vm');` +
    `const s=new vm.Script(Module.wrap(fs.readFileSync(process.argv[1],'latin1')),{filename:process.argv[1],cachedData:fs.readFileSync(process.argv[2])});` +
    `process.exit(s.cachedDataRejected?1:0)`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return spawnSync(process.execPath, ['-e', check, file, cacheFile], { env, stdio: 'ignore' }).status === 0;
}

/**
 * `createRequire(import.meta.url)` is how the ES modules require Node built-ins on demand; in a bundle every
 * module's URL is the bundle's, so the bundle's own `require` is that function. This stands in for
 * `node:module` there: loading the real one (and the ES module loader parts it pulls in) cost ~1-2 ms of
 * every start.
 */
const ownRequire = {
  name: 'own-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?module$/ }, () => ({ path: 'node:module', namespace: 'own-require' }));
    build.onLoad({ filter: /.*/, namespace: 'own-require' }, () => ({
      loader: 'js',
      contents:
        'export function createRequire(url) {\n' +
        "  return url === __ikModuleUrl ? require : require('node:module').createRequire(url);\n" +
        '}\n',
    }));
  },
};

for (const tool of tools) {
  const entry = `${root}packages/${tool}/dist/main.js`;
  if (!existsSync(entry)) continue;
  const outdir = `${root}packages/${tool}/dist`;
  // What earlier versions of this script wrote (an ES bundle and its chunks).
  rmSync(`${outdir}/chunks`, { recursive: true, force: true });
  rmSync(`${outdir}/bundle.mjs`, { force: true });
  try {
    await esbuild.build({
      entryPoints: [entry],
      outfile: `${outdir}/bundle.cjs`,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['koffi', '@parcel/watcher'],
      // The modules find koffi, package.json and the like from their own URL: the bundle's, here.
      define: {
        'import.meta.url': '__ikModuleUrl',
        ...(addon && {
          __IK_KOFFI_ADDON__: JSON.stringify(relative(outdir, addon.file)),
          __IK_KOFFI_VERSION__: JSON.stringify(addon.version),
          __IK_BUNDLE_DIR__: '__dirname',
        }),
      },
      // pathToFileURL() builds a URL object (~0.3 ms with its first use); a plain path needs no escaping.
      banner: {
        js: "const __ikModuleUrl = /^[\\w/.@+~-]*$/.test(__filename) ? 'file://' + __filename : require('node:url').pathToFileURL(__filename).href;",
      },
      minifyWhitespace: true,
      minifySyntax: true,
      plugins: [ownRequire],
      logLevel: 'warning',
    });
    asciiOnly(`${outdir}/bundle.cjs`);
    writeCodeCache(`${outdir}/bundle.cjs`, `${outdir}/bundle.v8cache`);
    if (trainings[tool] && existsSync(`${outdir}/bundle.v8cache`)) {
      const trained = await trainedCache(tool);
      const candidate = `${outdir}/bundle.v8cache.trained`;
      if (trained.data) writeFileSync(candidate, trained.data);
      if (trained.data && accepted(`${outdir}/bundle.cjs`, candidate)) renameSync(candidate, `${outdir}/bundle.v8cache`);
      else {
        rmSync(candidate, { force: true });
        console.warn(`bundle: ${tool}'s code cache holds the top level only (${trained.why ?? 'V8 rejected the trained one'})`);
      }
    }
  } catch (err) {
    rmSync(`${outdir}/bundle.cjs`, { force: true });
    rmSync(`${outdir}/bundle.v8cache`, { force: true });
    console.warn(`bundle: ${tool} not bundled (${err.message}); its launcher uses the unbundled modules`);
  }
}
