// Runs a CLI compiled at install (the `prepare` script): its bundle (it starts faster) unless tsc has
// rebuilt the tool or a package it bundles since the bundle was made, else the modules themselves.
import { existsSync, statSync } from 'node:fs';

const at = (p) => new URL(`../../packages/${p}`, import.meta.url);
const mtime = (p) => (existsSync(at(p)) ? statSync(at(p)).mtimeMs : Infinity);

export function launch(tool) {
  const bundle = mtime(`${tool}/dist/bundle.mjs`);
  const built = [tool, 'sys', 'event-core', 'cli-kit'].map((p) => mtime(`${p}/dist/.tsbuildinfo`));
  const fresh = bundle !== Infinity && bundle >= Math.max(...built);
  return import(fresh ? at(`${tool}/dist/bundle.mjs`) : at(`${tool}/dist/main.js`));
}
