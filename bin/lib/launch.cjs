// Runs a CLI compiled at install (the `prepare` script): its CommonJS bundle (it starts faster: no ES
// module loader, see scripts/bundle.mjs) unless tsc has rebuilt the tool or a package it bundles since
// the bundle was made, else the modules themselves.
'use strict';
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const packages = join(__dirname, '..', '..', 'packages');
const mtime = (p) => (existsSync(join(packages, p)) ? statSync(join(packages, p)).mtimeMs : Infinity);

exports.launch = function launch(tool) {
  const bundle = mtime(`${tool}/dist/bundle.cjs`);
  const built = [tool, 'sys', 'event-core', 'cli-kit'].map((p) => mtime(`${p}/dist/.tsbuildinfo`));
  const fresh = bundle !== Infinity && bundle >= Math.max(...built);
  if (fresh) require(join(packages, tool, 'dist', 'bundle.cjs'));
  else import(pathToFileURL(join(packages, tool, 'dist', 'main.js')).href);
};
