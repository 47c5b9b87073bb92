// Issue item 1: CPU per event under a 500k-event burst (all events; -e close_write; and draining a queue
// filled while the watcher was stopped).
import { burstWait, raisedQueueSize, waitArgs } from '../lib/burst-run.mjs';
import { burstFilesFor, contestants } from '../lib/field.mjs';
import { belowPeers, fieldRow, interleave, ratioTarget, row } from '../lib/interleave.mjs';
import { EVENTS_PER_FILE } from '../lib/load.mjs';
import { log } from '../lib/log.mjs';
import { fmt } from '../lib/stats.mjs';

const q = (args) => args.map((a) => (/^[\w@%,./=-]+$/.test(a) ? a : `'${a}'`)).join(' ');

export const id = 'throughput';
export const title = 'CPU per event';

export async function run(ctx) {
  const { tools, scratch, sizes, reps, quick } = ctx;
  const allFiles = Math.ceil(sizes.events / EVENTS_PER_FILE.all);
  const cwFiles = sizes.events;
  const rows = [];
  const withFloor = [...tools.wait, tools.floor];
  const floorRow = (results, pick) =>
    row({ label: '↳ Node floor: the same with bench/experiments/minimal-reader.mjs', unit: 'µs', results, pick, oursSide: 'floor' });

  log(`throughput: all events, ${allFiles * 3} events, ${reps.burst} reps`);
  const all = await interleave({
    tools: [...contestants(tools.field, 'burst', { maxReps: reps.peerBursts }), tools.floor],
    reps: reps.burst,
    what: 'burst (all events)',
    run: (tool) => burstWait({ tool, scratch, events: 'all', files: burstFilesFor(tool, allFiles, quick), generators: 2, raiseQueue: true }),
  });
  rows.push(
    row({
      label: `CPU per event, ${fmt(allFiles * 3)}-event burst, all events`,
      unit: 'µs',
      results: all,
      pick: (s) => s.cpuPerEventUs,
      target: ratioTarget(0.8),
    }),
    row({ label: '↳ of which user', unit: 'µs', results: all, pick: (s) => (s.userMs * 1000) / s.printed }),
    row({ label: '↳ of which system', unit: 'µs', results: all, pick: (s) => (s.sysMs * 1000) / s.printed }),
    row({ label: '↳ events per wake-up of the main thread', unit: '', results: all, pick: (s) => s.printed / Math.max(1, s.wakeups) }),
    floorRow(all, (s) => s.cpuPerEventUs),
  );

  log(`throughput: -e close_write, ${cwFiles} events, ${reps.burst} reps`);
  const cw = await interleave({
    tools: withFloor,
    reps: reps.burst,
    what: 'burst (close_write)',
    run: (tool) => burstWait({ tool, scratch, events: 'close_write', files: cwFiles, generators: 1, raiseQueue: true }),
  });
  rows.push(
    row({
      label: `CPU per event, ${fmt(cwFiles)} events, -e close_write`,
      unit: 'µs',
      results: cw,
      pick: (s) => s.cpuPerEventUs,
      target: ratioTarget(1.2),
    }),
    row({ label: '↳ events per wake-up of the main thread', unit: '', results: cw, pick: (s) => s.printed / Math.max(1, s.wakeups) }),
    floorRow(cw, (s) => s.cpuPerEventUs),
  );

  log(`throughput: drain of a filled queue, ${allFiles * 3} events, ${reps.burst} reps`);
  const drain = await interleave({
    tools: tools.wait,
    reps: reps.burst,
    what: 'drain',
    run: (tool) => burstWait({ tool, scratch, events: 'all', files: allFiles, generators: 2, raiseQueue: true, stopped: true }),
  });
  rows.push(
    row({ label: `Drain ${fmt(allFiles * 3)} queued events: CPU per event`, unit: 'µs', results: drain, pick: (s) => s.cpuPerEventUs }),
    row({ label: '↳ drain time (SIGCONT → last line)', unit: 'ms', results: drain, pick: (s) => s.drainWallMs }),
  );

  const lossNote = (res) =>
    Object.values(res)
      .filter((s) => s.samples.some((x) => x.lost > 0))
      .map((s) => `${s.tool.label} lost events despite the raised queue`);

  return {
    rows,
    notes: [...lossNote(all), ...lossNote(cw), ...lossNote(drain)],
    commands: [
      `# max_queued_events raised to ${fmt(raisedQueueSize(allFiles * 3))} while the watcher starts (restored once it is ready)`,
      `inotifywait ${q(waitArgs('all'))} $DIR > $OUT     # load: 2 generator processes, ${fmt(allFiles)} files in all (3 events each); the peers likewise (the field's table)`,
      `inotifywait ${q(waitArgs('close_write'))} $DIR > $OUT     # load: 1 generator process, ${fmt(cwFiles)} files`,
      `inotifywait ${q(waitArgs('all'))} $DIR > $OUT     # drain: SIGSTOP once established, load as above, then SIGCONT`,
    ],
    field: {
      jobs: ['burst'],
      rows: [
        fieldRow({
          label: `CPU per generated event, ${fmt(allFiles * 3)}-event burst (3 per file, whatever the tool subscribes to)`,
          unit: 'µs',
          results: all,
          pick: (s) => s.cpuPerGeneratedEventUs,
          target: belowPeers(['chokidar', 'parcel'], 'chokidar and @parcel/watcher'),
        }),
        fieldRow({ label: '↳ peak RSS', unit: 'MB', results: all, pick: (s) => s.peakRssMb }),
        fieldRow({ label: '↳ lines printed per file', unit: '', results: all, pick: (s) => s.printed / s.files }),
        fieldRow({ label: '↳ files in its burst (a peer may have a smaller one)', unit: '', results: all, pick: (s) => s.files }),
      ],
    },
  };
}
