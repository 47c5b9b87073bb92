// The engine as the installed package's library (`import { Watcher } from 'inotifykit'`): lib/sys and
// lib/event-core, copies of what tsc built for those two packages, with `@inotifykit/sys` rewritten to a
// relative path. The workspace packages are not published, and an installed inotifykit has no
// node_modules/@inotifykit/ to resolve that name in (npm would bundle their native dependencies, built for
// this machine only, with them). Types travel with the JavaScript, so a TypeScript consumer sees the same
// API as the workspace.
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lib = join(root, 'lib');
const copies = { sys: 'packages/sys/dist', 'event-core': 'packages/event-core/dist' };

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

rmSync(lib, { recursive: true, force: true });
for (const [name, dist] of Object.entries(copies)) {
  if (!existsSync(join(root, dist, 'index.js'))) {
    console.warn(`library: ${dist} is not built; lib/ is incomplete`);
    continue;
  }
  cpSync(join(root, dist), join(lib, name), { recursive: true, filter: (src) => !src.endsWith('.tsbuildinfo') });
}
// `from '@inotifykit/sys'` (JavaScript and declarations) and `import("@inotifykit/sys")` (declarations).
const specifier = /(['"])@inotifykit\/sys\1/g;
for (const file of files(join(lib, 'event-core'))) {
  if (!/\.(js|d\.ts)$/.test(file)) continue;
  const text = readFileSync(file, 'utf8');
  let target = relative(dirname(file), join(lib, 'sys', 'index.js'));
  if (!target.startsWith('.')) target = `./${target}`;
  const rewritten = text.replace(specifier, (_, quote) => `${quote}${target}${quote}`);
  if (rewritten !== text) writeFileSync(file, rewritten);
}
