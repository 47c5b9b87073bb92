// `npm run bench` — inotifykit's CLIs next to inotify-tools on this machine, in the same run.
//
//   npm run bench                      full run (~5–10 min), writes docs/performance.md
//   npm run bench -- --quick           smoke run (< 1 min, small sizes, 1 repetition), writes bench/results/quick.md
//   npm run bench -- --only=latency,setup   a subset (suites: setup, startup, latency, throughput, loss, inotifywatch, churn, procwatch, fanotify)
//   --reps=N            repetitions per tool (overrides the defaults)
//   --no-doc / --doc    do not / do write docs/performance.md (default: only for a full run of every suite)
//   --ours-wait=CMD --ours-watch=CMD   benchmark another build as "ours" (e.g. to check the harness itself)
//   --keep-env          keep NODE_EXTRA_CA_CERTS for the processes under test (see below)
import './lib/cleanup.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { queueNotRaised } from './lib/burst-run.mjs';
import { budget } from './lib/interleave.mjs';
import { log } from './lib/log.mjs';
import { backgroundLoad, describeCheckout, describeMachine } from './lib/machine.mjs';
import { renderResults, writeIntoDoc } from './lib/report.mjs';
import { Scratch } from './lib/scratch.mjs';
import { findTools, repoRoot } from './lib/tools.mjs';
import { fmtSummary } from './lib/stats.mjs';
import * as setup from './suites/setup.mjs';
import * as startup from './suites/startup.mjs';
import * as latency from './suites/latency.mjs';
import * as throughput from './suites/throughput.mjs';
import * as loss from './suites/loss.mjs';
import * as inotifywatch from './suites/inotifywatch.mjs';
import * as churn from './suites/churn.mjs';
import * as procwatch from './suites/procwatch.mjs';
import * as fanotify from './suites/fanotify.mjs';

// Cheap and noise-sensitive first, the long bursts after.
const SUITES = [setup, startup, latency, throughput, loss, inotifywatch, churn, procwatch, fanotify];

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    doc: { type: 'boolean' },
    'no-doc': { type: 'boolean', default: false },
    'ours-wait': { type: 'string' },
    'ours-watch': { type: 'string' },
    'keep-env': { type: 'boolean', default: false },
  },
  strict: true,
});

const quick = opt.quick;
const sizes = quick
  ? { events: 30000, latencyWrites: 200, trees: [1000, 10000], churnCycles: 1000 }
  : { events: 500000, latencyWrites: 1000, trees: [1000, 10000, 50000], churnCycles: 10000 };
const forced = opt.reps ? Number(opt.reps) : null;
const reps = quick
  ? { burst: forced ?? 1, cheap: forced ?? 1, churn: forced ?? 1, peers: forced ?? 1, peerBursts: forced ?? 1 }
  : { burst: forced ?? 5, cheap: forced ?? 5, churn: forced ?? 3, peers: forced ?? 3, peerBursts: forced ?? 2 };
const only = opt.only ? new Set(opt.only.split(',')) : null;
const suites = only ? SUITES.filter((s) => only.has(s.id)) : SUITES;
if (only && suites.length !== only.size) {
  process.stderr.write(`unknown suite in --only; known: ${SUITES.map((s) => s.id).join(', ')}\n`);
  process.exit(2);
}
const writeDoc = opt['no-doc'] ? false : (opt.doc ?? (!quick && !only));

// Node 20 parses NODE_EXTRA_CA_CERTS at start-up (nodejs/node#40524), which costs tens of ms per process
// on a machine that sets it. That is a property of the machine, not of either tool: the processes under
// test run without it, and the start-up suite shows what it costs.
const strippedEnv = {};
if (!opt['keep-env'] && process.env.NODE_EXTRA_CA_CERTS !== undefined) {
  strippedEnv.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
  delete process.env.NODE_EXTRA_CA_CERTS;
}

const started = Date.now();
// Past this point no suite starts another repetition (each keeps at least one), so that a slow build
// of ours cannot push the whole run past the 10 minutes the issue allows.
budget.deadline = started + (quick ? 45 : 480) * 1000;
const machine = describeMachine();
const background = { start: await backgroundLoad(), end: NaN };
log(`machine: ${machine.cpus} × ${machine.model}, kernel ${machine.kernel}, node ${machine.node}; background load ${background.start.toFixed(0)} %`);

const tools = await findTools({ oursWait: opt['ours-wait'], oursWatch: opt['ours-watch'], peerReps: reps.peers });
const scratch = Scratch.create();
log(`scratch: ${scratch.kind}`);

const ctx = { tools, scratch, sizes, reps, quick, strippedEnv };

/** A suite's table of the whole field, with its columns and the peers' notes for its jobs. */
function describeField({ jobs, rows, notes: own = [], list = tools.field }) {
  // A contestant not on this machine (e.g. bin/fsnotifywait before it exists) gets no column; the
  // machine section says it was not measured.
  const columns = list.filter((c) => c.command).map((c) => ({ side: c.side, short: c.short ?? c.label }));
  const notes = [...own];
  for (const c of list) {
    if (!c.available) continue;
    for (const job of jobs) if (c.jobs?.[job] && c.notes?.[job]) notes.push(`${c.short}: ${c.notes[job]}`);
  }
  const repsNote = `the peers ${jobs.includes('burst') ? reps.peerBursts : reps.peers} run(s) each`;
  return { columns, rows, notes: [...new Set(notes)], repsNote };
}
const results = [];
for (const suite of suites) {
  // Other engineers' work comes and goes: sampled before each part, so a noisy part can be told apart.
  const backgroundBefore = await backgroundLoad(500);
  try {
    const r = await suite.run(ctx);
    if (r.field) r.field = describeField(r.field);
    results.push({ id: suite.id, title: suite.title, backgroundBefore, ...r });
  } catch (err) {
    // A harness bug in one suite must not cost the others' figures.
    log(`suite ${suite.id} failed: ${err.stack}`);
    results.push({ id: suite.id, title: suite.title, backgroundBefore, error: err.message, rows: [], notes: [], commands: [] });
  }
}
scratch.dispose();
background.end = await backgroundLoad();

const all = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  quick,
  durationS: (Date.now() - started) / 1000,
  machine,
  checkout: describeCheckout(repoRoot),
  background,
  reps,
  sizes,
  scratchKind: scratch.kind,
  strippedEnv: Object.keys(strippedEnv),
  tools,
  suites: results,
  budgetCuts: budget.cuts,
  queueNotRaised: queueNotRaised.count > 0,
};

const scratchRoot = scratch.root;
const redact = (s) =>
  String(s)
    .split(repoRoot).join('')
    .split(scratchRoot).join('$SCRATCH')
    .split(os.tmpdir() + '/').join('$TMPDIR/');

const block = renderResults(all, redact);
const outDir = path.join(repoRoot, 'bench', 'results');
const stem = quick ? 'quick' : 'latest';
let wrote = '';
try {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, `${stem}.json`), JSON.stringify(all, null, 2));
  fs.writeFileSync(path.join(outDir, `${stem}.md`), block + '\n');
  if (writeDoc) writeIntoDoc(path.join(repoRoot, 'docs', 'performance.md'), block);
  wrote = `; wrote bench/results/${stem}.md${writeDoc ? ' and docs/performance.md' : ''}`;
} catch (err) {
  // A read-only checkout (e.g. CI as another user) still gets the figures on stdout.
  log(`could not write the results: ${err.message}`);
  process.stdout.write(block + '\n');
}

// A compact summary on stdout.
for (const s of results) {
  for (const r of s.rows) {
    if (r.label.startsWith('↳')) continue;
    const ratio = r.ratio === null ? '' : `  ratio ${r.ratio.toFixed(2)}×`;
    const v = r.verdict ? `  [${r.verdict.text}]` : '';
    process.stdout.write(`${r.label}: ours ${r.ours ? fmtSummary(r.ours) : 'n/a'}  theirs ${r.theirs ? fmtSummary(r.theirs) : 'n/a'} ${r.unit}${ratio}${v}\n`);
  }
  for (const r of s.field?.rows ?? []) {
    const cells = s.field.columns.map((c) => `${c.short} ${r.cells[c.side] ? fmtSummary(r.cells[c.side]) : '—'}`).join(', ');
    const v = r.verdict ? `  [${r.verdict.text}]` : '';
    process.stdout.write(`  field: ${r.label} (${r.unit}): ${cells}${v}\n`);
  }
  if (s.error) process.stdout.write(`${s.title}: harness error: ${s.error}\n`);
}
log(`done in ${all.durationS.toFixed(0)} s${wrote}`);
// Exit 0 whenever the harness worked; a missing or broken tool is a finding, not a failure.
process.exitCode = results.some((s) => s.error) ? 1 : 0;
