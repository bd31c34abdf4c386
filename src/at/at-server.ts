/**
 * The module's one TCP server (AT+CIPSERVER). Clients arrive as `<id>,CONNECT`; the owner
 * learns each client's address (CIPSTATE) and queues it here until accept() takes it
 * (src/links/accept-queue.ts, shared with the NINA back end).
 */
import type { BackendLink, BackendServer } from '../backend.js';
import type { OSError } from '../errors.js';
import { AcceptQueue } from '../links/accept-queue.js';
import type { AtLink } from './at-link.js';

export class AtServer implements BackendServer {
  private readonly clients = new AcceptQueue<AtLink>();
  private closedNow = false;

  constructor(
    readonly port: number,
    private readonly stop: (server: AtServer) => Promise<void>,
  ) {}

  get closed(): boolean {
    return this.closedNow;
  }

  onChange(listener: () => void): () => void {
    return this.clients.listeners.add(listener);
  }

  acceptable(): boolean {
    return this.clients.acceptable();
  }

  accept(): BackendLink {
    return this.clients.accept();
  }

  async close(): Promise<void> {
    if (this.closedNow) return;
    this.closedNow = true;
    const unaccepted = this.clients.takeUnaccepted();
    await this.stop(this);
    await Promise.all(unaccepted.map((link) => link.close()));
  }

  // ---- the engine's side -----------------------------------------------------------------

  enqueue(link: AtLink): void {
    this.clients.enqueue(link);
  }

  fail(err: OSError): void {
    this.clients.fail(err);
  }
}
