// Bundles each CLI into one ES module (packages/<tool>/dist/bundle.mjs) after `tsc -b`: Node then loads one
// file instead of resolving ~40 modules, which takes ~15-20 ms off every start (the start-up target is
// 80 ms, and Node alone takes 30). The native modules stay external. Without esbuild (or when it fails) the
// launchers run the module tree tsc built, so a failure here is only a warning.
import { existsSync, rmSync } from 'node:fs';
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
 * `import … from 'node:fs'` in an ES module makes Node build the module's whole namespace, and reading
 * `fs.promises` for it loads fs/promises, readline and the streams (~30 built-ins, ~3 ms per start). The
 * same module through require() keeps those getters lazy, so the bundles take node:fs that way.
 */
const fsThroughRequire = {
  name: 'fs-through-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?fs$/ }, (args) =>
      // The stand-in's own require('node:fs') is the real one.
      args.namespace === 'fs-through-require' ? { path: 'node:fs', external: true } : { path: 'node:fs', namespace: 'fs-through-require' },
    );
    build.onLoad({ filter: /.*/, namespace: 'fs-through-require' }, () => ({ contents: "module.exports = require('node:fs');", loader: 'js' }));
  },
};

for (const tool of tools) {
  const entry = `${root}packages/${tool}/dist/main.js`;
  if (!existsSync(entry)) continue;
  try {
    const outdir = `${root}packages/${tool}/dist`;
    rmSync(`${outdir}/chunks`, { recursive: true, force: true });
    await esbuild.build({
      entryPoints: [entry],
      // dist/bundle.mjs, and what the CLI imports on demand (help, --since, the daemon, the parcel backend)
      // as chunks of its own: in one file, their Node built-ins (crypto, child_process, ...) were imported
      // at every start.
      outdir,
      entryNames: 'bundle',
      chunkNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      splitting: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['koffi', '@parcel/watcher'],
      plugins: [fsThroughRequire],
      // CommonJS dependencies inside an ES module bundle need a real require for Node's built-ins.
      banner: { js: "import { createRequire as __ikCreateRequire } from 'node:module'; const require = __ikCreateRequire(import.meta.url);" },
      logLevel: 'warning',
    });
  } catch (err) {
    console.warn(`bundle: ${tool} not bundled (${err.message}); its launcher uses the unbundled modules`);
  }
}
