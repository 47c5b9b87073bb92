// Runs a CLI compiled at install (the `prepare` script): its bundle (it starts faster) unless tsc has
// rebuilt the tool or the engine since the bundle was made, else the modules themselves.
import { existsSync, statSync } from 'node:fs';

const at = (p) => new URL(`../../packages/${p}`, import.meta.url);
const mtime = (p) => (existsSync(at(p)) ? statSync(at(p)).mtimeMs : Infinity);

export function launch(tool) {
  const bundle = mtime(`${tool}/dist/bundle.mjs`);
  const fresh = bundle !== Infinity && bundle >= Math.max(mtime(`${tool}/dist/.tsbuildinfo`), mtime('event-core/dist/.tsbuildinfo'));
  return import(fresh ? at(`${tool}/dist/bundle.mjs`) : at(`${tool}/dist/main.js`));
}
