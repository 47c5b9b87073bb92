// Issue item 5: inotifywatch under the same burst: CPU per event, and whether the counts are exact.
import { burstWatch, raisedQueueSize } from '../lib/burst-run.mjs';
import { interleave, ratioTarget, row } from '../lib/interleave.mjs';
import { EVENTS_PER_FILE } from '../lib/load.mjs';
import { log } from '../lib/log.mjs';
import { fmt } from '../lib/stats.mjs';

export const id = 'inotifywatch';
export const title = 'inotifywatch under load';

export async function run(ctx) {
  const { tools, scratch, sizes, reps } = ctx;
  const files = Math.ceil(sizes.events / EVENTS_PER_FILE.all);
  log(`inotifywatch: ${files * 3} events, ${reps.burst} reps`);
  const res = await interleave({
    tools: tools.watch,
    reps: reps.burst,
    what: 'inotifywatch',
    run: (tool) => burstWatch({ tool, scratch, files, generators: 2, raiseQueue: true }),
  });
  const exact = {
    text: 'exact',
    check: (r) => ({ met: r.ours.min === 100, by: 'counts differ from the load' }),
  };
  const notes = [];
  for (const slot of Object.values(res)) {
    const wrong = slot.samples.filter((s) => !s.exact);
    if (wrong.length) notes.push(`${slot.tool.label}: counts not exact in ${wrong.length} run(s), e.g. ${wrong[0].countsText}`);
  }
  return {
    rows: [
      row({
        label: `inotifywatch CPU per event, ${fmt(files * 3)}-event burst`,
        unit: 'µs',
        results: res,
        pick: (s) => s.cpuPerEventUs,
        target: ratioTarget(1.0),
      }),
      row({ label: '↳ runs with exact counts', unit: '%', results: res, pick: (s) => s.exact, share: true, target: exact }),
    ],
    notes,
    commands: [
      `inotifywatch $DIR     # max_queued_events raised to ${fmt(raisedQueueSize(files * 3))} while it starts; SIGINT once idle; load: 2 generators, ${fmt(files)} files`,
    ],
  };
}
