/**
 * `--table`: the matches as a cli-table3 table, one row per process, from /proc/[pid]/stat and status.
 * Columns: PID, PPID, USER, S (state), THR (threads), RSS (VmRSS), TIME (user + system CPU), START, COMMAND.
 * A table is for people: names are shown as UTF-8 text here (the PID lists stay byte-exact).
 */
import Table from 'cli-table3';
import { tableChars } from '@inotifykit/cli-kit';
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

/** Table width when stdout is not a terminal and COLUMNS is unset: wide enough for most command lines. */
const DEFAULT_WIDTH = 160;
/** The COMMAND column never gets narrower than this, however narrow the terminal. */
const MIN_COMMAND_WIDTH = 24;

/** The width to fit: the terminal's, else $COLUMNS (as ps reads it), else DEFAULT_WIDTH. */
export function outputWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : DEFAULT_WIDTH;
}

/** Cell width of a column: its longest text plus cli-table3's one space of padding each side. */
const columnWidth = (cells: readonly string[]): number => Math.max(...cells.map((c) => c.length)) + 2;

/** Greedy word wrap to `width` characters a line; a word longer than a line is split, never cut short. */
export function wrapLines(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = '';
      }
      for (; word.length > width; word = word.slice(width)) lines.push(word.slice(0, width));
      line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * The table fits `width`: every column but COMMAND is as wide as its widest cell, and a long command
 * line wraps inside its cell (at spaces; a longer word is split, not cut) instead of widening every row to
 * its length (one 4 kB command line made a 1 MB table).
 */
export function renderTable(found: readonly ProcessInfo[], width = outputWidth()): string {
  const boot = bootTimeSeconds();
  const head = ['PID', 'PPID', 'USER', 'S', 'THR', 'RSS', 'TIME', 'START', 'COMMAND'];
  const rows = found.map((p) => [
    String(p.pid),
    String(p.stat.ppid),
    p.status ? userName(p.status.euid) : '?',
    p.stat.state,
    String(p.status?.threads ?? p.stat.numThreads),
    formatRss(p.status?.vmRssKiB),
    formatCpuTime(p.stat.utime + p.stat.stime),
    formatStart(boot, p.stat.startTicks),
    toText(p.commandLine ?? p.stat.comm),
  ]);
  const widths = head.map((h, i) => columnWidth([h, ...rows.map((r) => r[i])]));
  const borders = head.length + 1;
  const fixed = widths.slice(0, -1).reduce((a, b) => a + b, 0) + borders;
  const command = widths.length - 1;
  const blank = head.slice(0, command).map(() => '');
  widths[command] = Math.min(widths[command], Math.max(MIN_COMMAND_WIDTH, width - fixed));
  // Wrapped lines become rows of their own: cli-table3 slows down steeply with the lines in one cell
  // (40 lines took 1.7 s), and continuation rows with empty cells look the same.
  const lines = rows.flatMap((r) =>
    wrapLines(r[command], widths[command] - 2).map((text, i) => (i === 0 ? [...r.slice(0, command), text] : [...blank, text])),
  );
  const table = new Table({
    head,
    colAligns: ['right', 'right', 'left', 'left', 'right', 'right', 'right', 'left', 'left'],
    colWidths: widths,
    // No colours: the output is often piped, and cli-table3 colours the head by default.
    style: { head: [], border: [], compact: true },
    ...(tableChars() && { chars: tableChars() }),
  });
  table.push(...lines);
  return table.toString() + '\n';
}
