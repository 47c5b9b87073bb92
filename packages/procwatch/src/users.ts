/**
 * User names ↔ uids. /etc/passwd answers nearly every lookup without FFI; users that only NSS knows
 * (LDAP, systemd-homed) are asked of libc's getpwnam/getpwuid.
 */
import { readFileSync } from 'node:fs';
import { UnknownUserError } from './errors.js';
import { userById, userByName } from '@inotifykit/sys';

interface PasswdFile {
  byName: Map<string, number>;
  byId: Map<number, string>;
}

let passwd: PasswdFile | undefined;

function passwdFile(): PasswdFile {
  if (passwd) return passwd;
  passwd = { byName: new Map(), byId: new Map() };
  let text = '';
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    // No passwd file (minimal container): NSS below is the only source.
  }
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (!name || uid === undefined || !/^\d+$/.test(uid)) continue;
    const id = Number(uid);
    if (!passwd.byName.has(name)) passwd.byName.set(name, id);
    if (!passwd.byId.has(id)) passwd.byId.set(id, name);
  }
  return passwd;
}

/** A uid from a name or a number, as pgrep -u accepts them. Throws UnknownUserError. */
export function resolveUser(spec: string): number {
  if (/^[+-]?\d+$/.test(spec)) return Number(spec);
  let known = passwdFile().byName.get(spec);
  if (known === undefined) {
    try {
      known = userByName(spec)?.uid;
    } catch {
      known = undefined; // no usable libc: /etc/passwd was the only source
    }
  }
  if (known === undefined) throw new UnknownUserError(spec);
  return known;
}

const nameCache = new Map<number, string>();

/** The name for a uid, or the number as text when there is none (as ps shows it). */
export function userName(uid: number): string {
  const cached = nameCache.get(uid);
  if (cached !== undefined) return cached;
  let name = passwdFile().byId.get(uid);
  if (name === undefined) {
    try {
      name = userById(uid)?.name;
    } catch {
      name = undefined;
    }
  }
  const shown = name ?? String(uid);
  nameCache.set(uid, shown);
  return shown;
}
