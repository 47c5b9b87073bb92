// Runs each available tool in turn (A B A B …) and collects per-tool samples; a failing tool is reported,
// never fatal to the bench.
import { log } from './log.mjs';
import { ratio, summarize } from './stats.mjs';

/** The whole run's time budget; run.mjs sets the deadline. Cuts are reported in the doc. */
export const budget = { deadline: Infinity, cuts: [] };

/**
 * @template T
 * @param {object} o
 * @param {import('./tools.mjs').Tool[]} o.tools
 * @param {number} o.reps
 * @param {string} o.what progress label
 * @param {(tool: import('./tools.mjs').Tool, rep: number) => Promise<T>} o.run
 * @param {number} [o.deadline] Date.now() after which no further repetition starts (the time budget)
 * @returns {Promise<Record<string, { tool, samples: T[], errors: string[] }>>} keyed by tool.side
 */
export async function interleave({ tools, reps, what, run, deadline = budget.deadline }) {
  const out = {};
  for (const tool of tools) out[tool.side] = { tool, samples: [], errors: [], cut: false };
  for (let rep = 0; rep < reps; rep++) {
    if (rep > 0 && Date.now() > deadline) {
      log(`${what}: time budget spent, stopping after ${rep} repetition(s)`);
      for (const slot of Object.values(out)) slot.cut = true;
      budget.cuts.push(`${what}: ${rep} of ${reps} repetitions (time budget)`);
      break;
    }
    for (const tool of tools) {
      const slot = out[tool.side];
      // A tool that failed twice will fail again: skip it rather than spend the time budget on it.
      if (!tool.available || slot.errors.length >= 2) continue;
      // Peers get fewer repetitions (tools.maxReps): they fill the field's tables, not the targets.
      if (tool.maxReps !== undefined && rep >= tool.maxReps) continue;
      try {
        slot.samples.push(await run(tool, rep));
      } catch (err) {
        slot.errors.push(err.message);
        log(`${what}: ${tool.label} failed: ${err.message}`);
      }
    }
  }
  return out;
}

/** Why a side has no figure: not installed / not working / failed during the run. */
export function absence(slot) {
  if (!slot) return 'not measured';
  if (!slot.tool.available) return slot.tool.reason;
  if (slot.samples.length === 0) return `failed: ${slot.errors[0] ?? 'no sample'}`;
  return '';
}

/**
 * A table row from collected samples.
 * @param {object} o
 * @param {string} o.label
 * @param {string} o.unit
 * @param {ReturnType<typeof interleave> extends Promise<infer R> ? R : never} o.results
 * @param {(sample: any) => number} o.pick
 * @param {{ text: string, check: (row: object) => {met: boolean, by?: string} | null }} [o.target]
 * @param {string} [o.note]
 * @param {string} [o.oursSide] which sample set fills the "inotifykit" column (e.g. 'floor')
 * @param {boolean} [o.share] the cell is the share of runs (%) for which `pick` is true, not a median
 */
export function row({ label, unit, results, pick, target, note = '', oursSide = 'ours', share = false }) {
  const summaryOf = (slot) => (slot && slot.samples.length ? (share ? shareOf(slot.samples, pick) : summarize(slot.samples.map(pick))) : null);
  const ours = summaryOf(results[oursSide]);
  const theirs = summaryOf(results.theirs);
  const r = {
    label,
    unit,
    ours,
    theirs,
    oursAbsent: ours ? '' : absence(results[oursSide]),
    theirsAbsent: theirs ? '' : absence(results.theirs),
    oursErrors: results[oursSide]?.errors ?? [],
    theirsErrors: results.theirs?.errors ?? [],
    ratio: ratio(ours, theirs),
    target: target?.text ?? '',
    note,
  };
  r.verdict = target ? verdict(r, target) : null;
  return r;
}

/** The share (%) of `samples` for which `pick` is true, as a summary without a range. */
function shareOf(samples, pick) {
  const pct = (100 * samples.filter(pick).length) / samples.length;
  return { median: pct, min: pct, max: pct, n: samples.length };
}

/** A row from figures computed elsewhere (a reference measurement, a derived quantity); no target. */
export function fixedRow({ label, unit, ours = null, theirs = null, note = '', oursAbsent = 'not measured', theirsAbsent = 'not measured' }) {
  return {
    label,
    unit,
    ours,
    theirs,
    oursAbsent: ours ? '' : oursAbsent,
    theirsAbsent: theirs ? '' : theirsAbsent,
    oursErrors: [],
    theirsErrors: [],
    ratio: ours && theirs && theirs.median !== 0 ? ours.median / theirs.median : null,
    target: '',
    note,
    verdict: null,
  };
}

function verdict(r, target) {
  if (!r.ours) return { met: null, text: 'not measured' };
  const v = target.check(r);
  if (v === null) return { met: null, text: 'n/a' };
  return { met: v.met, text: v.met ? 'met' : `missed${v.by ? ` by ${v.by}` : ''}` };
}

/** Target "ours/theirs ≤ max" on medians. */
export function ratioTarget(max) {
  return {
    text: `≤ ${max}×`,
    check: (r) => (r.ratio === null ? null : { met: r.ratio <= max, by: `${((r.ratio / max - 1) * 100).toFixed(0)} %` }),
  };
}

/** Target "ours median ≤ max unit". */
export function absoluteTarget(max, unit) {
  return {
    text: `≤ ${max} ${unit}`,
    check: (r) => ({ met: r.ours.median <= max, by: `${(r.ours.median - max).toFixed(max >= 10 ? 0 : 1)} ${unit}` }),
  };
}

/**
 * A row of a table of the whole field: one cell per contestant (results' keys, in order).
 * @param {object} o
 * @param {string} o.label
 * @param {string} o.unit
 * @param {object} o.results from interleave()
 * @param {(sample: any) => number} o.pick
 * @param {{ text: string, check: (cells: Record<string, object|null>) => {met: boolean, by?: string} | null }} [o.target]
 *   checked on the summaries by side (`cells.ours`, `cells.chokidar`, …)
 * @param {string} [o.note]
 * @param {string} [o.oursSide] whose cell the verdict is about
 */
export function fieldRow({ label, unit, results, pick, target, note = '', oursSide = 'ours' }) {
  const cells = {};
  const absent = {};
  const errors = {};
  for (const [side, slot] of Object.entries(results)) {
    cells[side] = slot.samples.length ? summarize(slot.samples.map(pick)) : null;
    absent[side] = cells[side] ? '' : absence(slot);
    errors[side] = slot.errors;
  }
  let v = null;
  if (target) {
    const c = cells[oursSide] ? target.check(cells) : null;
    v = !cells[oursSide] ? { met: null, text: 'not measured' } : c === null ? { met: null, text: 'n/a' } : { met: c.met, text: c.met ? 'met' : `missed${c.by ? ` by ${c.by}` : ''}` };
  }
  return { label, unit, cells, absent, errors, target: target?.text ?? '', note, verdict: v };
}

/** Field target: ours' median below each of `sides`' medians (those measured); missed by the excess over the best of them. */
export function belowPeers(sides, names) {
  return {
    text: `< ${names}`,
    check: (cells) => {
      const rivals = sides.map((s) => cells[s]).filter(Boolean);
      if (rivals.length === 0) return null;
      const best = Math.min(...rivals.map((s) => s.median));
      return { met: cells.ours.median < best, by: `${((cells.ours.median / best - 1) * 100).toFixed(0)} %` };
    },
  };
}
