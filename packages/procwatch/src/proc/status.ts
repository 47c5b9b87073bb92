/**
 * Parsing of `/proc/[pid]/status` (proc(5)): "Key:\tvalue" lines. Only the fields procwatch shows or filters on.
 */

/** The fields of `/proc/[pid]/status` that procwatch uses. */
export interface ProcStatus {
  /** Real user id. */
  readonly ruid: number;
  /** Effective user id: what `-u` matches and the USER column shows (as pgrep and ps do). */
  readonly euid: number;
  /** Effective group id. */
  readonly egid: number;
  /** Resident set size in KiB; undefined for kernel threads, which have no memory map. */
  readonly vmRssKiB: number | undefined;
  readonly threads: number;
}

export function parseStatus(text: string): ProcStatus {
  let ruid = -1;
  let euid = -1;
  let egid = -1;
  let vmRssKiB: number | undefined;
  let threads = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const value = line.slice(colon + 1).trim();
    switch (line.slice(0, colon)) {
      case 'Uid': {
        const [r, e] = value.split(/\s+/);
        ruid = Number(r);
        euid = Number(e);
        break;
      }
      case 'Gid':
        egid = Number(value.split(/\s+/)[1]);
        break;
      case 'VmRSS':
        vmRssKiB = parseInt(value, 10);
        break;
      case 'Threads':
        threads = Number(value);
        break;
    }
  }
  return { ruid, euid, egid, vmRssKiB, threads };
}
