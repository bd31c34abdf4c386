/**
 * The module's one TCP server (AT+CIPSERVER). Clients arrive as `<id>,CONNECT`; the owner
 * learns each client's address (CIPSTATE) and queues it here until accept() takes it.
 */
import type { BackendLink, BackendServer } from '../backend.js';
import type { OSError } from '../errors.js';
import type { AtLink } from './at-link.js';

export class AtServer implements BackendServer {
  private readonly queue: AtLink[] = [];
  private failure: OSError | null = null;
  private readonly listeners = new Set<() => void>();
  closed = false;

  constructor(
    readonly port: number,
    private readonly stop: (server: AtServer) => Promise<void>,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  acceptable(): boolean {
    return this.failure !== null || this.queue.length > 0;
  }

  accept(): BackendLink {
    if (this.failure) throw this.failure;
    const link = this.queue.shift();
    if (!link) throw new Error('accept() without a waiting client');
    return link;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const unaccepted = this.queue.splice(0);
    this.changed();
    await this.stop(this);
    await Promise.all(unaccepted.map((link) => link.close()));
  }

  // ---- the engine's side -----------------------------------------------------------------

  enqueue(link: AtLink): void {
    this.queue.push(link);
    this.changed();
  }

  fail(err: OSError): void {
    if (this.failure) return;
    this.failure = err;
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
