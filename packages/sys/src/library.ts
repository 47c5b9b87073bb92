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
  sizeof(type: unknown): number;
}

let koffiModule: Koffi | undefined;
let libcHandle: KoffiLibrary | undefined;

/**
 * Where scripts/bundle.mjs found koffi's prebuilt addon (relative to the bundle), koffi's version, and the
 * bundle's directory (`__dirname`). Defined in the bundles only: the module tree tsc builds always goes
 * through koffi's own loader.
 */
declare const __IK_KOFFI_ADDON__: string | undefined;
declare const __IK_KOFFI_VERSION__: string | undefined;
declare const __IK_BUNDLE_DIR__: string | undefined;

/**
 * koffi's own entry file resolves the package's exports, reads the node binary's ELF header (glibc or
 * musl?) and wraps a few deprecated functions before it loads the same prebuilt addon: ~8-10 ms of every
 * start. A bundle loads the addon the build found instead, with process.dlopen() as require() would (its
 * resolution, the realpath of every directory and a package.json read, are not needed for a known
 * file), and falls back to koffi's loader when that file is gone or is not the koffi the bundle was built
 * with.
 */
function loadAddon(): Koffi | undefined {
  if (typeof __IK_KOFFI_ADDON__ !== 'string' || typeof __IK_KOFFI_VERSION__ !== 'string' || typeof __IK_BUNDLE_DIR__ !== 'string') return undefined;
  try {
    const addon = { exports: {} as Koffi & { version?: unknown } };
    process.dlopen(addon, `${__IK_BUNDLE_DIR__}/${__IK_KOFFI_ADDON__}`);
    return addon.exports.version === __IK_KOFFI_VERSION__ ? addon.exports : undefined;
  } catch {
    return undefined;
  }
}

export function koffi(): Koffi {
  return (koffiModule ??= loadAddon() ?? (require('koffi') as Koffi));
}

/**
 * koffi's entry file, for a worker thread that loads it from source text (see worker-calls.ts). Not the
 * addon directly: a reader thread that required the addon itself once died in koffi's registration
 * (`FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw`, inotifywatch ending while its thread was
 * starting, under heavy load); the cause is not pinned down, so workers load koffi as they always did.
 * They start after the watches are set up, off the start-up path.
 */
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
  const bound = (): KoffiFunction => (fn ??= libc().func(signature));
  // A wrapper of the function's own arity: a rest-and-spread one made an array per call, which cost
  // ~0.3 µs a call where V8 does not optimise the caller (the start-up walk makes five a directory).
  // (Variadic and parameterless ones keep the general wrapper.)
  const params = signature.slice(signature.indexOf('(') + 1, signature.lastIndexOf(')')).trim();
  const arity = params === '' || params === 'void' || params.includes('...') ? -1 : params.split(',').length;
  const call = (
    arity === 1
      ? (a: unknown) => bound()(a)
      : arity === 2
        ? (a: unknown, b: unknown) => bound()(a, b)
        : arity === 3
          ? (a: unknown, b: unknown, c: unknown) => bound()(a, b, c)
          : arity === 5
            ? (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => bound()(a, b, c, d, e)
            : (...args: unknown[]) => bound()(...args)
  ) as unknown as F & { async: KoffiFunction['async'] };
  call.async = (...args: unknown[]) => bound().async(...args);
  return call;
}
