/**
 * A server's side of accept(), the same for every back end: clients that arrived and wait for
 * accept(), the failure that ends the server, and who waits on it. The back end's server adds
 * clients (enqueue) and decides how they are found (ESP-AT: `<id>,CONNECT`; NINA: polling).
 */
import type { BackendLink } from '../backend.js';
import type { OSError } from '../errors.js';
import { ChangeListeners } from './change-listeners.js';

export class AcceptQueue<L extends BackendLink> {
  private readonly queue: L[] = [];
  private failureOf: OSError | null = null;
  readonly listeners: ChangeListeners;

  constructor(waiting?: (delta: number) => void) {
    this.listeners = new ChangeListeners(waiting);
  }

  get failure(): OSError | null {
    return this.failureOf;
  }

  /** A client waits, or the server failed (accept() would throw). */
  acceptable(): boolean {
    return this.failureOf !== null || this.queue.length > 0;
  }

  /** The oldest waiting client; throws the failure when the server died. */
  accept(): L {
    if (this.failureOf) throw this.failureOf;
    const link = this.queue.shift();
    if (!link) throw new Error('accept() without a waiting client');
    return link;
  }

  enqueue(link: L): void {
    this.queue.push(link);
    this.listeners.fire();
  }

  fail(err: OSError): void {
    if (this.failureOf) return;
    this.failureOf = err;
    this.listeners.fire();
  }

  /** The server closes: the clients nobody accepted, to be closed by the caller. */
  takeUnaccepted(): L[] {
    const unaccepted = this.queue.splice(0);
    this.listeners.fire();
    return unaccepted;
  }
}
