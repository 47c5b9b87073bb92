// inotify-tools' POSIX ERE (on %w%f) as the engine compiles it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternError, compileFilterRegex } from '@inotifykit/event-core';

/** An include/exclude pattern as the CLIs apply it: true when the path is kept. */
const filter = (kind, pattern, ignoreCase) => {
  const re = compileFilterRegex(pattern, ignoreCase, kind);
  return (path) => re.test(path) === (kind === 'include');
};
const filterOf = ({ kind, pattern, ignoreCase }) => filter(kind, pattern, ignoreCase);

test('POSIX ERE filters on %w%f: unanchored, classes, case folding, bad patterns', () => {
  const ex = filter('exclude', '\\.tmp$', false);
  assert.equal(ex('d/a.tmp'), false);
  assert.equal(ex('d/c.TMP'), true);
  const exi = filterOf({ kind: 'exclude', pattern: '\\.tmp$', ignoreCase: true });
  assert.equal(exi('d/c.TMP'), false);
  const inc = filterOf({ kind: 'include', pattern: '.*\\.(txt|log)$', ignoreCase: false });
  assert.equal(inc('root/A/info.log'), true);
  assert.equal(inc('root/A/x.dat'), false);
  const cls = filterOf({ kind: 'include', pattern: '^d/[[:digit:]]+[\\.]x$', ignoreCase: false });
  assert.equal(cls('d/42.x'), true);
  assert.equal(cls('d/42\\x'), true, 'a backslash inside brackets is literal in POSIX');
  assert.equal(cls('d/a.x'), false);
  assert.equal(filterOf({ kind: 'exclude', pattern: '^d/', ignoreCase: false })('d/x'), false);
  assert.throws(() => filterOf({ kind: 'exclude', pattern: '(', ignoreCase: false }),
    (e) => e instanceof PatternError && e.message === "Error in `exclude' regular expression.");
  assert.throws(() => filterOf({ kind: 'include', pattern: '[', ignoreCase: false }),
    (e) => e instanceof PatternError && e.message === "Error in `include' regular expression.");
});
