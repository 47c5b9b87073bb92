// Scratch space on a tmpfs, so generated load measures the watcher and not the disk.
//
// As root a private tmpfs is mounted (and re-mounted between big runs: unmounting 500k files takes a
// fraction of the time unlinking them does). Otherwise /dev/shm is used if it is a tmpfs, else the OS
// temp dir (reported in the doc, since figures then include a real filesystem).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { onCleanup } from './cleanup.mjs';

function isTmpfs(dir) {
  try {
    const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n');
    let best = '';
    let type = '';
    const real = fs.realpathSync(dir);
    for (const line of mounts) {
      const [, mnt, fstype] = line.split(' ');
      if (!mnt) continue;
      if ((real === mnt || real.startsWith(mnt.endsWith('/') ? mnt : mnt + '/')) && mnt.length >= best.length) {
        best = mnt;
        type = fstype;
      }
    }
    return type === 'tmpfs';
  } catch {
    return false;
  }
}

function tryMount(dir) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'mode=0700', 'ik-bench', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class Scratch {
  /** @param {string} root @param {'private tmpfs'|'/dev/shm'|'disk'} kind */
  constructor(root, kind) {
    this.root = root;
    this.kind = kind;
    this.seq = 0;
  }

  static create() {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-bench-'));
    if (tryMount(base)) {
      const scratch = new Scratch(base, 'private tmpfs');
      onCleanup(() => scratch.dispose());
      return scratch;
    }
    fs.rmdirSync(base);
    const shm = '/dev/shm';
    const parent = fs.existsSync(shm) && isTmpfs(shm) ? shm : os.tmpdir();
    const root = fs.mkdtempSync(path.join(parent, 'ik-bench-'));
    const scratch = new Scratch(root, parent === shm ? '/dev/shm' : 'disk');
    onCleanup(() => scratch.dispose());
    return scratch;
  }

  /** A fresh, empty directory for one run. */
  dir(label) {
    const d = path.join(this.root, `${label}-${++this.seq}`);
    fs.mkdirSync(d);
    return d;
  }

  /** Frees everything created so far (after the watchers are gone). */
  reset() {
    if (this.kind === 'private tmpfs') {
      execFileSync('umount', [this.root], { stdio: 'ignore' });
      if (!tryMount(this.root)) throw new Error(`could not re-mount tmpfs on ${this.root}`);
      return;
    }
    for (const e of fs.readdirSync(this.root)) fs.rmSync(path.join(this.root, e), { recursive: true, force: true });
  }

  /** Removes one directory tree made by dir(). */
  remove(dir) {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    if (this.kind === 'private tmpfs') {
      try {
        execFileSync('umount', [this.root], { stdio: 'ignore' });
      } catch {
        execFileSync('umount', ['-l', this.root], { stdio: 'ignore' });
      }
      fs.rmdirSync(this.root);
    } else {
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }
}
