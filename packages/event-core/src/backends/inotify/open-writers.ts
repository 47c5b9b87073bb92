/**
 * Is a file still open for writing? The rescan of a new directory asks before it reports a CLOSE_WRITE for
 * a file it found: while a writer holds the file, the kernel's own CLOSE_WRITE is still to come (the watch
 * exists now), and a synthetic one would make two. See @inotifykit/sys's leases.ts for how the kernel says.
 */
import type { ByteString } from '../../model/bytes.js';
import { toCString } from '../../model/bytes.js';
import { openForWriting as askKernel } from '@inotifykit/sys';

/** True: a writer holds it; false: none does; undefined: the kernel would not say. */
export function openForWriting(path: ByteString): boolean | undefined {
  return askKernel(toCString(path));
}
