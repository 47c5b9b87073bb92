/**
 * `--table`: the matches as a cli-table3 table, one row per process, from /proc/[pid]/stat and status.
 * Columns: PID, PPID, USER, S (state), THR (threads), RSS (VmRSS), TIME (user + system CPU), START, COMMAND.
 * A table is for people: names are shown as UTF-8 text here (the PID lists stay byte-exact).
 */
import Table from 'cli-table3';
import { toText } from '../bytes.js';
import { bootTimeSeconds, CLOCK_TICKS, type ProcessInfo } from '../proc/proc-table.js';
import { userName } from '../users.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** CPU time as ps shows it: [DD-]HH:MM:SS. */
export function formatCpuTime(ticks: number): string {
  let s = Math.floor(ticks / CLOCK_TICKS);
  const days = Math.floor(s / 86400);
  s %= 86400;
  const hms = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  return days > 0 ? `${days}-${hms}` : hms;
}

/** Resident memory with a binary unit: 812K, 12.4M, 1.1G. */
export function formatRss(kib: number | undefined): string {
  if (kib === undefined) return '-';
  if (kib < 1024) return `${kib}K`;
  if (kib < 1024 * 1024) return `${(kib / 1024).toFixed(1)}M`;
  return `${(kib / 1024 / 1024).toFixed(1)}G`;
}

/** Local wall-clock start time, YYYY-MM-DD HH:MM:SS. */
export function formatStart(bootSeconds: number, startTicks: number): string {
  const d = new Date((bootSeconds + startTicks / CLOCK_TICKS) * 1000);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export function renderTable(found: readonly ProcessInfo[]): string {
  const boot = bootTimeSeconds();
  const table = new Table({
    head: ['PID', 'PPID', 'USER', 'S', 'THR', 'RSS', 'TIME', 'START', 'COMMAND'],
    colAligns: ['right', 'right', 'left', 'left', 'right', 'right', 'right', 'left', 'left'],
    // No colours: the output is often piped, and cli-table3 colours the head by default.
    style: { head: [], border: [], compact: true },
  });
  for (const p of found) {
    table.push([
      p.pid,
      p.stat.ppid,
      p.status ? userName(p.status.euid) : '?',
      p.stat.state,
      p.status?.threads ?? p.stat.numThreads,
      formatRss(p.status?.vmRssKiB),
      formatCpuTime(p.stat.utime + p.stat.stime),
      formatStart(boot, p.stat.startTicks),
      toText(p.commandLine ?? p.stat.comm),
    ]);
  }
  return table.toString() + '\n';
}
