// Bundles each CLI into one CommonJS file (packages/<tool>/dist/bundle.cjs) after `tsc -b`, which the
// launchers in bin/ require(). Node then reads one file instead of resolving ~40 modules, and never starts
// its ES module loader: on Node 20 that loader alone costs ~25-35 ms and ~6 MB at every start (an ES
// bundle with its chunks: ~50 ms over `node -e 0`; this one: ~15). What the CLI imports on demand (help,
// --since, the daemon, the parcel backend) stays in the file but is only evaluated when imported, and so are
// its Node built-ins. The native modules stay external. Without esbuild (or when it fails) the launchers
// run the module tree tsc built, so a failure here is only a warning.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { relative } from 'node:path';
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
          __IK_KOFFI_ADDON__: JSON.stringify(`./${relative(outdir, addon.file)}`),
          __IK_KOFFI_VERSION__: JSON.stringify(addon.version),
        }),
      },
      banner: { js: "const __ikModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
      logLevel: 'warning',
    });
    asciiOnly(`${outdir}/bundle.cjs`);
    writeCodeCache(`${outdir}/bundle.cjs`, `${outdir}/bundle.v8cache`);
  } catch (err) {
    rmSync(`${outdir}/bundle.cjs`, { force: true });
    rmSync(`${outdir}/bundle.v8cache`, { force: true });
    console.warn(`bundle: ${tool} not bundled (${err.message}); its launcher uses the unbundled modules`);
  }
}
