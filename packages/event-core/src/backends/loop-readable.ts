/**
 * A kernel descriptor (inotify, fanotify) waited on by the main thread's own event loop: libuv's epoll
 * watches it and, when it becomes readable, libuv read()s it into our buffer and calls us, as inotifywait's
 * select() + read() does. The other way to wait, a blocking poll() on a helper thread, costs a second
 * wake-up per event (the helper thread, then the main thread): on a VM, where waking an idle vCPU is the
 * dearest step, that was 4–6× the latency of this path for sporadic events.
 *
 * Node has no public API for it: net.Socket refuses a descriptor that is not a pipe, socket or tty. This
 * opens the descriptor as a libuv pipe through `process.binding('pipe_wrap')` — deprecated
 * (DEP0111, documentation-only: a warning only under --pending-deprecation, kept quiet here) and internal,
 * so `open()` returns undefined wherever it is missing or refuses (another runtime, a later Node), and the
 * caller polls on a helper thread as before. Not a duplicate of the descriptor: /proc/PID/fdinfo would show
 * every watch twice, to the bench's and anyone's watch count.
 */

/** What `process.binding('pipe_wrap')` and `('stream_wrap')` give; only the parts used here. */
interface PipeHandle {
  open(fd: number): number;
  useUserBuffer(buffer: Buffer): void;
  readStart(): number;
  readStop(): number;
  close(cb?: () => void): void;
  onread: () => void;
}
interface PipeWrap {
  Pipe: new (type: number) => PipeHandle;
  constants: { SOCKET: number };
}
interface StreamWrap {
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
}

/** libuv's end of file (UV_EOF). */
const UV_EOF = -4095;

function bindings(): { pipe: PipeWrap; stream: StreamWrap } | undefined {
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  if (typeof binding !== 'function') return undefined;
  const quiet = process.noDeprecation;
  process.noDeprecation = true; // --pending-deprecation would print DEP0111 on stderr, which is not ours to change
  try {
    return { pipe: binding.call(process, 'pipe_wrap') as PipeWrap, stream: binding.call(process, 'stream_wrap') as StreamWrap };
  } catch {
    return undefined;
  } finally {
    process.noDeprecation = quiet;
  }
}

export class LoopReadable {
  readonly #handle: PipeHandle;
  /** libuv keeps only a pointer into it (useUserBuffer): held here so that it lives as long as the handle. */
  readonly buffer: Buffer;
  #reading = false;
  #closed = false;

  /**
   * Watches `fd` once start() is called; each read lands at the start of `buffer`, and `onRead` gets its
   * length, 0 for end of file, or -errno (never a read that found nothing). From here on the handle owns `fd`: close() closes it. Undefined
   * (and `fd` left alone) when this runtime cannot do it.
   */
  static open(fd: number, buffer: Buffer, onRead: (n: number) => void): LoopReadable | undefined {
    const b = bindings();
    if (!b || typeof b.pipe?.Pipe !== 'function' || !(b.stream?.streamBaseState instanceof Int32Array)) return undefined;
    try {
      const handle = new b.pipe.Pipe(b.pipe.constants.SOCKET);
      if (typeof handle.useUserBuffer !== 'function' || typeof handle.readStart !== 'function' || handle.open(fd) !== 0) {
        handle.close();
        return undefined;
      }
      handle.useUserBuffer(buffer);
      const state = b.stream.streamBaseState;
      const at = b.stream.kReadBytesOrError;
      handle.onread = () => {
        const n = state[at]!;
        // 0 is libuv's EAGAIN: the fd was readable when epoll looked, but a synchronous read of ours
        // (readAhead, readNow) emptied the queue before libuv's turn came. Nothing happened; libuv waits on.
        if (n !== 0) onRead(n === UV_EOF ? 0 : n);
      };
      return new LoopReadable(handle, buffer);
    } catch {
      return undefined; // a binding that is not what this expects (before open(): the fd is still the caller's)
    }
  }

  private constructor(handle: PipeHandle, buffer: Buffer) {
    this.#handle = handle;
    this.buffer = buffer;
  }

  /** Wait for the descriptor (and read it) in the event loop; also keeps the loop alive. Idempotent. */
  start(): void {
    if (this.#reading || this.#closed) return;
    this.#reading = true;
    this.#handle.readStart();
  }

  /** No more reads until start(); callable from inside onRead. Idempotent. */
  stop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    this.#handle.readStop();
  }

  /** Stops and closes the descriptor (only once nothing else can be reading it). */
  close(): void {
    if (this.#closed) return;
    this.stop();
    this.#closed = true;
    this.#handle.close();
  }
}
