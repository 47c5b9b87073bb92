// Runs a CLI compiled at install (the `prepare` script): its CommonJS bundle (it starts faster: no ES
// module loader, see scripts/bundle.mjs) unless tsc has rebuilt the tool or a package it bundles since
// the bundle was made, else the modules themselves. An installed package (npm pack) ships the bundles
// without tsc's output: its bundles are always used.
'use strict';
const { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync, writeFileSync } = require('node:fs');
// The CommonJS loader's Module class, as require('node:module') exports it, without loading that module
// (and the ES module loader it pulls in: ~1-2 ms).
const Module = module.constructor;
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const packages = join(__dirname, '..', '..', 'packages');
const mtime = (p, missing) => statSync(join(packages, p), { throwIfNoEntry: false })?.mtimeMs ?? missing;

/**
 * What require() does with the bundle, but compiled with the V8 code cache the build wrote beside it
 * (bundle.v8cache): compiling the 300 KB source, and then each function it runs, took ~10-15 ms of every
 * start. V8 checks the cache against the source and its own version and flags, and compiles from source
 * when it does not match. The build writes the cache from a run of the CLI (INOTIFYKIT_CODE_CACHE_OUT,
 * see scripts/bundle.mjs), so that it holds the functions a start-up runs, not only the top level.
 */
function runBundle(file) {
  const { source, cachedData } = readBundle(file);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const cacheOut = process.env.INOTIFYKIT_CODE_CACHE_OUT;
  if (cacheOut) {
    delete process.env.INOTIFYKIT_CODE_CACHE_OUT; // not for what the CLI starts (a -d daemon, dnotify's commands)
    process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
}

/**
 * The bundle's source (latin1) and its code cache, read through one buffer: the source is decoded into a
 * string, then the cache is read over it. Two buffers (readFileSync twice) touched ~50 more fresh pages,
 * and a page fault costs ~20 us on a virtual machine like the bench's (~1 ms of every start).
 */
function readBundle(file) {
  let cacheFd;
  try {
    cacheFd = openSync(join(dirname(file), 'bundle.v8cache'), 'r');
  } catch {
    // no cache: compiled from source
  }
  try {
    const fd = openSync(file, 'r');
    let buffer;
    let length;
    try {
      const size = fstatSync(fd).size;
      buffer = Buffer.allocUnsafeSlow(Math.max(size, cacheFd === undefined ? 0 : fstatSync(cacheFd).size) + 1);
      length = readAll(fd, buffer);
    } finally {
      closeSync(fd);
    }
    // A file that grew while read (one byte of room tells): read again as a whole.
    const source = length < buffer.length ? buffer.toString('latin1', 0, length) : readFileSync(file, 'latin1');
    if (cacheFd === undefined) return { source, cachedData: undefined };
    const cacheLength = readAll(cacheFd, buffer);
    return { source, cachedData: cacheLength < buffer.length ? buffer.subarray(0, cacheLength) : undefined };
  } finally {
    if (cacheFd !== undefined) closeSync(cacheFd);
  }
}

/** Reads fd from its start into buffer until EOF or a full buffer; the bytes read. */
function readAll(fd, buffer) {
  let length = 0;
  for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, length)) > 0; ) length += n;
  return length;
}

exports.launch = function launch(tool) {
  const bundle = mtime(`${tool}/dist/bundle.cjs`, Infinity);
  const built = [tool, 'sys', 'event-core', 'cli-kit'].map((p) => mtime(`${p}/dist/.tsbuildinfo`, -Infinity));
  const fresh = bundle !== Infinity && bundle >= Math.max(...built);
  if (!fresh && !existsSync(join(packages, tool, 'dist', 'main.js'))) notBuilt(tool);
  if (fresh) runBundle(join(packages, tool, 'dist', 'bundle.cjs'));
  else import(pathToFileURL(join(packages, tool, 'dist', 'main.js')).href);
};

/** A clone whose `prepare` script did not run (`npm install --ignore-scripts`): one line, not a stack. */
function notBuilt(tool) {
  process.stderr.write(`${tool}: inotifykit is not built: run 'npm run build' in ${join(packages, '..')} (npm install --ignore-scripts skips it)\n`);
  process.exit(1);
}
