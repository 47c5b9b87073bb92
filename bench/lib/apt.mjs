// Debian packages the bench needs (inotify-tools, fswatch), installed through apt-get when they are
// missing and the bench runs as root, so that a full run on a fresh machine measures the whole field.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { log } from './log.mjs';

export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // Try the next PATH entry.
    }
  }
  return null;
}

/** Installs Debian package `pkg` unless every one of `binaries` is on PATH; returns a note on what happened. */
export function ensurePackage(pkg, binaries) {
  if (binaries.every((b) => which(b))) return 'already installed';
  if (process.getuid?.() !== 0) return 'missing (not root, so not installed)';
  if (!which('apt-get')) return 'missing (no apt-get)';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', pkg], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 240000 });
  log(`installing ${pkg} through apt-get`);
  let r = install();
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { env, stdio: 'ignore', timeout: 240000 });
    r = install();
  }
  return r.status === 0 && binaries.every((b) => which(b)) ? 'installed by the bench through apt-get' : 'missing (apt-get install failed)';
}

/** The version inotify-tools' CLIs print first in --help ("inotifywait 3.22.6.0"); they exit 1. */
export function helpVersion(cmd) {
  const m = /^\S+\s+(\S+)/.exec(spawnSync(cmd, ['--help'], { encoding: 'utf8' }).stdout ?? '');
  return m ? m[1] : null;
}
