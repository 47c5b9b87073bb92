/**
 * inotifywatch's signal behaviour, in two phases.
 *
 * Setting up watches: the first SIGINT only explains that nothing has been collected yet; the second
 * gives up (exit 1). SIGTERM and SIGHUP keep their default action (no listener), as upstream.
 * Collecting: SIGINT, SIGTERM and SIGHUP end collection (the table is printed, exit 0); SIGUSR1 prints
 * the table and collection goes on.
 *
 * SIGUSR1 has a listener from the start: without one Node would open its inspector. Upstream dies of a
 * SIGUSR1 that arrives during setup; here it is ignored.
 */
export interface CollectingHandlers {
  /** SIGINT, SIGTERM, SIGHUP. */
  finish(signal: NodeJS.Signals): void;
  /** SIGUSR1. */
  snapshot(): void;
}

const SETUP_FIRST =
  "No statistics have been collected because I haven't finished establishing\n" +
  'inotify watches yet.  If you are sure you want me to exit, interrupt me again.\n';
const SETUP_SECOND = 'No statistics collected, asked to abort before all watches could be established.\n';

export class SignalPhases {
  readonly #writeErr: (text: string) => void;
  #interrupts = 0;
  #listeners: Array<[NodeJS.Signals, () => void]> = [];

  constructor(writeErr: (text: string) => void) {
    this.#writeErr = writeErr;
  }

  /** From program start until watches are established. */
  setup(): void {
    this.#replace([
      ['SIGINT', () => this.#impatient()],
      ['SIGUSR1', () => undefined],
    ]);
  }

  collecting(handlers: CollectingHandlers): void {
    this.#replace([
      ['SIGINT', () => handlers.finish('SIGINT')],
      ['SIGTERM', () => handlers.finish('SIGTERM')],
      ['SIGHUP', () => handlers.finish('SIGHUP')],
      ['SIGUSR1', () => handlers.snapshot()],
    ]);
  }

  /** Stops reacting (further signals are absorbed while the final table is written). */
  ending(): void {
    this.#replace(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1'].map((s) => [s as NodeJS.Signals, () => undefined]));
  }

  #impatient(): void {
    this.#interrupts += 1;
    if (this.#interrupts === 1) {
      this.#writeErr(SETUP_FIRST);
      return;
    }
    this.#writeErr(SETUP_SECOND);
    process.exit(1);
  }

  #replace(listeners: Array<[NodeJS.Signals, () => void]>): void {
    // New listeners first: between removing a signal's last listener and adding one, the OS-level default
    // action (termination) would be back.
    for (const [signal, listener] of listeners) process.on(signal, listener);
    for (const [signal, listener] of this.#listeners) process.off(signal, listener);
    this.#listeners = listeners;
  }
}
