/** A tool's version, for `--version`: from the package.json named `name` above the running module. */
import { readFileSync } from 'node:fs';

/**
 * Walks up from `moduleUrl` (the caller's `import.meta.url`) to the package.json of `name`: the module may
 * be dist/x.js, dist/args/x.js, the bundle dist/bundle.* or one of its chunks. 'unknown' if none is found.
 */
export function packageVersion(name: string, moduleUrl: string): string {
  for (let dir = new URL('./', moduleUrl); ; dir = new URL('../', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? 'unknown';
    } catch {
      // none at this level
    }
    if (dir.pathname === '/') return 'unknown';
  }
}

/** The line `--version` prints: `inotifywait (inotifykit) 0.1.0`, so a script can tell us from inotify-tools. */
export function versionLine(tool: string, version: string): string {
  return `${tool} (inotifykit) ${version}\n`;
}
