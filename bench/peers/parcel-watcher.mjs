#!/usr/bin/env node
// @parcel/watcher as a shell user's `inotifywait -m DIR` would be written with it: one "<path> <type>" line
// per event on stdout, "Watches established." on stderr once subscribe() has resolved. It watches the
// whole tree (always recursive) and delivers events in batches after a ~50 ms debounce, by design.
//   node bench/peers/parcel-watcher.mjs DIR
import watcher from '@parcel/watcher';

await watcher.subscribe(process.argv[2], (err, events) => {
  if (err) {
    process.stderr.write(`@parcel/watcher: ${err.message}\n`);
    process.exit(1);
  }
  let out = '';
  for (const e of events) out += `${e.path} ${e.type}\n`;
  process.stdout.write(out);
});
process.stderr.write('Watches established.\n');
