// Parent side of the load generator: splits a file count over several generator processes, starts them
// together once all are loaded, and reports the wall time of the burst.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.mjs';
import { LineReader } from './lines.mjs';

const BURST = fileURLToPath(new URL('../gen/burst.mjs', import.meta.url));

/** Events per generated file for each watched event set (see gen/burst.mjs). */
export const EVENTS_PER_FILE = { all: 3, close_write: 1 };

/**
 * Prepares `processes` generators that will create `files` files in `dir` between them.
 * Returns { go(): Promise<{ files, wallMs }> } once every generator is ready.
 */
export async function prepareBurst({ dir, files, processes }) {
  const share = Math.ceil(files / processes);
  const kids = [];
  for (let p = 0, left = files; p < processes && left > 0; p++, left -= share) {
    const child = spawn(process.execPath, [BURST, dir, `g${p}-`, String(Math.min(share, left))], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const undo = onCleanup(() => child.kill('SIGKILL'));
    kids.push({ child, undo, lines: new LineReader(child.stdout) });
  }
  for (const k of kids) {
    const line = await k.lines.next(15000);
    if (line !== 'ready') throw new Error(`load generator did not start (got ${JSON.stringify(line)})`);
  }
  return {
    async go() {
      const t0 = process.hrtime.bigint();
      for (const k of kids) k.child.stdin.end('go\n');
      let total = 0;
      for (const k of kids) {
        const line = await k.lines.next(600000);
        if (line === null) throw new Error('load generator died');
        total += JSON.parse(line).files;
        k.undo();
      }
      return { files: total, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 };
    },
  };
}
