#!/usr/bin/env node
// chokidar as a shell user's `inotifywait -m DIR` would be written with it: one "<path> <event>" line per
// event on stdout, "Watches established." on stderr once its initial scan is done ('ready').
//   node bench/peers/chokidar.mjs DIR
import { watch } from 'chokidar';

const watcher = watch(process.argv[2], { ignoreInitial: true });
watcher.on('all', (event, path) => process.stdout.write(`${path} ${event}\n`));
watcher.on('ready', () => process.stderr.write('Watches established.\n'));
watcher.on('error', (err) => {
  process.stderr.write(`chokidar: ${err.message}\n`);
  process.exit(1);
});
