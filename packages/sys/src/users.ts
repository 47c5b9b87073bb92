/** getpwnam(3)/getpwuid(3): users that /etc/passwd does not list (NSS: LDAP, systemd-homed, …). */
import { koffi, libc, type KoffiFunction } from './library.js';

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
}

let bound: { getpwnam: KoffiFunction; getpwuid: KoffiFunction; passwd: unknown } | undefined;

function bind(): NonNullable<typeof bound> {
  if (bound) return bound;
  const k = koffi();
  const passwd = k.struct('inotifykit_passwd', {
    pw_name: 'str',
    pw_passwd: 'str',
    pw_uid: 'uint32_t',
    pw_gid: 'uint32_t',
    pw_gecos: 'str',
    pw_dir: 'str',
    pw_shell: 'str',
  });
  bound = {
    passwd,
    getpwnam: libc().func('getpwnam', k.pointer(passwd), ['str']),
    getpwuid: libc().func('getpwuid', k.pointer(passwd), ['uint32_t']),
  };
  return bound;
}

function decode(ptr: unknown): PasswdEntry | undefined {
  if (ptr === null || ptr === undefined) return undefined;
  const pw = koffi().decode(ptr, bind().passwd) as { pw_name: string; pw_uid: number };
  return { name: pw.pw_name, uid: pw.pw_uid };
}

export function userByName(name: string): PasswdEntry | undefined {
  return decode(bind().getpwnam(name));
}

export function userById(uid: number): PasswdEntry | undefined {
  return decode(bind().getpwuid(uid));
}
