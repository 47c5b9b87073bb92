/**
 * koffi and the C library, loaded once per thread. The C library is the one this process already runs on
 * (`dlopen(NULL)`: glibc's libc.so.6, musl's libc.so, whatever Node linked), not a file name guessed here.
 * Nothing is loaded until a binding is first called, so importing this package costs nothing on a run, or
 * a platform, that never calls into libc.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface KoffiFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}
export interface KoffiLibrary {
  func(signature: string): KoffiFunction;
  func(name: string, result: unknown, params: unknown[]): KoffiFunction;
}
/** The part of koffi's API the bindings use. */
export interface Koffi {
  load(path: string | null): KoffiLibrary;
  errno(): number;
  decode(pointer: unknown, type: unknown): unknown;
  struct(name: string, fields: Record<string, string>): unknown;
  pointer(type: unknown): unknown;
}

let koffiModule: Koffi | undefined;
let libcHandle: KoffiLibrary | undefined;

export function koffi(): Koffi {
  return (koffiModule ??= require('koffi') as Koffi);
}

/** koffi's entry file, for a worker thread that loads it from source text (see worker-calls.ts). */
export function koffiPath(): string {
  return require.resolve('koffi');
}

export function libc(): KoffiLibrary {
  return (libcHandle ??= koffi().load(null));
}

/**
 * A libc function bound on its first call: a run binds only what it calls (each binding costs start-up
 * time). `signature` is a C prototype in koffi's syntax.
 */
export function lazy<F extends (...args: never[]) => unknown>(signature: string): F & { async: KoffiFunction['async'] } {
  let fn: KoffiFunction | undefined;
  const call = ((...args: unknown[]) => (fn ??= libc().func(signature))(...args)) as unknown as F & {
    async: KoffiFunction['async'];
  };
  call.async = (...args: unknown[]) => (fn ??= libc().func(signature)).async(...args);
  return call;
}
