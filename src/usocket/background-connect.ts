/**
 * A stream connect() that may outlive the call that started it: non-blocking connect
 * (EINPROGRESS) and a timed-out connect leave the module to finish. Its outcome is kept like
 * SO_ERROR — a failure is reported once, by the socket's next operation — and a link that
 * arrives when nobody wants it any more is closed at once.
 */
import type { BackendLink } from '../backend.js';
import { OSError, osError } from '../errors.js';

export interface ConnectOutcome {
  /** The socket still wants this connect's link: it takes it (returns true) or refuses it. */
  connected(link: BackendLink): boolean;
  /** The connect failed while the socket still waited for it. */
  failed(failure: OSError): void;
  /** The connect ended, either way (the socket fires its change signal). */
  ended(): void;
}

export class BackgroundConnect {
  #running: Promise<OSError | null> | null = null;
  #pendingError: OSError | null = null;

  get running(): boolean {
    return this.#running !== null;
  }

  /** Starts `opening`; resolves with its failure, or null once the socket has the link. */
  start(opening: Promise<BackendLink>, outcome: ConnectOutcome): Promise<OSError | null> {
    const running: Promise<OSError | null> = opening.then(
      (link) => {
        // Closed or timed out meanwhile: nobody owns this link.
        if (this.#running !== running || !outcome.connected(link)) void link.close();
        return null;
      },
      (err: unknown) => {
        const failure = err instanceof OSError ? err : osError('EIO', String(err));
        if (this.#running === running) {
          this.#pendingError = failure;
          outcome.failed(failure);
        }
        return failure;
      },
    );
    this.#running = running;
    void running.finally(() => {
      if (this.#running === running) this.#running = null;
      outcome.ended();
    });
    return running;
  }

  /** The socket gave up on the connect (closed, timed out): its link will be closed when it comes. */
  abandon(): void {
    this.#running = null;
  }

  /** A failure waits to be reported (select.poll shows it as POLLERR). */
  failed(): boolean {
    return this.#pendingError !== null;
  }

  /** Throws (once) the failure of a connect that ended in the background. */
  takeError(): void {
    const err = this.#pendingError;
    if (err) {
      this.#pendingError = null;
      throw err;
    }
  }

  /** The failure was reported to the call that waited for it. */
  clearError(): void {
    this.#pendingError = null;
  }
}
