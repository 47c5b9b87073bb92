// An application as a TypeScript developer would write it against @inotifykit/event-core: compiled by
// readme.test.mjs under `tsc --strict` against the built .d.ts, then run against the real kernel.
// Usage: consumer DIR — prints one line per event, ready/ended markers; a file named STOP ends it (abort),
// a file named CLOSE ends it through close() from a timer (outside the loop).
import { watch } from '@inotifykit/event-core';
import type { EventName, WatchEvent, WatchOptions } from '@inotifykit/event-core';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: consumer DIR');

const wanted: EventName[] = ['create', 'close_write', 'delete', 'moved_from', 'moved_to'];
const stop = new AbortController();
const options: WatchOptions = { recursive: true, events: wanted, exclude: ['*.tmp'], signal: stop.signal };

function describe(ev: WatchEvent): string {
  switch (ev.type) {
    case 'move':
      return `move ${ev.from.path} -> ${ev.to.path}${ev.isDir ? ' dir' : ''}`;
    case 'q_overflow':
      return 'overflow';
    default: {
      const hex = ev.bytes.name.toString('hex');
      return `${ev.type} ${ev.path}${ev.isDir ? ' dir' : ''} name=${ev.name} hex=${hex}`;
    }
  }
}

await using watcher = watch(dir, options);
await watcher.ready;
console.log(`ready ${watcher.backend ?? '?'}`);
for await (const ev of watcher) {
  console.log(describe(ev));
  if (ev.type === 'create' && ev.name === 'STOP') stop.abort();
  if (ev.type === 'create' && ev.name === 'CLOSE') setTimeout(() => void watcher.close(), 10);
}
console.log('ended');
// No process.exit(): the program ends because nothing is left pending (a hang would be exit 13).
