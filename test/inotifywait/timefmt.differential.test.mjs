// %T against inotifywait 3.22.6: every strftime conversion with every flag and width, in named time zones
// and POSIX TZ rule strings, and --format/--timefmt with every byte value 1-255. Both tools print the time
// of printing, so a pair that straddles a second boundary is run again (a real difference repeats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { formatLocalTime } from '@inotifykit/sys';
import { byteArgvScript, startTool, tempDir, waitFor } from '../lib/cli.mjs';
import { inotifyWatchCount } from '../lib/proc.mjs';
import { OURS, UPSTREAM, needUpstream } from './helpers.mjs';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', '<+0330>-3:30', 'CET-1CEST,M3.5.0,M10.5.0/3'];
const missingZone = ZONES.filter((z) => !z.includes(',') && !z.startsWith('<')).find((z) => !fs.existsSync(`/usr/share/zoneinfo/${z}`));
const skip = needUpstream || (missingZone && `needs /usr/share/zoneinfo/${missingZone} (apt install tzdata)`);

const LETTERS = [...'aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ+'];
const CONVERSIONS = [
  ...LETTERS, '%', ':z', '::z',
  ...[...'cCxXyY'].map((c) => `E${c}`), ...[...'deHImMSuUVwWy'].map((c) => `O${c}`),
];
const SPECS = CONVERSIONS.flatMap((c) => ['', '^', '#', '_', '-', '0', '^#'].flatMap((f) => ['', '1', '12'].map((w) => `%${f}${w}${c}`)));

/** The specs in groups whose output stays well below inotify-tools' 4095-byte %T buffer. */
function chunks() {
  const out = [];
  let current = [];
  let length = 0;
  for (const spec of SPECS) {
    const n = formatLocalTime(Buffer.from(`${spec}|\0`, 'latin1'), 0).length + 1;
    if (length + n > 3000) {
      out.push(current.join('|'));
      current = [];
      length = 0;
    }
    current.push(spec);
    length += n;
  }
  out.push(current.join('|'));
  return out;
}

/** One event through each tool with these (byte string) arguments; the two stdouts. */
async function pair(t, args, env) {
  const dir = tempDir(t, 'ik-timefmt-');
  const outputs = [];
  for (const bin of [OURS, UPSTREAM]) {
    const d = path.join(dir, path.basename(path.dirname(bin)) + outputs.length);
    fs.mkdirSync(path.join(d, 'd'), { recursive: true });
    const run = startTool('/bin/bash', [byteArgvScript(d, bin, ['-q', '-e', 'create', ...args, 'd'], 'inotifywait')], { cwd: d, env });
    outputs.push({ run, d });
  }
  for (const { run } of outputs) await waitFor(() => inotifyWatchCount(run.pid) >= 1, 'watching', 30000);
  for (const { d } of outputs) fs.writeFileSync(path.join(d, 'd', 'x'), '');
  return Promise.all(outputs.map(async ({ run }) => {
    const res = await run.result(20000);
    assert.equal(res.stderr, '', 'no message');
    assert.equal(res.code, 0);
    return res.stdout.toString('latin1');
  }));
}

async function same(t, args, env) {
  let ours, upstream;
  for (let attempt = 0; attempt < 3; attempt++) {
    [ours, upstream] = await pair(t, args, env);
    if (ours === upstream) break;
  }
  assert.equal(ours, upstream, `inotifywait ${args.join(' ')} (TZ=${env.TZ})`);
}

for (const zone of ZONES) {
  test(`%T: every conversion, flag and width, TZ=${zone}`, { skip }, async (t) => {
    for (const timefmt of chunks()) await same(t, ['--format', '%T', '--timefmt', timefmt], { ...process.env, TZ: zone });
  });
}

test('%T: stray %, empty results, long ones', { skip }, async (t) => {
  const env = { ...process.env, TZ: 'Europe/Berlin' };
  for (const timefmt of ['%', 'a%', '%5', '%-', '%E', '%O', '% Y', '%10', '%p%P', 'x'.repeat(4000), '%4000Y']) {
    await same(t, ['--format', '[%T]', '--timefmt', timefmt], env);
  }
});

test('%T empty or longer than inotify-tools\' 4095-byte buffer: empty (inotifywait prints no line at all)', { skip }, async (t) => {
  const env = { ...process.env, TZ: 'UTC' };
  for (const timefmt of ['', 'x'.repeat(4095), '%4095Y']) {
    const [ours, upstream] = await pair(t, ['--format', '[%T]', '--timefmt', timefmt], env);
    assert.equal(ours, '[]\n');
    assert.equal(upstream, '', 'inotify-tools drops the event (docs/compatibility.md)');
  }
});

test('--format and --timefmt with every byte 1-255', { skip }, async (t) => {
  const bytes = Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).join('');
  const env = { ...process.env, TZ: 'Asia/Kolkata' };
  // '%' stays a directive; each byte is also tried right after one, as a conversion character.
  await same(t, ['--format', `${bytes.replace(/%/g, '%%')}|%w%f|%T`, '--timefmt', bytes.replace(/%/g, '%%')], env);
  await same(t, ['--format', '%T', '--timefmt', [...bytes].map((c) => `%${c}`).join('|')], env);
  await same(t, ['--format', [...bytes].filter((c) => !'wfecT'.includes(c)).map((c) => `%${c}`).join('|')], env);
});
