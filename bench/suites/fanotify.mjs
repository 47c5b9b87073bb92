// Issue #13: the fanotify drop-ins, our fsnotifywait against inotify-tools' (the two columns of this
// part's table): set-up of a big tree with -S against inotifywait -r, with the kernel objects each holds;
// CPU per event and loss under the burst; latency close() → line. fanotify needs CAP_SYS_ADMIN: without
// root the part is skipped with a note.
import { burstWait } from '../lib/burst-run.mjs';
import { fanotifyQueueSize } from '../lib/inotify-sysctl.mjs';
import { fixedRow, interleave, ratioTarget, row } from '../lib/interleave.mjs';
import { EVENTS_PER_FILE } from '../lib/load.mjs';
import { log } from '../lib/log.mjs';
import { kernelObjects } from '../lib/proc-stats.mjs';
import { fmt, summarize } from '../lib/stats.mjs';
import { startFor } from '../lib/field.mjs';
import { ToolFailure } from '../lib/watcher-process.mjs';
import { measure as latencyOf } from './latency.mjs';
import { buildTree } from './setup.mjs';

export const id = 'fanotify';
export const title = 'fanotify: fsnotifywait';

const SPACING_MS = 2;

/**
 * Spawn → ready of `c` doing `job` on `dir`; its set-up, from its first stderr line (`Setting up watches.`)
 * to `Watches established.` (0 when both came in one read: faster than the pipe); the kernel objects it
 * holds then.
 */
async function setUp(c, job, dir) {
  const w = startFor(c, job, dir);
  try {
    const readyMs = await w.waitReady(120000);
    return { readyMs, setupMs: Number(w.readyAt - w.firstStderrAt) / 1e6, objects: kernelObjects(w.pid) };
  } finally {
    await w.stop('SIGKILL');
  }
}

/** Our and inotify-tools' fsnotifywait as this part's "ours" and "theirs", with every repetition. */
function pair(tools) {
  const as = (side, from) => {
    const c = tools.field.find((t) => t.side === from);
    return c && { ...c, side, maxReps: undefined };
  };
  return [as('ours', 'fsnotifywait-ours'), as('theirs', 'fsnotifywait-theirs')].filter(Boolean);
}

export async function run(ctx) {
  const { tools, scratch, sizes, reps } = ctx;
  if (process.getuid?.() !== 0) {
    return { rows: [], notes: ['skipped: fanotify needs CAP_SYS_ADMIN and the bench is not running as root'], commands: [] };
  }
  const both = pair(tools);
  if (!both.some((c) => c.side === 'ours' && c.available)) {
    return { rows: [], notes: [`skipped: ${both.find((c) => c.side === 'ours')?.reason ?? 'bin/fsnotifywait is missing'}`], commands: [] };
  }
  const rows = [];
  const notes = [];

  // Set-up: the biggest tree of the run, -S (one filesystem mark) against inotify-tools' inotifywait -r.
  const n = Math.max(...sizes.trees);
  const tree = scratch.dir(`fan-tree${n}`);
  buildTree(tree, n);
  const iw = { ...tools.wait.find((t) => t.side === 'theirs'), side: 'inotifywait' };
  log(`fanotify: set-up of a tree of ${n} directories, ${reps.cheap} reps`);
  const setup = await interleave({
    tools: [...both, iw],
    reps: reps.cheap,
    what: `fanotify set-up ${n}`,
    run: async (t) => {
      const s = await setUp(t, t === iw ? 'tree' : 'filesystem', tree);
      if (t === iw && s.objects?.watches !== n + 1) throw new ToolFailure(`established ${s.objects?.watches} watches, expected ${n + 1}`);
      return s;
    },
  });
  scratch.remove(tree);
  const iwSetup = setup.inotifywait?.samples.length ? summarize(setup.inotifywait.samples.map((s) => s.setupMs)) : null;
  const iwObjects = setup.inotifywait?.samples[0]?.objects;
  rows.push(
    row({
      label: `\`fsnotifywait -S\` on a tree of ${fmt(n)} directories: set-up (\`Setting up…\` → \`Watches established.\` on stderr)`,
      unit: 'ms',
      results: setup,
      pick: (s) => s.setupMs,
      target: {
        text: `≤ 0.01× inotify-tools' \`inotifywait -r\` (${iwSetup ? `= ${fmt(0.01 * iwSetup.median)} ms` : 'not measured'})`,
        check: (r) => {
          if (!iwSetup) return null;
          const k = r.ours.median / iwSetup.median;
          return { met: k <= 0.01, by: `${fmt(r.ours.median - 0.01 * iwSetup.median)} ms (${fmt(k)}×)` };
        },
      },
    }),
    row({ label: '↳ time to ready (spawn → `Watches established.`)', unit: 'ms', results: setup, pick: (s) => s.readyMs }),
    row({
      label: '↳ kernel objects held (fanotify marks)',
      unit: '',
      results: setup,
      pick: (s) => s.objects?.total ?? NaN,
      note: 'read from /proc/PID/fdinfo at ready',
      target: {
        text: 'none per directory (≤ 2: the filesystem mark and the root)',
        check: (r) => ({ met: r.ours.median <= 2, by: `${fmt(r.ours.median - 2)} objects` }),
      },
    }),
    fixedRow({
      label: `↳ reference: inotify-tools' \`inotifywait -r\` on the same tree: set-up`,
      unit: 'ms',
      theirs: iwSetup,
      oursAbsent: '—',
      note: iwObjects ? `${fmt(iwObjects.watches)} inotify watches` : '',
    }),
  );

  // The burst: for CPU with both queues raised, so that neither can lose (a loss would change the work);
  // for loss at the default fanotify queue.
  const files = Math.ceil(sizes.events / EVENTS_PER_FILE.all);
  const events = files * EVENTS_PER_FILE.all;
  const queue = fanotifyQueueSize() ?? 16384;
  const burstOf = (raised) => {
    log(`fanotify: burst of ${events} events, ${raised ? 'raised queue' : `queue ${queue}`}, ${reps.peerBursts} reps`);
    return interleave({
      tools: both,
      reps: reps.peerBursts,
      what: `fanotify burst${raised ? '' : ' (loss)'}`,
      run: (tool) => burstWait({ tool, scratch, events: 'all', files, generators: 2, raiseQueue: raised, countFiles: true }),
    });
  };
  const burst = await burstOf(true);
  rows.push(
    row({
      label: `CPU per event, ${fmt(events)}-event burst (CPU ÷ events generated), queue raised`,
      unit: 'µs',
      results: burst,
      pick: (s) => s.cpuPerGeneratedEventUs,
      target: ratioTarget(0.8),
    }),
    row({ label: '↳ lines printed per file (the kernel merges a file\'s unread events)', unit: '', results: burst, pick: (s) => s.printed / s.files }),
    row({ label: '↳ peak RSS', unit: 'MB', results: burst, pick: (s) => s.peakRssMb }),
  );
  for (const slot of Object.values(burst)) {
    const bad = slot.samples.filter((s) => s.exited || s.overflowed || s.filesSeen < s.files);
    if (bad.length) notes.push(`${slot.tool.label}: ${bad.length} of ${slot.samples.length} CPU run(s) lost events or exited (${bad[0].exited ?? 'queue overflow'})`);
  }
  const loss = await burstOf(false);
  rows.push(
    row({
      label: `Files reported ÷ files created, ${fmt(events)}-event burst, fanotify queue ${fmt(queue)}`,
      unit: '%',
      results: loss,
      pick: (s) => (100 * s.filesSeen) / s.files,
      target: { text: '100 % (zero lost)', check: (r) => ({ met: r.ours.min === 100, by: `${fmt(100 - r.ours.min)} % lost in the worst run` }) },
    }),
    row({ label: '↳ runs with a queue overflow (ours warns; theirs exits: "No fid in fanotify event.")', unit: '%', results: loss, pick: (s) => s.overflowed || Boolean(s.exited), share: true }),
  );

  // Latency close() → line, through the FIFO the latency part uses.
  log(`fanotify: latency, ${sizes.latencyWrites} writes, ${reps.peers} reps`);
  const lat = (spacing) =>
    interleave({ tools: both, reps: reps.peers, what: `fanotify latency ${spacing} ms`, run: (tool) => latencyOf(tool, scratch, sizes.latencyWrites, spacing, Infinity) });
  const idle = await lat(SPACING_MS);
  const hot = await lat(0);
  rows.push(
    // The p99 targets of the inotify latency part (issue #16), against inotify-tools' fsnotifywait here.
    row({ label: `Latency close() → line, writes ${SPACING_MS} ms apart: median`, unit: 'µs', results: idle, pick: (s) => s.medianUs }),
    row({ label: '↳ p99', unit: 'µs', results: idle, pick: (s) => s.p99Us, target: ratioTarget(2) }),
    row({ label: 'Latency, writes back-to-back: median', unit: 'µs', results: hot, pick: (s) => s.medianUs }),
    row({ label: '↳ p99', unit: 'µs', results: hot, pick: (s) => s.p99Us, target: ratioTarget(3) }),
  );

  return {
    rows,
    notes,
    commands: [
      `fsnotifywait -m -S $TREE     # the ${fmt(n)}-directory tree on the tmpfs; set-up = from its first stderr line ("Setting up filesystem watches.") to "Watches established."; the marks from /proc/PID/fdinfo at that moment; inotify-tools' inotifywait -m -r $TREE likewise`,
      `fsnotifywait -m --format '%w%f %e' $DIR > $OUT     # load: 2 generators, ${fmt(files)} files (${fmt(events)} events); fs.inotify and fs.fanotify max_queued_events raised while it starts, then at the default; CPU ÷ events generated; loss = files never named`,
      `fsnotifywait -m -e close_write --format '%w%f %e' $DIR > $FIFO     # as in the latency part: ${sizes.latencyWrites} writes, ${SPACING_MS} ms apart, then back-to-back`,
    ],
  };
}
