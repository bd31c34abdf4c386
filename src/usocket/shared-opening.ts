/**
 * Opening the module link of a UDP socket on first use — bind(), connect() or the first
 * sendto() — once, whoever asks first: concurrent callers share the same opening.
 */
import type { BackendLink } from '../backend.js';

export class SharedOpening {
  #opening: Promise<BackendLink> | null = null;

  /**
   * Starts `open()` unless an opening is running, and resolves with its link. `adopt` gets the
   * link when it arrives and says whether the socket still wants it (false: it is closed).
   */
  open(open: () => Promise<BackendLink>, adopt: (link: BackendLink) => boolean): Promise<BackendLink> {
    if (!this.#opening) {
      const opening = open();
      this.#opening = opening;
      opening.then(
        (link) => {
          if (!adopt(link)) void link.close();
        },
        () => undefined,
      );
      void opening.catch(() => undefined).finally(() => {
        if (this.#opening === opening) this.#opening = null;
      });
    }
    return this.#opening;
  }
}
