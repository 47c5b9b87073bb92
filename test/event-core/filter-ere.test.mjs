// The ERE dialect: what glibc's regcomp accepts, rejects and matches (C locale, REG_EXTENDED|REG_NOSUB,
// REG_ICASE for the i forms), against our linear-time engine. The table (fixtures/ere-glibc.json) was made
// with glibc itself; inotifywait 3.22.6, which calls it, is the oracle for a run of the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EreSyntaxError, EreUnsupportedError, PatternError, compileEre, compileFilterRegex } from '@inotifykit/event-core';
import { byteArgvScript, startTool, tempDir, toolPair, waitFor } from '../lib/cli.mjs';
import { inotifyWatchCount } from '../lib/proc.mjs';

const table = JSON.parse(fs.readFileSync(new URL('./fixtures/ere-glibc.json', import.meta.url), 'utf8'));
const { upstream, needUpstream } = toolPair('inotifywait');
/** Back-references are valid ERE, but no linear-time engine can match them: we refuse them (docs). */
const backref = (p) => /\\[1-9]/.test(p.replace(/\[[^\]]*\]/g, ''));

test('accepted as glibc accepts, rejected as it rejects', () => {
  for (const p of table.accepted) {
    if (backref(p)) assert.throws(() => compileEre(p), EreUnsupportedError, p);
    else assert.doesNotThrow(() => compileEre(p), `glibc accepts ${JSON.stringify(p)}`);
  }
  for (const p of table.rejected) assert.throws(() => compileEre(p), EreSyntaxError, `glibc rejects ${JSON.stringify(p)}`);
});

test('matches as glibc matches, with and without REG_ICASE', () => {
  for (const [p, icase, expected] of table.matches) {
    if (backref(p)) continue;
    const re = compileEre(p, { ignoreCase: icase });
    const got = table.subjects.filter((s) => re.test(s));
    assert.deepEqual(got, expected, `${JSON.stringify(p)}${icase ? ' (icase)' : ''}`);
  }
});

test('back-references: one line saying why, through the CLI error', () => {
  assert.throws(() => compileFilterRegex('(a)\\1', false, 'exclude'), (e) =>
    e instanceof PatternError && /^Error in `exclude' regular expression: back-references .* linear time\.$/.test(e.message));
  assert.throws(() => compileFilterRegex('\\1', false, 'exclude'), (e) => e.message === "Error in `exclude' regular expression.");
});

test('ReDoS patterns stay linear: each well under 100 ms', () => {
  const cases = [
    ['(a+)+b', 'a'.repeat(30)], ['(a+)+b', 'a'.repeat(5000)], ['(a|aa)+$', `${'a'.repeat(40)}!`], ['(a*)*b', 'a'.repeat(4000)],
    ['(.*a){12}', 'a'.repeat(200)], ['^(([a-z])+.)+[A-Z]([a-z])+$', 'a'.repeat(60)],
  ];
  for (const [p, s] of cases) {
    const re = compileEre(p);
    const t0 = performance.now();
    re.test(s);
    const ms = performance.now() - t0;
    assert.ok(ms < 100, `${p} on ${s.length} bytes took ${ms.toFixed(1)} ms`);
  }
});

test('counts above 1000 (glibc allows 32767) are written out, not refused', () => {
  assert.equal(compileEre('^a{1001}$').test('a'.repeat(1001)), true);
  assert.equal(compileEre('^a{1001}$').test('a'.repeat(1000)), false);
  assert.equal(compileEre('^(ab){2,1200}$').test('ab'.repeat(1100)), true);
});

/** inotifywait with these byte-string arguments; resolves with its stderr and exit status. */
async function upstreamRun(t, dir, args) {
  const run = startTool('/bin/bash', [byteArgvScript(dir, upstream, args, 'inotifywait')], { cwd: dir, stderrEncoding: 'latin1' });
  return { run, result: run.result() };
}

test('inotifywait agrees on what is a valid pattern (and so do our CLIs)', { skip: needUpstream }, async (t) => {
  const dir = tempDir(t, 'ik-ere-');
  const patterns = [...table.accepted, ...table.rejected, '\xff[\x80-\xfe]', '[[:alpha:]\xe9-\xf0]'];
  for (const p of patterns) {
    const { result } = await upstreamRun(t, dir, ['--exclude', p, path.join(dir, 'missing')]);
    const upstreamRejects = (await result).stderr.includes("Error in `exclude' regular expression.");
    let oursRejects = false;
    try {
      compileFilterRegex(p, false, 'exclude');
    } catch (err) {
      oursRejects = !(err.message.includes('back-references'));
      if (!oursRejects) continue; // refused on purpose (documented)
    }
    assert.equal(oursRejects, upstreamRejects, `${JSON.stringify(p)}: inotifywait ${upstreamRejects ? 'rejects' : 'accepts'} it`);
  }
});

test('inotifywait agrees on what a pattern matches in %w%f, byte for byte', { skip: needUpstream }, async (t) => {
  const base = tempDir(t, 'ik-ere-');
  // Every accepted pattern (and its REG_ICASE form) as inotifywait -m --exclude, against names holding the
  // cases that differ between engines; -t 2 ends each run once its names are all through.
  const names = ['a', 'aB', '\xe9', 'x{1}', '-', 'D', '\xa0', 'a b', '(a)', '_'];
  const patterns = table.accepted.filter((p) => !backref(p) && !/\{3\d{4}\}/.test(p));
  const cases = patterns.flatMap((p, k) => [false, true].map((icase) => ({ p, icase, dir: path.join(base, `${k}${icase ? 'i' : ''}`) })));
  const runOnce = async ({ p, icase, dir }) => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'd'), { recursive: true });
    const args = ['-m', '-q', '-t', '2', '-e', 'create', '--format', '%f', icase ? '--excludei' : '--exclude', p, 'd'];
    const run = startTool('/bin/bash', [byteArgvScript(dir, upstream, args, 'inotifywait')], { cwd: dir });
    await waitFor(() => inotifyWatchCount(run.pid) >= 1 || run.exited(), 'inotifywait watching', 20000);
    if (run.exited()) return undefined; // timed out before we got to create anything: try again
    for (const name of names) fs.writeFileSync(Buffer.from(path.join(dir, 'd', name), 'latin1'), '');
    const res = await run.result();
    return res.stdout.toString('latin1').split('\n').filter(Boolean);
  };
  const pending = [...cases];
  await Promise.all(Array.from({ length: 12 }, async () => {
    for (let c = pending.shift(); c; c = pending.shift()) {
      let printed;
      for (let attempt = 0; attempt < 3 && printed === undefined; attempt++) printed = await runOnce(c);
      assert.ok(printed, `inotifywait ran for ${c.p}`);
      const re = compileFilterRegex(c.p, c.icase, 'exclude');
      const kept = names.filter((n) => !re.test(`d/${n}`));
      assert.deepEqual(printed, kept, `${JSON.stringify(c.p)}${c.icase ? ' (icase)' : ''}: names inotifywait kept`);
    }
  }));
});
