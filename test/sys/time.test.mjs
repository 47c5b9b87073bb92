// formatLocalTime: glibc's strftime on localtime_r, in the process's TZ (named zones and POSIX TZ rules).
// Each zone runs in a child process: TZ is read once per process, as by the C library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const script = `
import { formatLocalTime } from '@inotifykit/sys';
const f = (fmt, s) => formatLocalTime(Buffer.from(fmt + '\\0', 'latin1'), s);
process.stdout.write(JSON.stringify(JSON.parse(process.argv[1]).map(([fmt, s]) => f(fmt, s))));
`;
function inZone(tz, cases) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
    env: { ...process.env, TZ: tz },
    cwd: new URL('../..', import.meta.url),
  });
  return JSON.parse(out.toString());
}

const JULY = 1782907200; // 2026-07-01 12:00:00 UTC
const JAN = 1767268800; // 2026-01-01 12:00:00 UTC

test('C-library conversions and flags (UTC)', () => {
  const got = inZone('UTC', [['%c', 0], ['%x %X', 0], ['%G-W%V-%u', 0], ['%^a %#b %_5d|%-d|%010Y', 0], ['%Ec|%Oy', 0], ['%L%o%v%:z', 0], ['%Z %z', 0], ['', 0]]);
  assert.deepEqual(got, ['Thu Jan  1 00:00:00 1970', '01/01/70 00:00:00', '1970-W01-4', 'THU JAN     1|1|0000001970', 'Thu Jan  1 00:00:00 1970|70', '%L%o%v%:z', 'UTC +0000', '']);
});

test('named zones and POSIX TZ rules, with daylight saving time', { skip: !fs.existsSync('/usr/share/zoneinfo/Europe/Berlin') && 'needs tzdata' }, () => {
  assert.deepEqual(inZone('Europe/Berlin', [['%H %Z %z', JAN], ['%H %Z %z', JULY]]), ['13 CET +0100', '14 CEST +0200']);
  assert.deepEqual(inZone('Asia/Kolkata', [['%H:%M %Z %z', JAN]]), ['17:30 IST +0530']);
  assert.deepEqual(inZone('America/New_York', [['%H %Z', JAN], ['%H %Z', JULY]]), ['07 EST', '08 EDT']);
  assert.deepEqual(inZone('<+0330>-3:30', [['%H:%M %Z %z', JAN]]), ['15:30 +0330 +0330']);
  assert.deepEqual(inZone('CET-1CEST,M3.5.0,M10.5.0/3', [['%H %Z', JAN], ['%H %Z', JULY]]), ['13 CET', '14 CEST']);
});

test('bytes in, bytes out; a result longer than 4094 bytes is empty, as for inotify-tools', () => {
  const [high, long, fits] = inZone('UTC', [['\xff%Y\xfe', 0], ['x'.repeat(4095), 0], ['x'.repeat(4094), 0]]);
  assert.equal(high, '\xff1970\xfe');
  assert.equal(long, '');
  assert.equal(fits.length, 4094);
});
