/**
 * The proc connector source: the kernel tells of every fork, exec, id change, rename and exit the moment
 * it happens (see @inotifykit/sys's ProcConnector), so no process is missed however short its life.
 * - START at exec: the new program's name, command line and user are read from /proc at once. When the
 *   process is already gone (reaped before procwatch got to it):
 *   - with taskstats (root; see @inotifykit/sys's TaskstatsListener), the exec is held until the
 *     kernel's exit statistics of that PID come (before its exit record: the kernel sends them first). They
 *     name it (comm; the real uid and gid; the command line is not in them, so a pattern on the full
 *     command line, -f, is matched against the name), it is matched, and a match gives START (at its
 *     exec's time) then EXIT. A hold whose statistics do not come (lost: dropped on a full socket, or
 *     not allocated) ends HOLD_GRACE_MS after its exit record, and the
 *     number held is bounded (MAX_HELD, the oldest given up first);
 *   - without, or for a hold given up, what the kernel said is all there is: the PID, the parent (from its
 *     fork record) and, at its exit, the status. Such a process can be matched only by a selection that
 *     needs nothing else (no pattern, no -u); `unidentified` counts the others, and `notice` is told (at
 *     once, then at most every MISSED_NOTICE_MS): nothing is lost silently.
 * - EXIT from the kernel's exit record, with the exit status always (the wait status the parent will get).
 * - FORK, UID, GID, COMM when asked for (`kinds`).
 * - Records lost (an overrun receive buffer, or a gap in the kernel's numbering) are an OVERFLOW event
 *   after the batch, then what is queued is read and /proc rescanned: processes tracked but gone get
 *   their EXIT (status unknown: their exit record was the lost one), matching ones not tracked their START.
 * Only processes count (thread-group leaders): the kernel's records for threads are passed over.
 */
import { asBytes } from '@inotifykit/event-core';
import type { ProcConnector, ProcConnectorBatch, ProcConnectorEvent, ProcConnectorRecord, ProcFiles, TaskstatsExit } from '@inotifykit/sys';
import { processFromTexts, readProcess, readProcessNow, type ProcessInfo, type ReadParts } from '../proc/proc-table.js';
import { hasEnded } from '../proc/stat.js';
import { search } from '../select/search.js';
import { fromWaitStatus, type ExitStatus } from './exit-status.js';
import { probe } from './exit-watcher.js';
import { bareSnapshot, NO_PROCESS, snapshot, type ProcEventKind, type ProcSnapshot } from './proc-event.js';
import type { EventSink, ProcessSource, SourceOptions } from './process-source.js';

export interface ConnectorSourceOptions extends SourceOptions {
  connector: ProcConnector;
  /** The kinds to report (OVERFLOW always is). */
  kinds: ReadonlySet<ProcEventKind>;
  /** A fatal read error (the socket failed): the source has stopped. */
  onError: (err: unknown) => void;
  /** Where the line about unidentified execs goes (undefined: not said; -q, or --stats says it itself). */
  notice?: ((message: string) => void) | undefined;
}

/** The shortest time between two lines about unidentified execs. */
const MISSED_NOTICE_MS = 10_000;
/**
 * How long a held exec waits for its taskstats after its exit record. The reader thread reads them
 * before the exit record, so this is for the order lost on the main thread's own reads (before start,
 * after an overflow).
 */
const HOLD_GRACE_MS = 200;
/** Execs held for their taskstats at most: beyond, the oldest are given up. */
const MAX_HELD = 4096;
/** Taskstats kept for an exec record that comes after them (from readNow() before the thread runs). */
const RECENT_STATS = 1024;

/** An exec gone before it could be read, waiting for its taskstats: when it exec'd, and its exit once seen. */
interface Held {
  readonly time: number;
  exit?: { status: ExitStatus | undefined; time: number; seenAt: number };
}

/** The stderr line about execs that could not be identified (the count since the start). */
export function unidentifiedNotice(total: number): string {
  return `procwatch: unidentified execs: ${total} (gone before /proc/PID could be read, so not matched and not reported)`;
}

/** Everything an event can show (a superset of what any selector needs). */
const EVENT_PARTS: ReadParts = { status: true, cmdline: true };

/** ms since the epoch minus CLOCK_MONOTONIC ms (the kernel's record clock, also process.hrtime's). */
function epochOffsetMs(): number {
  return Date.now() - Number(process.hrtime.bigint()) / 1e6;
}

export class ConnectorSource implements ProcessSource {
  readonly kind = 'connector' as const;
  readonly #o: ConnectorSourceOptions;
  readonly #emit: EventSink;
  /** Matching processes, reported or running at start-up: their EXIT is reported. */
  readonly #tracked = new Map<number, ProcSnapshot>();
  /** New processes' parents, from their fork records (for one gone before /proc could be read). */
  readonly #parents = new Map<number, number>();
  /**
   * The last exits seen: a child can run and exit on another CPU before its parent's fork record is
   * sent, so its exit record may come first. `reported`: its EXIT went out (it was tracked).
   */
  readonly #recentExits = new Map<number, { timestampNs: number; status: ExitStatus | undefined; time: number; reported: boolean }>();
  /** Execs gone before they could be read, held for their taskstats (oldest first); empty without taskstats. */
  readonly #held = new Map<number, Held>();
  /** Taskstats by PID whose process's exit record has not come yet (for an exec record that comes after). */
  readonly #recentStats = new Map<number, TaskstatsExit>();
  readonly #taskstats: boolean;
  #holdTimer: NodeJS.Timeout | undefined;
  #offsetMs = epochOffsetMs();
  #closed = false;
  /** Execs of processes gone before they could be read, which the selection could not decide on. */
  unidentified = 0;
  /** The count the last notice named, when it was said, and the timer of the next one. */
  #said = 0;
  #saidAt = -Infinity;
  #noticeTimer: NodeJS.Timeout | undefined;

  constructor(options: ConnectorSourceOptions, onEvent: EventSink) {
    this.#o = options;
    this.#emit = onEvent;
    this.#taskstats = options.connector.taskstats !== undefined;
  }

  /** Resolves once the reader thread receives: from then on a process's name is read at its exec. */
  async start(): Promise<void> {
    // The thread boots while /proc is scanned; its batches are handled once the (synchronous) scan is over.
    const reading = this.#o.connector.start(
      (batch) => this.#batch(batch),
      (err) => {
        if (!this.#closed) this.#o.onError(err);
      },
      { readProcOn: readKinds(this.#o.kinds) },
    );
    // Subscribed already (the connector is open): whatever starts during this scan also comes as a record.
    for (const info of this.#scan()) this.#track(snapshot(info), this.#o.reportExisting ? 'START' : undefined, Date.now());
    await reading;
  }

  running(): number[] {
    return [...this.#tracked.keys()];
  }

  flush(): void {
    if (this.#closed) return;
    const batch = this.#o.connector.readNow();
    if (batch.events.length > 0 || batch.overflow) this.#batch(batch);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#o.connector.close();
    // Held execs whose taskstats did not come: as without taskstats.
    clearTimeout(this.#holdTimer);
    for (const pid of [...this.#held.keys()]) this.#giveUp(pid);
    // A count not yet said is said now.
    clearTimeout(this.#noticeTimer);
    this.#sayUnidentified();
  }

  #scan(): ProcessInfo[] {
    return search(this.#o.selector, { pick: 'all', extra: EVENT_PARTS, exclude: this.#o.exclude }).filter((p) => !hasEnded(p.stat.state));
  }

  #batch(batch: ProcConnectorBatch): void {
    this.#offsetMs = epochOffsetMs();
    this.#records(batch.events);
    // After the records that came: the exits among them keep their status.
    if (batch.overflow && !this.#closed) this.#overflow(batch.overflowReason ?? 'records lost');
    this.#sweepHeld();
  }

  #records(records: readonly ProcConnectorRecord[]): void {
    for (const record of records) {
      if (this.#closed) return;
      // Threads: their own fork/exit/comm records are not processes'.
      // (A group's last thread's taskstats is its own; the leader's came when it ended.)
      if (record.pid !== record.tgid) continue;
      if (record.type === 'taskstats') this.#stats(record.stats);
      else this.#record(record);
    }
  }

  #record(r: ProcConnectorEvent): void {
    const time = this.#offsetMs + r.timestampNs / 1e6;
    const pid = r.pid;
    if (pid === process.pid || this.#o.exclude?.has(pid)) return;
    switch (r.type) {
      case 'fork':
        this.#forked(r.pid, r.parentTgid, r.timestampNs, time, r.proc);
        return;
      case 'exec':
        this.#look(pid, 'START', time, r.proc);
        return;
      case 'exit': {
        this.#recentStats.delete(pid);
        const status = fromWaitStatus(r.exitCode);
        const held = this.#held.get(pid);
        if (held) {
          // Its taskstats did not come first: wait a little (see HOLD_GRACE_MS), then give it up.
          held.exit = { status, time, seenAt: Date.now() };
          this.#armHoldTimer();
          return;
        }
        this.#parents.delete(pid);
        this.#remember(pid, { timestampNs: r.timestampNs, status, time, reported: this.#tracked.has(pid) });
        this.#exited(pid, status, time);
        return;
      }
      case 'uid':
        this.#changed(pid, 'UID', time, r.proc, (p) => ({ ...p, uid: r.euid }));
        return;
      case 'gid':
        this.#changed(pid, 'GID', time, r.proc, (p) => ({ ...p, gid: r.egid }));
        return;
      case 'comm':
        this.#changed(pid, 'COMM', time, r.proc, (p) => ({ ...p, comm: asBytes(r.comm) }));
        return;
      default:
        return;
    }
  }

  /** A fork record: the child's FORK when asked for, and its EXIT at once if that record came first. */
  #forked(pid: number, parent: number, timestampNs: number, time: number, files: ProcFiles | undefined): void {
    const ended = this.#recentExits.get(pid);
    const over = ended !== undefined && ended.timestampNs >= timestampNs;
    if (!over) this.#parents.set(pid, parent);
    if (this.#o.kinds.has('FORK')) this.#look(pid, 'FORK', time, files, parent);
    if (!over) return;
    this.#recentExits.delete(pid);
    if (ended.reported) this.#tracked.delete(pid);
    else this.#exited(pid, ended.status, ended.time);
  }

  #remember(pid: number, exit: { timestampNs: number; status: ExitStatus | undefined; time: number; reported: boolean }): void {
    this.#recentExits.delete(pid);
    this.#recentExits.set(pid, exit);
    // Reordering spans a few records at most; the oldest entries go.
    if (this.#recentExits.size > RECENT_EXITS) this.#recentExits.delete(this.#recentExits.keys().next().value!);
  }

  /**
   * A process to match: at its exec (START) or fork (FORK), as the reader thread read it when the record
   * came (else read now). A forked child already gone is what it was at its fork: a copy of its parent.
   */
  #look(pid: number, kind: ProcEventKind, time: number, files: ProcFiles | undefined, parent?: number): void {
    // What the selector needs is parsed first: most execs on a machine do not match.
    const needs = this.#o.selector.needs;
    const read = files ? processFromTexts(pid, files, needs) : readProcessNow(pid);
    let info = read ?? (parent === undefined ? undefined : this.#asChildOf(pid, parent));
    const known = this.#tracked.get(pid);
    if (info === undefined && kind === 'START' && this.#taskstats && known === undefined) {
      // Gone already: its name comes with its exit statistics (already here, or held for them).
      const stats = this.#recentStats.get(pid);
      if (stats) {
        this.#recentStats.delete(pid);
        this.#named(stats, time);
      } else this.#hold(pid, time);
      return;
    }
    if (info === undefined) {
      // Gone already: only a selection that needs no /proc can take it.
      const bare = bareSnapshot(pid, known?.ppid ?? this.#parents.get(pid) ?? 0);
      if (!this.#o.selector.needsProc && this.#o.selector.matches(bareInfo(bare))) this.#track(bare, kind, time);
      else this.#countMissed(known);
      return;
    }
    // A zombie still counts: it did run (a 1 ms process is one by the time it is read).
    if (!this.#o.selector.matches(info)) return;
    if (files && read) info = processFromTexts(pid, files) ?? info;
    this.#track(snapshot(info), kind, time);
  }

  /** A process's exit statistics: the held exec of that PID is named, else they are kept for its exec record. */
  #stats(stats: TaskstatsExit): void {
    const pid = stats.pid;
    if (pid === process.pid || this.#o.exclude?.has(pid)) return;
    const held = this.#held.get(pid);
    if (held === undefined) {
      this.#recentStats.delete(pid);
      this.#recentStats.set(pid, stats);
      if (this.#recentStats.size > RECENT_STATS) this.#recentStats.delete(this.#recentStats.keys().next().value!);
      return;
    }
    this.#held.delete(pid);
    this.#named(stats, held.time);
    if (held.exit) this.#endHeld(pid, held.exit);
  }

  /** A process gone before it could be read, as its taskstats tell it: matched, and tracked with START on a match. */
  #named(stats: TaskstatsExit, time: number): void {
    const info = fromTaskstats(stats, this.#parents.get(stats.pid));
    if (this.#o.selector.matches(info)) this.#track(snapshot(info), 'START', time);
  }

  #hold(pid: number, time: number): void {
    this.#held.delete(pid);
    this.#held.set(pid, { time });
    while (this.#held.size > MAX_HELD) this.#giveUp(this.#held.keys().next().value!);
  }

  /** A held exec whose taskstats did not come: what it would have been without taskstats. */
  #giveUp(pid: number): void {
    const held = this.#held.get(pid);
    if (held === undefined) return;
    this.#held.delete(pid);
    const bare = bareSnapshot(pid, this.#parents.get(pid) ?? 0);
    if (!this.#o.selector.needsProc && this.#o.selector.matches(bareInfo(bare))) this.#track(bare, 'START', held.time);
    else this.#countMissed(undefined);
    if (held.exit) this.#endHeld(pid, held.exit);
  }

  /** The exit record of a held exec, handled once the hold is over. */
  #endHeld(pid: number, exit: NonNullable<Held['exit']>): void {
    this.#parents.delete(pid);
    this.#remember(pid, { timestampNs: (exit.time - this.#offsetMs) * 1e6, status: exit.status, time: exit.time, reported: this.#tracked.has(pid) });
    this.#exited(pid, exit.status, exit.time);
  }

  /** Gives up the holds whose exit came HOLD_GRACE_MS ago; re-arms the timer for the others. */
  #sweepHeld(): void {
    if (this.#held.size === 0 || this.#closed) return;
    const now = Date.now();
    let waiting = false;
    for (const [pid, held] of this.#held) {
      if (held.exit === undefined) continue;
      if (now - held.exit.seenAt >= HOLD_GRACE_MS) this.#giveUp(pid);
      else waiting = true;
    }
    if (waiting) this.#armHoldTimer();
  }

  #armHoldTimer(): void {
    if (this.#holdTimer !== undefined) return;
    this.#holdTimer = setTimeout(() => {
      this.#holdTimer = undefined;
      // What the thread has read since first: their taskstats may be among it.
      this.flush();
      this.#sweepHeld();
    }, HOLD_GRACE_MS);
    this.#holdTimer.unref();
  }

  /** A child as it was at its fork: its parent's name, command line and users, with its own PID. */
  #asChildOf(pid: number, parent: number): ProcessInfo | undefined {
    const known = this.#tracked.get(parent);
    const p = known ? infoOf(known) : readProcessNow(parent);
    return p && { ...p, pid, stat: { ...p.stat, pid, ppid: parent, startTicks: -1 } };
  }

  #countMissed(known: ProcSnapshot | undefined): void {
    if (known !== undefined) return;
    this.unidentified += 1;
    if (this.#noticeTimer !== undefined) return;
    const wait = this.#saidAt + MISSED_NOTICE_MS - Date.now();
    if (wait <= 0) this.#sayUnidentified();
    else {
      this.#noticeTimer = setTimeout(() => this.#sayUnidentified(), wait);
      this.#noticeTimer.unref();
    }
  }

  #sayUnidentified(): void {
    this.#noticeTimer = undefined;
    if (this.unidentified === this.#said || this.#o.notice === undefined) return;
    this.#said = this.unidentified;
    this.#saidAt = Date.now();
    this.#o.notice(unidentifiedNotice(this.unidentified));
  }

  #track(proc: ProcSnapshot, kind: ProcEventKind | undefined, time: number): void {
    this.#tracked.set(proc.pid, proc);
    if (kind !== undefined && this.#o.kinds.has(kind)) this.#emit({ kind, time, proc });
  }

  #exited(pid: number, status: ExitStatus | undefined, time: number): void {
    const proc = this.#tracked.get(pid);
    if (proc === undefined) return;
    this.#tracked.delete(pid);
    if (this.#o.kinds.has('EXIT')) this.#emit({ kind: 'EXIT', time, proc, exit: status });
  }

  /**
   * A uid, gid or name change: a tracked process's snapshot follows it; asked for, the change is reported
   * for a process that matches now (so `-u root --events uid` shows a process that gained root).
   */
  #changed(pid: number, kind: 'UID' | 'GID' | 'COMM', time: number, files: ProcFiles | undefined, update: (p: ProcSnapshot) => ProcSnapshot): void {
    const known = this.#tracked.get(pid);
    if (known) this.#tracked.set(pid, update(known));
    if (!this.#o.kinds.has(kind)) return;
    const info = files ? processFromTexts(pid, files) : readProcessNow(pid);
    if (info === undefined) {
      if (known) this.#emit({ kind, time, proc: this.#tracked.get(pid)! });
      return;
    }
    if (!this.#o.selector.matches(info)) return;
    const proc = update(snapshot(info));
    this.#tracked.set(pid, proc);
    this.#emit({ kind, time, proc });
  }

  /** Records were lost: say so, then make the tracked set right again from /proc. */
  #overflow(reason: string): void {
    // How it was seen (an overrun, or a gap in the kernel's numbering) for whoever looks into one.
    if (process.env.INOTIFYKIT_DEBUG === '1') process.stderr.write(`procwatch: OVERFLOW: ${reason}\n`);
    this.#emit({ kind: 'OVERFLOW', time: Date.now(), proc: NO_PROCESS, reason });
    // What the kernel has sent since the batch first (a pass of the reader thread): a process reaped by
    // now sent its exit record before, and that record has its status.
    this.#records(this.#o.connector.readNow().events);
    // A held exec was reaped before it was read, so its taskstats were sent by now: one that has not come
    // was lost with its exit record, or is coming still (kept HOLD_GRACE_MS).
    for (const held of this.#held.values()) held.exit ??= { status: undefined, time: Date.now(), seenAt: Date.now() };
    this.#armHoldTimer();
    for (const [pid, proc] of this.#tracked) {
      const state = proc.startTicks < 0 ? { ended: readProcess(pid) === undefined, status: undefined } : probe(pid, proc.startTicks);
      if (state.ended) this.#exited(pid, state.status, Date.now());
    }
    for (const info of this.#scan()) {
      const known = this.#tracked.get(info.pid);
      if (known && (known.startTicks === info.stat.startTicks || known.startTicks < 0)) continue;
      this.#track(snapshot(info), 'START', Date.now());
    }
  }
}

/** Exits remembered for a fork record that comes late. */
const RECENT_EXITS = 1024;

/** A tracked process's snapshot as the selector sees a process. */
function infoOf(p: ProcSnapshot): ProcessInfo {
  return {
    pid: p.pid,
    stat: { pid: p.pid, comm: p.comm, state: 'S', ppid: p.ppid, pgrp: 0, session: 0, utime: 0, stime: 0, numThreads: 1, startTicks: p.startTicks, exitCode: undefined },
    status: p.uid < 0 ? undefined : { ruid: p.uid, euid: p.uid, egid: p.gid, vmRssKiB: undefined, threads: 1 },
    argv: [...p.argv],
    commandLine: p.commandLine,
  };
}

/** The records whose process the reader thread reads at once: exec always, the others when reported. */
function readKinds(kinds: ReadonlySet<ProcEventKind>): ProcConnectorEvent['type'][] {
  const wanted: [ProcEventKind, ProcConnectorEvent['type']][] = [['FORK', 'fork'], ['UID', 'uid'], ['GID', 'gid'], ['COMM', 'comm']];
  return ['exec', ...wanted.filter(([k]) => kinds.has(k)).map(([, t]) => t)];
}

/**
 * A process as its taskstats tell it: the name (comm) stands for the command line too, the real uid and
 * gid for the effective ones (taskstats has no others); `parent` from its fork record when seen.
 */
function fromTaskstats(t: TaskstatsExit, parent: number | undefined): ProcessInfo {
  const comm = asBytes(t.comm);
  return {
    pid: t.pid,
    stat: { pid: t.pid, comm, state: 'X', ppid: parent ?? t.ppid, pgrp: 0, session: 0, utime: 0, stime: 0, numThreads: 1, startTicks: -1, exitCode: t.exitCode },
    status: { ruid: t.uid, euid: t.uid, egid: t.gid, vmRssKiB: undefined, threads: 1 },
    argv: [comm],
    commandLine: comm,
  };
}

/** A bare snapshot as the selector sees a process (only pid and parent are real). */
function bareInfo(p: ProcSnapshot): ProcessInfo {
  return {
    pid: p.pid,
    stat: { pid: p.pid, comm: asBytes(''), state: '?', ppid: p.ppid, pgrp: 0, session: 0, utime: 0, stime: 0, numThreads: 1, startTicks: -1, exitCode: undefined },
  };
}
