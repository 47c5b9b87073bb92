/**
 * Starting a program with an argv of byte strings, without a shell interpreting anything.
 *
 * Node's spawn() takes strings and encodes them as UTF-8, so an argument that is not valid UTF-8 (a
 * directory named with a Latin-1 byte) cannot be passed through it byte for byte. For those, and only
 * those, the program is started through a fixed `/bin/sh` trampoline: every argument travels as data
 * (`$1`, `$2`, …), with the bytes that need it written as `\0ooo` octal escapes; the trampoline decodes
 * them with `printf %b` and `exec`s the program, so the pid, process group and exit status are the
 * program's own. The script never contains user data, so nothing can be injected.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { isUtf8 } from 'node:buffer';
import type { ByteString } from '@inotifykit/event-core';
import { toBuffer, toText } from '@inotifykit/event-core';

/** Decodes each argument (the `x` guards trailing newlines from `$(...)`), then runs them. */
const TRAMPOLINE = 'for a do shift; v=$(printf "%bx" "$a"); set -- "$@" "${v%x}"; done; exec "$@"';

function needsTrampoline(argv: readonly ByteString[]): boolean {
   
  return argv.some((arg) => !/^[\x00-\x7f]*$/.test(arg) && !isUtf8(toBuffer(arg)));
}

/** Printable ASCII stays as it is; backslashes and every other byte become `\0ooo`. */
function octalEscape(arg: ByteString): string {
  let out = '';
  for (let i = 0; i < arg.length; i++) {
    const code = arg.charCodeAt(i);
    out += code >= 0x20 && code < 0x7f && code !== 0x5c ? arg[i] : `\\0${code.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export function spawnArgv(argv: readonly ByteString[], options: SpawnOptions): ChildProcess {
  if (!needsTrampoline(argv)) {
    return spawn(toText(argv[0]!), argv.slice(1).map(toText), options);
  }
  return spawn('/bin/sh', ['-c', TRAMPOLINE, 'dnotify', ...argv.map(octalEscape)], options);
}
