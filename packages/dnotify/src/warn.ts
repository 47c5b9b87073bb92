/** dnotify's messages on stderr, prefixed with the program name. */

// In the background the terminal may be gone: a failed write must not kill the watcher.
process.stderr.on('error', () => {});

export function warn(message: string, hint?: string): void {
  try {
    process.stderr.write(`dnotify: ${message}\n${hint ? hint + '\n' : ''}`);
  } catch {
    // stderr closed: nothing to tell
  }
}
