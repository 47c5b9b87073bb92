// Issue item 2: events lost under the same burst at the default queue size (printed ÷ generated).
import { burstWait } from '../lib/burst-run.mjs';
import { burstFilesFor, contestants } from '../lib/field.mjs';
import { defaultQueueSize } from '../lib/inotify-sysctl.mjs';
import { fieldRow, interleave, row } from '../lib/interleave.mjs';
import { EVENTS_PER_FILE } from '../lib/load.mjs';
import { log } from '../lib/log.mjs';
import { fmt } from '../lib/stats.mjs';

export const id = 'loss';
export const title = 'Events lost at the default queue size';

export async function run(ctx) {
  const { tools, scratch, sizes, reps, quick } = ctx;
  const files = Math.ceil(sizes.events / EVENTS_PER_FILE.all);
  const queue = defaultQueueSize();
  log(`loss: ${files * 3} events at max_queued_events=${queue}, ${reps.burst} reps`);
  const res = await interleave({
    tools: contestants(tools.field, 'burst', { maxReps: reps.peerBursts }),
    reps: reps.burst,
    what: 'loss',
    run: (tool) => burstWait({ tool, scratch, events: 'all', files: burstFilesFor(tool, files, quick), generators: 2, raiseQueue: false, countFiles: true }),
  });
  // Across the field the common measure is the file: the peers print one line per file, or several.
  const noneLost = {
    text: 'zero lost (where any loses)',
    check: (cells) => ({ met: cells.ours.min === 100, by: `${fmt(100 - cells.ours.min)} % of the files in the worst run` }),
  };
  const zeroLost = {
    text: '100 % (zero lost)',
    check: (r) => ({ met: r.ours.min === 100, by: `${fmt(100 - r.ours.min)} % lost in the worst run` }),
  };
  return {
    rows: [
      row({
        label: `Printed ÷ generated, ${fmt(files * 3)}-event burst, queue ${fmt(queue)}`,
        unit: '%',
        results: res,
        pick: (s) => (100 * s.printed) / s.generated,
        target: zeroLost,
      }),
      row({ label: '↳ events lost', unit: '', results: res, pick: (s) => s.lost }),
      row({ label: '↳ load: events generated per second (during that tool\'s runs)', unit: '/s', results: res, pick: (s) => (s.generated * 1000) / s.genWallMs }),
    ],
    notes: [],
    commands: [`inotifywait -m --format '%w%f %e' $DIR > $OUT     # default max_queued_events (${queue}); load: 2 generators, ${fmt(files)} files; the peers likewise, their lines counted as the distinct files they name`],
    field: {
      jobs: ['burst'],
      // Giving up on an overflow is how fswatch and inotify-tools' fsnotifywait lose events.
      notes: Object.values(res)
        .filter((slot) => slot.samples.some((x) => x.exited))
        .map((slot) => `${slot.tool.short}: exited during ${slot.samples.filter((x) => x.exited).length} of ${slot.samples.length} run(s) (${slot.samples.find((x) => x.exited).exited}); the files it reported before count`),
      rows: [
        fieldRow({ label: `Files reported ÷ files created, ${fmt(files)} files (${fmt(files * 3)} events), queue ${fmt(queue)}`, unit: '%', results: res, pick: (s) => (100 * s.filesSeen) / s.files, target: noneLost }),
        fieldRow({ label: '↳ files never reported', unit: '', results: res, pick: (s) => s.files - s.filesSeen }),
        fieldRow({ label: '↳ files in its burst (a peer may have a smaller one)', unit: '', results: res, pick: (s) => s.files }),
      ],
    },
  };
}
