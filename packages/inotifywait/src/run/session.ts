/**
 * inotifywait's main(), in inotify-tools' order: options, the backend, filters, the format check, the
 * path list, daemon/outfile, --since, the watches (establish.ts), then the event loop (event-loop.ts).
 * Each step fails with inotify-tools' message and exit status.
 */
import type { Backend, ByteString } from '@inotifykit/event-core';
import { IN_Q_OVERFLOW, asBytes, asMask, fromText, loadBackend } from '@inotifykit/event-core';
import type { SinceSession } from '@inotifykit/event-core/since';
import type { PathList } from '@inotifykit/cli-kit';
import { OutputSink, UsageError, buildPathList, helpFor, packageVersion, reportDetachedReady, reportError, versionLine } from '@inotifykit/cli-kit';
import type { Program } from '../cli-spec.js';
import { PROGRAM } from '../cli-spec.js';
import type { DaemonHandoff } from '../daemon-handoff.js';
import { stderrDiagnostics, syslogDiagnostics, writeStderr } from '../diagnostics.js';
import { parseOptions } from '../options.js';
import { overflowWarning } from '../overflow.js';
import { createRenderer, formatIsValid } from '../render.js';
import { establishWatches } from './establish.js';
import { EXIT_FAILURE, runEventLoop } from './event-loop.js';
import type { Filters } from './filters.js';
import { compileFilters } from './filters.js';
import { openOutput, readyText, writeAll } from './output.js';
import { openState, reportBackendLimits } from './since.js';
import { createWatcher, requestedEvents } from './watch.js';

/** Runs inotifywait with these arguments (bytes); resolves with the exit status. */
export async function runInotifywait(args: ByteString[], daemonChild?: DaemonHandoff, program: Program = PROGRAM): Promise<number> {
  const parsed = parseOptions(args, program);
  if (!parsed.ok) {
    if (parsed.help) {
      const { CLASSIC_HELP, extensionHelpText } = await import('../help.js');
      writeAll(1, Buffer.from(helpFor(CLASSIC_HELP, PROGRAM, program) + extensionHelpText(program), 'latin1'));
    }
    if (parsed.version) writeAll(1, Buffer.from(versionLine(program, packageVersion('@inotifykit/inotifywait', import.meta.url))));
    writeStderr(parsed.stderr);
    return parsed.exitCode;
  }
  const o = parsed.options;
  writeStderr(parsed.warnings.map(fromText));

  let backend: Backend;
  let filters: Filters;
  try {
    // -m runs long: its reader thread starts at once, so that the first burst is already covered.
    // fanotify reads each writer's name and uid from /proc only when they are printed.
    const processInfo = o.json || (o.format !== undefined && (await import('../output/format.js')).formatNamesProcess(o.format));
    backend = await loadBackend(o.backend, { readerThread: o.monitor ? 'always' : 'auto', processInfo });
    filters = await compileFilters(o);
  } catch (err) {
    return reportError(err);
  }
  if (o.format !== undefined && !formatIsValid(o.format, o.noNewline)) {
    return reportError(new UsageError(asBytes('Something is wrong with your format string.')));
  }

  const list: PathList = daemonChild?.list ?? buildPathList(o.operands, o.fromfile, (m) => writeStderr([m]));
  if (list.paths.length === 0) return reportError(new UsageError(asBytes('No files specified to watch!')));
  if (o.daemon && !daemonChild) return (await import('../daemon.js')).daemonize(o.outfile!, { args, list });
  let outFd: number;
  try {
    outFd = openOutput(o, daemonChild !== undefined);
  } catch (err) {
    return reportError(err);
  }

  const diagnostics = o.syslog ? await syslogDiagnostics() : stderrDiagnostics;
  let since: SinceSession | undefined;
  try {
    since = o.since === undefined ? undefined : await openState(o, list, filters.filter, diagnostics);
    await reportBackendLimits(o, backend.name, diagnostics);
  } catch (err) {
    await since?.close({ save: false }).catch(() => undefined);
    return reportError(err);
  }
  // Everything that may load a module is ready before the watches exist, so the loop starts at once.
  const render = await createRenderer(o);
  const readyLine = o.ready === undefined ? undefined : await readyText(o);
  const filesystem = backend.name === 'fanotify' && o.filesystem;
  if (o.quiet === 0) {
    diagnostics.report(asBytes(
      filesystem ? 'Setting up filesystem watches.' :
      o.recursive ? 'Setting up watches.  Beware: since -r was given, this may take a while!' : 'Setting up watches.',
    ));
  }

  const { watcher, started } = createWatcher(o, backend, list, filters);
  if (!(await establishWatches(watcher, backend, list, diagnostics, filesystem))) {
    await since?.close({ save: false }).catch(() => undefined); // nothing replayed: the file stays as it was
    return EXIT_FAILURE;
  }
  started();
  if (o.negativeTimeout && backend.name === 'fanotify') {
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
  const requested = requestedEvents(o);
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
    overflowWarning: o.overflowWarning ? () => overflowWarning(backend.queueLimit, backend.name) : undefined,
    since,
    asked: o.events,
    announce,
  });
}
