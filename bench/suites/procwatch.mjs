// Issue #15: every short-lived process seen, with its exit code. N runs of a copy of /bin/true named
// zz_true, one after the other from one shell, watched in turn (interleaved) by:
//   procwatch -m -x zz_true        the name pattern: the name must be read from /proc before the run is reaped
//   procwatch -m -P <loop pid>     a selection the kernel's records alone decide
//   a pgrep poll loop              what scripts do without an event source
//   forkstat -l -e exec,exit       Debian's proc connector tool, at its default priority
// For each: the distinct runs it named (of N), the EXITs it gave with the right code (0), and its CPU
// (with its children's, for the pgrep loop) from ready to the last line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePackage, which } from '../lib/apt.mjs';
import { onCleanup } from '../lib/cleanup.mjs';
import { fieldRow, interleave } from '../lib/interleave.mjs';
import { log } from '../lib/log.mjs';
import { clockTicksPerSecond } from '../lib/proc-stats.mjs';
import { repoRoot } from '../lib/tools.mjs';

export const id = 'procwatch';
export const title = 'procwatch: short-lived processes (issue #15)';

const NAME = 'zz_true';
const FORMAT = '%e %p %x';
const READY = 'Watches established.';

/** utime + stime + cutime + cstime of a process, ms (its reaped children count: pgrep, sleep). */
function cpuWithChildren(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / clockTicksPerSecond();
  } catch {
    return NaN;
  }
}

/** A child process whose lines are collected; `ready` resolves at the first line `isReady` accepts. */
function startCollector(command, args, isReady) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const undo = onCleanup(() => child.kill('SIGKILL'));
  const lines = { out: [], err: [] };
  let lastLineAt = process.hrtime.bigint();
  let readyResolve;
  const ready = new Promise((resolve, reject) => {
    readyResolve = resolve;
    child.once('exit', (code, signal) => reject(new Error(`exited (${signal ?? code}) before it was ready: ${lines.err.slice(0, 2).join(' / ') || '(no stderr)'}`)));
    child.once('error', reject);
  });
  ready.catch(() => {});
  for (const [stream, list] of [[child.stdout, lines.out], [child.stderr, lines.err]]) {
    let partial = '';
    stream.setEncoding('latin1');
    stream.on('data', (chunk) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop();
      for (const l of parts) {
        list.push(l);
        if (isReady(l, list === lines.err)) readyResolve();
      }
      lastLineAt = process.hrtime.bigint();
    });
  }
  const exited = new Promise((resolve) => child.once('exit', () => resolve()));
  exited.then(undo);
  return {
    child,
    lines,
    ready,
    quietMs: () => Number(process.hrtime.bigint() - lastLineAt) / 1e6,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The shell that runs the N runs once it reads a line; it prints each run's PID (the truth). */
function startLoop(prog, runs) {
  const sh = spawn('/bin/sh', ['-c', `read go; i=0; while [ $i -lt ${runs} ]; do "$0" & echo $!; wait $!; i=$((i + 1)); done`, prog], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const undo = onCleanup(() => sh.kill('SIGKILL'));
  let text = '';
  sh.stdout.setEncoding('latin1');
  sh.stdout.on('data', (c) => (text += c));
  const exited = new Promise((resolve) => sh.once('exit', () => resolve()));
  exited.then(undo);
  return {
    pid: sh.pid,
    go: () => sh.stdin.end('go\n'),
    done: exited.then(() => new Set(text.split('\n').filter(Boolean))),
    kill: () => sh.kill('SIGKILL'),
  };
}

/** What a contestant's lines say about the runs: the PIDs it named, and those with an EXIT of code 0. */
const PARSERS = {
  // START <pid> / EXIT <pid> <code>
  procwatch(lines) {
    const seen = new Set();
    const exits = new Map();
    for (const l of lines) {
      const [kind, pid, code] = l.split(' ');
      if (kind === 'START') seen.add(pid);
      else if (kind === 'EXIT') exits.set(pid, code);
    }
    return { seen, exitOk: (pid) => exits.get(pid) === '0' };
  },
  pgrep(lines) {
    return { seen: new Set(lines.filter((l) => /^\d+$/.test(l))), exitOk: null };
  },
  // "HH:MM:SS exec  PID                 ./zz_true" / "HH:MM:SS exit  PID  STATUS  DURATION ./zz_true"
  // (<unknown> when it could not read the name in time); STATUS is the raw wait status.
  forkstat(lines) {
    const seen = new Set();
    const exits = new Map();
    for (const l of lines) {
      let m = /^\S+ exec\s+(\d+)\s+(.*)$/.exec(l);
      if (m && m[2].includes(NAME)) seen.add(m[1]);
      m = /^\S+ exit\s+(\d+)\s+(-?\d+)\s+\S+\s+(.*)$/.exec(l);
      if (m && m[3].includes(NAME)) exits.set(m[1], m[2]);
    }
    return { seen, exitOk: (pid) => exits.get(pid) === '0' };
  },
};

function contestantList(bin, forkstatNote) {
  const forkstat = which('forkstat');
  const pgrep = which('pgrep');
  return [
    { side: 'ours', label: `procwatch -m -x ${NAME} (inotifykit)`, short: 'procwatch -x', command: bin, available: true, reason: '', parse: 'procwatch', args: () => ['-m', '-x', NAME, '--format', FORMAT], ready: (l, err) => err && l === READY },
    { side: 'oursP', label: 'procwatch -m -P <loop pid> (inotifykit)', short: 'procwatch -P', command: bin, available: true, reason: '', parse: 'procwatch', args: (loopPid) => ['-m', '-P', String(loopPid), '--format', FORMAT], ready: (l, err) => err && l === READY },
    {
      side: 'pgrep',
      label: `while :; do pgrep -x ${NAME}; sleep 0.01; done`,
      short: 'pgrep loop',
      command: pgrep ? '/bin/sh' : null,
      available: Boolean(pgrep),
      reason: pgrep ? '' : 'pgrep is not installed',
      parse: 'pgrep',
      args: () => ['-c', `echo ready >&2; while :; do pgrep -x ${NAME}; sleep 0.01; done`],
      ready: (l, err) => err && l === 'ready',
    },
    {
      side: 'forkstat',
      label: 'forkstat -l -e exec,exit',
      short: 'forkstat',
      command: forkstat,
      available: Boolean(forkstat),
      reason: forkstat ? '' : `forkstat: ${forkstatNote}`,
      parse: 'forkstat',
      args: () => ['-l', '-e', 'exec,exit'],
      // Its heading comes once it listens.
      ready: (l, err) => !err && /^Time\s+Event/.test(l),
    },
  ];
}

async function measure(c, prog, runs) {
  const loop = startLoop(prog, runs);
  const w = startCollector(c.command, c.args(loop.pid), c.ready);
  try {
    await Promise.race([w.ready, new Promise((_, reject) => setTimeout(() => reject(new Error('not ready within 30 s')), 30000))]);
    const cpu0 = cpuWithChildren(w.child.pid);
    loop.go();
    const truth = await loop.done;
    if (truth.size !== runs) throw new Error(`the loop printed ${truth.size} PIDs of ${runs}`);
    // Until every run is accounted for, or the output has been quiet for 1 s (30 s at most).
    const deadline = Date.now() + 30000;
    const parse = PARSERS[c.parse];
    for (;;) {
      const r = parse(w.lines.out);
      const complete = [...truth].every((pid) => r.seen.has(pid) && (!r.exitOk || r.exitOk(pid)));
      if (complete || w.quietMs() > 1000 || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const cpuMs = cpuWithChildren(w.child.pid) - cpu0;
    const r = parse(w.lines.out);
    const seen = [...truth].filter((pid) => r.seen.has(pid)).length;
    const exits = r.exitOk ? [...truth].filter((pid) => r.exitOk(pid)).length : NaN;
    // What procwatch said it could not identify (any program's execs, the runs' among them): its last count.
    const said = c.parse === 'procwatch' ? w.lines.err.map((l) => /^procwatch: unidentified execs: (\d+) /.exec(l)).filter(Boolean).map((m) => Number(m[1])) : [];
    const unidentified = c.parse === 'procwatch' ? (said.at(-1) ?? 0) : NaN;
    if (seen < runs && c.parse === 'procwatch') log(`procwatch: ${c.short} named ${seen} of ${runs}; it reported ${unidentified} unidentified exec(s)`);
    return { seen, exits, unidentified, cpuMs, cpuPerRunUs: (cpuMs * 1000) / runs };
  } finally {
    loop.kill();
    await w.stop();
  }
}

/** A field row where a contestant that cannot tell (pgrep: no exit codes) gets a reason, not a figure. */
function rowWithout(o, sides, why) {
  const r = fieldRow(o);
  for (const s of sides) {
    r.cells[s] = null;
    r.absent[s] = why;
  }
  return r;
}

export async function run(ctx) {
  const { quick, reps } = ctx;
  // Shorter in the smoke run (CI): the loop costs a few ms per run on a busy machine, for each contestant.
  const runs = quick ? 100 : 500;
  const commands = [
    `cp /bin/true $TMP/${NAME}; sh -c 'read go; i=0; while [ $i -lt ${runs} ]; do "$0" & echo $!; wait $!; i=$((i + 1)); done' $TMP/${NAME}     # the runs; the PIDs it prints are the truth`,
    `procwatch -m -x ${NAME} --format '${FORMAT}'`,
    `procwatch -m -P $LOOP_PID --format '${FORMAT}'`,
    `sh -c 'while :; do pgrep -x ${NAME}; sleep 0.01; done'`,
    `forkstat -l -e exec,exit`,
  ];
  if (process.getuid?.() !== 0) {
    log('procwatch: skipped (not root)');
    return { rows: [], notes: ['Skipped: not root. The proc connector needs CAP_NET_ADMIN before Linux 6.6, and forkstat needs root.'], commands };
  }
  const forkstatNote = ensurePackage('forkstat', ['forkstat']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-bench-proc-'));
  const undo = onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  const prog = path.join(dir, NAME);
  fs.copyFileSync(fs.realpathSync(which('true') ?? '/bin/true'), prog);
  fs.chmodSync(prog, 0o755);
  const list = contestantList(path.join(repoRoot, 'bin', 'procwatch'), forkstatNote);
  log(`procwatch: ${runs} runs of ${NAME} per contestant, ${reps.peers} rep(s)`);
  let results;
  try {
    results = await interleave({ tools: list, reps: reps.peers, what: 'procwatch', run: (c) => measure(c, prog, runs) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    undo();
  }
  const all = {
    text: `${runs} of ${runs} in every run`,
    // Both procwatch columns; the lowest run counts.
    check: (cells) => ({ met: cells.ours.min === runs && (!cells.oursP || cells.oursP.min === runs), by: `${runs - Math.min(cells.ours.min, cells.oursP?.min ?? runs)} runs` }),
  };
  // Nothing lost silently: each run not named is among the unidentified execs procwatch reported.
  const silent = {
    text: '0 in every run',
    check: (cells) => ({ met: cells.ours.max === 0 && (!cells.oursP || cells.oursP.max === 0), by: `${Math.max(cells.ours.max, cells.oursP?.max ?? 0)} runs` }),
  };
  const belowPgrep = {
    text: '< the pgrep loop',
    check: (cells) => (cells.pgrep ? { met: cells.ours.median < cells.pgrep.median, by: `${((cells.ours.median / cells.pgrep.median - 1) * 100).toFixed(0)} %` } : null),
  };
  const rows = [
    fieldRow({ label: `runs named, of ${runs}`, unit: '', results, pick: (s) => s.seen, target: all }),
    rowWithout({ label: `↳ their EXIT with exit code 0, of ${runs}`, unit: '', results, pick: (s) => s.exits, target: all }, ['pgrep'], 'pgrep sees no exits'),
    // A run not named must have been said: procwatch's stderr count of unidentified execs (any program's).
    rowWithout({ label: '↳ unidentified execs procwatch reported (any program on the machine)', unit: '', results, pick: (s) => s.unidentified }, ['pgrep', 'forkstat'], 'procwatch only'),
    rowWithout(
      { label: '↳ runs lost silently (not named, beyond that count)', unit: '', results, pick: (s) => Math.max(0, runs - s.seen - s.unidentified), target: silent },
      ['pgrep', 'forkstat'],
      'procwatch only',
    ),
    fieldRow({ label: `CPU over the ${runs} runs (a shell loop's: with its children)`, unit: 'ms', results, pick: (s) => s.cpuMs, target: belowPgrep }),
    fieldRow({ label: '↳ per run', unit: 'µs', results, pick: (s) => s.cpuPerRunUs }),
  ];
  return {
    rows: [],
    notes: [
      `procwatch's reader thread runs under SCHED_FIFO (priority 1) as root, so it reads /proc before a run is reaped; forkstat ran at its default priority (its -r puts the whole process under SCHED_FIFO at the maximum priority).`,
      `"Named": a START (procwatch), the PID printed (pgrep), an exec line naming ${NAME} (forkstat prints \`<unknown>\` for a process gone before it read /proc). CPU is utime+stime (+cutime+cstime) from /proc/<pid>/stat in clock ticks, from ready to the last line.`,
    ],
    commands,
    field: { jobs: [], rows, list },
  };
}
