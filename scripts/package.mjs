// What the installed package has beside the bundles (see package.json's files): the engine as a library
// (lib/), the man pages (man/) and shell completion (completion/). Run by `prepare`, so `npm pack` and
// `npm install` in a clone make them.
await import('./library.mjs');
await import('./man.mjs');
await import('./completion.mjs');
