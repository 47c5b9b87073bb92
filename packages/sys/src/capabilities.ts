/** The process's effective capabilities, from /proc/self/status (no libcap). */
import { readFileSync } from 'node:fs';

export const CAP_DAC_READ_SEARCH = 2;
export const CAP_SYS_ADMIN = 21;

/** True when the capability is in the effective set (false when /proc cannot tell). */
export function hasCapability(cap: number): boolean {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'latin1');
  } catch {
    return false;
  }
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex !== undefined && ((BigInt(`0x${hex}`) >> BigInt(cap)) & 1n) === 1n;
}
