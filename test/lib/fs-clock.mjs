// File timestamps come from a coarse clock (a tick of 1-4 ms): tests that depend on "born before" or
// "born after" wait for the file system's clock itself to move on (a condition, not a fixed sleep).
import fs from 'node:fs';
import path from 'node:path';

/** Resolves once a file made in `dir` is born later than `ref` (a path) was changed. */
export async function afterTimestampTick(dir, ref) {
  const since = fs.lstatSync(ref, { bigint: true }).ctimeNs;
  const probe = path.join(dir, `.tick-${process.pid}`);
  for (let i = 0; i < 100000; i++) {
    fs.writeFileSync(probe, '');
    const st = fs.lstatSync(probe, { bigint: true });
    fs.unlinkSync(probe);
    if ((st.birthtimeNs || st.ctimeNs) > since) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the file system clock did not move');
}
