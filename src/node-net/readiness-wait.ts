/**
 * Waiting on a back-end link or server without polling: subscribe to its `onChange`, check the
 * condition on every notification, unsubscribe as soon as it holds or the wait is cancelled. While
 * subscribed the back end knows someone waits and keeps the module's state fresh (ESP-AT: reads,
 * CIPRECVLEN polls; NINA: AVAIL_DATA_TCP polls); once nobody waits it stops — which is how a
 * paused stream stops the module's passive reads.
 */
import type { Readiness } from '../backend.js';

export class ReadinessWait {
  private cancelCurrent: (() => void) | null = null;

  /** Resolves true once `ready()` holds, false if cancel() came first. */
  until(source: Readiness, ready: () => boolean): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (outcome: boolean): void => {
        if (done) return;
        done = true;
        off();
        if (this.cancelCurrent === cancel) this.cancelCurrent = null;
        resolve(outcome);
      };
      const cancel = (): void => finish(false);
      const off = source.onChange(() => {
        if (ready()) finish(true);
      });
      this.cancelCurrent = cancel;
      // A change between the first check and the subscription is not announced again.
      if (ready()) finish(true);
    });
  }

  /** Ends the wait in progress (its promise resolves false). */
  cancel(): void {
    this.cancelCurrent?.();
  }
}
