// Mask names and -e parsing: pure functions, checked against the inotify-tools transcripts in the
// behaviour reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseEventList, renderMask, UnknownEventError, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE, IN_ISDIR, IN_CREATE,
  IN_ACCESS, IN_MODIFY, IN_OPEN, IN_MOVE, IN_CLOSE, IN_ALL_EVENTS, InotifyKitError, EVENT_NAMES, EVENT_BITS,
  EVENT_GROUPS, eventNameToMask, eventNames, maskOfNames,
} from '@inotifykit/event-core';
import { unknownEventLine } from '@inotifykit/cli-kit';

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
  assert.throws(() => parseEventList('create,mod'), (e) => e instanceof UnknownEventError && e.value === 'create,mod' &&
    e instanceof InotifyKitError && e.exitCode === 1 && /create,mod/.test(e.message));
  // inotify-tools' wording is the CLIs' (cli-kit), not the engine's.
  assert.equal(unknownEventLine('create,mod'),
    "'create,mod' is not a valid event!  Run with the '--help' option to see a list of events.");
});

test('one table: every -e name parses to its bit, every single event renders as its own name, groups expand', () => {
  for (const name of EVENT_NAMES) assert.equal(eventNameToMask(name.toUpperCase()), eventNameToMask(name), name);
  const singles = EVENT_BITS.map(([name]) => name);
  assert.deepEqual(singles, [
    'access', 'modify', 'attrib', 'close_write', 'close_nowrite', 'open', 'moved_from', 'moved_to', 'create',
    'delete', 'delete_self', 'move_self', 'unmount', 'q_overflow', 'ignored',
  ]);
  for (const [name, bit] of EVENT_BITS) {
    assert.deepEqual(eventNames(bit), [name]);
    assert.equal(renderMask(bit).split(',')[0], name.toUpperCase());
  }
  for (const [group, bit] of Object.entries(EVENT_GROUPS)) assert.equal(parseEventList(group), bit, group);
  assert.deepEqual(eventNames(IN_CLOSE | IN_ISDIR), ['close_write', 'close_nowrite']);
  assert.equal(maskOfNames(['close', 'create']), IN_CLOSE | IN_CREATE);
  assert.throws(() => maskOfNames(['isdir']), TypeError); // a flag, not an event the library reports
});
