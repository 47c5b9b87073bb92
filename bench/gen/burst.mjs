// One load-generator process: creates `count` files with distinct names in `dir` as fast as it can.
// Each file is open(O_CREAT|O_TRUNC|O_WRONLY) + close(): IN_CREATE, IN_OPEN, IN_CLOSE_WRITE, none of which
// the kernel can merge with the one before it (merging needs the same name and mask back to back).
//
// Protocol (so that several generators start together): prints "ready" on stdout, waits for a line on
// stdin, generates, prints one JSON line {files, ns} and exits.
//   node burst.mjs <dir> <prefix> <count>
import fs from 'node:fs';

const [dir, prefix, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!dir || !prefix || !Number.isInteger(count) || count < 0) {
  process.stderr.write('usage: burst.mjs <dir> <prefix> <count>\n');
  process.exit(2);
}

function generate() {
  const base = `${dir}/${prefix}`;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fs.closeSync(fs.openSync(base + i, 'w'));
  return process.hrtime.bigint() - t0;
}

process.stdin.once('data', () => {
  const ns = generate();
  process.stdout.write(JSON.stringify({ files: count, ns: Number(ns) }) + '\n', () => process.exit(0));
});
process.stdout.write('ready\n');
