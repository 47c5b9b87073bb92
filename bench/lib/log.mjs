// Progress goes to stderr so that stdout stays free for the final summary.
const t0 = Date.now();
export function log(msg) {
  process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);
}
