/**
 * inotifywait's main(): options, inotify, filters, format check, path list, daemon/outfile, watches, then
 * the event loop. Each step fails with inotify-tools' message and exit status, in inotify-tools' order.
 */
import { constants, openSync, writeSync } from 'node:fs';
import type { ByteString } from '@inotifykit/event-core';
import { asMask, toBuffer, fromText } from '@inotifykit/event-core';
import type { PathList } from '@inotifykit/cli-kit';
import { buildPathList, packageVersion, reportDetachedReady, versionLine } from '@inotifykit/cli-kit';
import type { CompiledPathRules } from '@inotifykit/cli-kit';
import type { CompiledRegexOption } from '@inotifykit/cli-kit';
import { OutputSink } from '@inotifykit/cli-kit';
import { UsageError, errorLines, reportError } from '@inotifykit/cli-kit';
import { InotifyKitError, SystemError, WatchLimitError } from '@inotifykit/event-core';
import type { PathFilter } from '@inotifykit/event-core';
import { allOf } from '@inotifykit/event-core';
import {
  IN_ALL_EVENTS, IN_CREATE, IN_DONT_FOLLOW, IN_MOVED_FROM, IN_MOVED_TO, IN_Q_OVERFLOW,
} from '@inotifykit/event-core';
import type { Backend } from '@inotifykit/event-core';
import { loadBackend } from '@inotifykit/event-core';
import type { SinceSession } from '@inotifykit/event-core/since';
import { Watcher } from '@inotifykit/event-core';
import type { DaemonHandoff } from './daemon-handoff.js';
import type { Diagnostics } from './diagnostics.js';
import { stderrDiagnostics, syslogDiagnostics, writeStderr } from './diagnostics.js';
import { EXIT_FAILURE, runEventLoop } from './event-loop.js';
import type { InotifywaitOptions } from './options.js';
import { parseOptions } from './options.js';
import type { Program } from './cli-spec.js';
import { PROGRAM } from './cli-spec.js';
import { overflowWarning } from './overflow.js';
import { createRenderer, formatIsValid } from './render.js';
import { asBytes } from '@inotifykit/event-core';

const NO_RULES: CompiledPathRules = { filter: undefined, prune: undefined };

/** Runs inotifywait with these arguments (bytes); resolves with the exit status. */
export async function runInotifywait(args: ByteString[], daemonChild?: DaemonHandoff, program: Program = PROGRAM): Promise<number> {
  const parsed = parseOptions(args, program);
  if (!parsed.ok) {
    if (parsed.help) {
      const { CLASSIC_HELP, EXTENSION_HELP } = await import('./help.js');
      writeAll(1, Buffer.from(CLASSIC_HELP + EXTENSION_HELP, 'latin1'));
    }
    if (parsed.version) writeAll(1, Buffer.from(versionLine('inotifywait', packageVersion('@inotifykit/inotifywait', import.meta.url))));
    writeStderr(parsed.stderr);
    return parsed.exitCode;
  }
  const o = parsed.options;
  writeStderr(parsed.warnings.map(fromText));

  let backend: Backend;
  try {
    // -m runs long: its reader thread starts at once, so that the first burst is already covered.
    backend = await loadBackend(o.backend, { readerThread: o.monitor ? 'always' : 'auto' });
  } catch (err) {
    return reportError(err);
  }

  let classic: CompiledRegexOption | undefined;
  let rules: CompiledPathRules;
  try {
    classic = o.regex.compile();
    rules = o.rules.length === 0 ? NO_RULES : (await import('@inotifykit/cli-kit')).compilePathRules(o.rules);
  } catch (err) {
    return reportError(err);
  }
  if (o.format !== undefined && !formatIsValid(o.format, o.noNewline)) {
    return reportError(new UsageError(asBytes('Something is wrong with your format string.')));
  }

  const requested = o.events === 0 ? IN_ALL_EVENTS : o.events;
  const fanotify = backend.name === 'fanotify';
  // -S: one filesystem mark, reporting what happens below each path (the tree, like -r).
  const recursive = o.recursive || (fanotify && o.filesystem);
  let kernelMask = requested;
  // inotify follows new directories through their CREATE/MOVED_TO; fanotify's one mark needs no help.
  if (o.monitor && recursive && !fanotify) kernelMask = asMask(kernelMask | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM);
  if (o.noDereference) kernelMask = asMask(kernelMask | IN_DONT_FOLLOW);

  const list: PathList = daemonChild?.list ?? buildPathList(o.operands, o.fromfile, (m) => writeStderr([m]));
  if (list.paths.length === 0) return reportError(new UsageError(asBytes('No files specified to watch!')));

  let outFd = 1;
  if (o.daemon && !daemonChild) {
    const { daemonize } = await import('./daemon.js');
    return daemonize(o.outfile!, { args, list });
  }
  if (o.outfile !== undefined && !daemonChild) {
    try {
      outFd = openSync(toBuffer(o.outfile), constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600);
    } catch {
      return reportError(new UsageError(asBytes(`Failed to open output file ${o.outfile}`)));
    }
  }

  const diagnostics = o.syslog ? await syslogDiagnostics() : stderrDiagnostics;
  const filter = allOf([classic?.filter, rules.filter].filter((f): f is PathFilter => f !== undefined));
  let since: SinceSession | undefined;
  try {
    // The state file is read and checked before any watch exists: a damaged one ends the run here, untouched.
    since = o.since === undefined ? undefined : await openState(o, list, filter, diagnostics);
    // What the backend cannot deliver of the requested events (nothing for inotify); hidden only by -qq.
    if (backend.name === 'parcel' && o.quiet < 2) {
      const { backendNotice } = await import('@inotifykit/event-core/since');
      const notice = backendNotice(backend.name, o.events);
      if (notice) for (const line of notice.split('\n')) diagnostics.report(asBytes(line));
    }
  } catch (err) {
    await since?.close({ save: false }).catch(() => undefined);
    return reportError(err);
  }
  // Everything that may load a module is ready before the watches exist, so the loop starts at once.
  const render = await createRenderer(o);
  const readyLine = o.ready === undefined ? undefined : await readyText(o);
  if (o.quiet === 0) {
    diagnostics.report(asBytes(
      fanotify && o.filesystem ? 'Setting up filesystem watches.' :
      o.recursive ? 'Setting up watches.  Beware: since -r was given, this may take a while!' : 'Setting up watches.',
    ));
  }

  let startupDone = false;
  const watcher = new Watcher({
    mask: kernelMask,
    recursive,
    followNewDirs: o.monitor && recursive,
    rescanNewDirs: o.rescan,
    recoverOverflow: o.rescanOnOverflow,
    excludeDirs: list.exclusions,
    pruneDir: pruner(classic, rules, () => startupDone),
    filter,
    backend,
  });
  for (const path of list.paths) {
    try {
      watcher.add(path);
    } catch (err) {
      reportWatchError(diagnostics, path, err, fanotify && o.filesystem);
      await since?.close({ save: false }).catch(() => undefined); // nothing replayed: the file stays as it was
      return EXIT_FAILURE;
    }
  }
  try {
    await backend.ready?.(); // parcel subscribes asynchronously: a failure shows up here
  } catch (err) {
    const path = (err as { path?: unknown }).path;
    reportWatchError(diagnostics, asBytes(typeof path === 'string' ? path : (list.paths[0] ?? '')), err);
    await since?.close({ save: false }).catch(() => undefined);
    return EXIT_FAILURE;
  }
  startupDone = true;
  if (o.negativeTimeout && fanotify) {
    // 4.x's fanotify support probe (inotify-tools' own tests run `fsnotifywait --fanotify -t -1 .`).
    if (o.quiet === 0) diagnostics.report(asBytes('Watches established.'));
    writeStderr([asBytes('Negative timeout specified - abort!')]);
    return EXIT_FAILURE;
  }

  const sink = new OutputSink(outFd, { target: outFd === 1 ? 'standard output' : `output file ${o.outfile}` });
  // With --since, after the replay: a change made once this is out is reported live.
  const announce = () => {
    if (o.quiet === 0) diagnostics.report(asBytes('Watches established.'));
    if (readyLine) writeAll(o.ready === 1 ? outFd : o.ready!, Buffer.from(readyLine(watcher.watchCount), 'latin1'));
    if (daemonChild) reportDetachedReady();
  };

  return runEventLoop({
    watcher,
    sink,
    render,
    // --json always prints an overflow (its own record, docs/json.md): a machine reader must know of the loss.
    requested: o.json && o.monitor ? asMask(requested | IN_Q_OVERFLOW) : requested,
    monitor: o.monitor,
    silent: o.quiet >= 2,
    timeout: o.timeout,
    exitOnUnwatched: o.exitOnUnwatched,
    diagnostics,
    overflowWarning: o.overflowWarning ? () => overflowWarning(backend.queueLimit) : undefined,
    since,
    asked: o.events,
    announce,
  });
}

/** `--since`: opens the state file (loads the parcel module only now). */
async function openState(o: InotifywaitOptions, list: PathList, filter: PathFilter | undefined, diagnostics: Diagnostics): Promise<SinceSession> {
  const { openSince } = await import('@inotifykit/event-core/since');
  return openSince(o.since!, list.paths, {
    requested: o.events,
    recursive: o.recursive,
    excludeDirs: list.exclusions,
    filter,
    // A periodic or SIGUSR2 save that failed: said as every error is, and watching goes on.
    onSaveError: (err: InotifyKitError) => {
      for (const line of errorLines(err)) diagnostics.report(line);
    },
  });
}

/**
 * Directories not to watch. Extension exclude rules prune every walk. The classic `--exclude` (3.22)
 * drops the CREATE of a matching new directory before inotifywait sees it, so that directory is never
 * watched; the start-up walk ignores it. (`--include` no longer stops new directories: 4.25's fix.)
 */
function pruner(
  classic: CompiledRegexOption | undefined,
  rules: CompiledPathRules,
  started: () => boolean,
): ((dirPath: ByteString) => boolean) | undefined {
  const classicExclude = classic?.spec.kind === 'exclude' ? classic.regex : undefined;
  if (!classicExclude && !rules.prune) return undefined;
  return (dirPath) => {
    if (rules.prune?.(dirPath)) return true;
    return classicExclude !== undefined && started() && classicExclude.test(asBytes(dirPath.slice(0, -1)));
  };
}

/** `--ready`: the line, given the number of watches. */
async function readyText(o: InotifywaitOptions): Promise<(watches: number) => string> {
  if (!o.json) return () => 'READY\n';
  return (await import('./json-format.js')).jsonReadyLine;
}

function reportWatchError(diagnostics: Diagnostics, path: ByteString, err: unknown, filesystem = false): void {
  if (filesystem && err instanceof SystemError) {
    // 4.25's wording for -S; a cause we know (no file handles on NFS, FUSE) follows the reason.
    diagnostics.report(asBytes(`Couldn't add filesystem watch ${path}: ${err.messageBytes.slice(`Couldn't watch ${path}: `.length)}`));
  } else if (err instanceof WatchLimitError) {
    diagnostics.report(asBytes(`Failed to watch ${path}; upper limit on inotify watches reached!`));
    diagnostics.report(asBytes(err.hint ?? ''));
  } else if (err instanceof SystemError) {
    diagnostics.report(asBytes(`Couldn't watch ${path}: ${err.reason}`));
  } else {
    diagnostics.report(asBytes(`Couldn't watch ${path}: ${fromText((err as Error).message)}`));
  }
}

function writeAll(fd: number, data: Buffer): void {
  let rest = data;
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
  } catch {
    // the reader is gone; nothing to do about it here
  }
}
