// What a process under test is doing, read from /proc (shared by the CLI test suites).
import fs from 'node:fs';

/** Number of inotify watches process `pid` holds (from /proc/PID/fdinfo); 0 if it has none (yet). */
export function inotifyWatchCount(pid) {
  let count = 0;
  let fds;
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 0;
  }
  for (const fd of fds) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:inotify') continue;
      count += (fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1').match(/^inotify wd:/gm) ?? []).length;
    } catch {
      // the fd was closed meanwhile
    }
  }
  return count;
}
