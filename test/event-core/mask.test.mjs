// Mask names and -e parsing: pure functions, checked against the inotify-tools transcripts in the
// behaviour reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseEventList, renderMask, UnknownEventError, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE, IN_ISDIR, IN_CREATE,
  IN_ACCESS, IN_MODIFY, IN_OPEN, IN_MOVE, IN_CLOSE, IN_ALL_EVENTS,
} from '@inotifykit/event-core';

test('event names render in inotify-tools order, CLOSE added, ISDIR last', () => {
  assert.equal(renderMask(IN_CLOSE_WRITE), 'CLOSE_WRITE,CLOSE');
  assert.equal(renderMask(IN_CLOSE_NOWRITE | IN_ISDIR), 'CLOSE_NOWRITE,CLOSE,ISDIR');
  assert.equal(renderMask(IN_CREATE | IN_ISDIR, ':'), 'CREATE:ISDIR');
  assert.equal(renderMask(IN_OPEN | IN_ACCESS | IN_MODIFY), 'ACCESS,MODIFY,OPEN');
  assert.equal(renderMask(0x10000000), '0x10000000');
});

test('-e lists: case-insensitive, aliases, the empty-element rule, unknown names', () => {
  assert.equal(parseEventList('open,modify,access'), IN_OPEN | IN_MODIFY | IN_ACCESS);
  assert.equal(parseEventList('CREATE,Delete'), IN_CREATE | 0x200);
  assert.equal(parseEventList('move'), IN_MOVE);
  assert.equal(parseEventList('close'), IN_CLOSE);
  assert.equal(parseEventList('all_events'), IN_ALL_EVENTS);
  for (const empty of [',open', 'access,', 'open,modify,,access,close', ',', ',,', ',close', 'close,']) {
    assert.equal(parseEventList(empty), 0, empty);
  }
  assert.throws(() => parseEventList('mod'), (e) => e instanceof UnknownEventError &&
    e.message === "'mod' is not a valid event!  Run with the '--help' option to see a list of events.");
});
