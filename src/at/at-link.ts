/**
 * One ESP-AT link (a CIPMUX=1 link id) as the usocket layer sees it. The link only keeps state;
 * every AT exchange is done by its owner through `LinkIo`, so all commands share one queue.
 *
 * Receive, passive mode (the normal case): the module holds the data and says how much with
 * `+IPD,<id>,<len>` (or CIPRECVLEN); receive() fetches it with CIPRECVDATA. Nothing is lost
 * whatever the application's pace: when the module's window is full, TCP pushes back on the peer.
 * Active mode (firmware without CIPRECVMODE): `+IPD` data is pushed at us and kept here up to
 * ACTIVE_BUFFER_LIMIT bytes; beyond that the link fails with ENOBUFS, since ESP-AT has no
 * other flow control than hardware RTS (peers.md E1).
 */
import type { Address, BackendLink, LinkKind, Received } from '../backend.js';
import { OSError, osError } from '../errors.js';
import { READ_AHEAD_BYTES } from './passive-reader.js';

/** Bytes an active-mode link may hold before it is failed (documented risk). */
export const ACTIVE_BUFFER_LIMIT = 1 << 20;

export interface LinkIo {
  /** CIPRECVDATA for this link: delivers what it got and updates `pending` (passive-reader.ts). */
  fetch(link: AtLink): Promise<void>;
  /** CIPSEND; resolves with the count the module took. */
  transmit(link: AtLink, data: Uint8Array, to?: Address): Promise<number>;
  /** CIPCLOSE (if the module still has the link) and release of the id. */
  release(link: AtLink): Promise<void>;
  /** A reader found nothing: check the module's buffers soon (missed notices, peers.md E2). */
  wantData(link: AtLink): void;
  /** Readers/writers waiting on any link (the owner polls CIPRECVLEN while there are some). */
  waiting(delta: number): void;
  /** The time on the driver's clock (ms). */
  now(): number;
}

export type LinkState = 'open' | 'peer-closed' | 'closed';

export class AtLink implements BackendLink {
  state: LinkState = 'open';
  failure: OSError | null = null;
  /** Bytes the module says it holds for us (passive mode). */
  pending = 0;
  /** When the module last said something about this link's data (a notice, a read): ms on the driver's clock. */
  lastActivityAt = 0;
  private readonly inbox: Received[] = [];
  private inboxBytes = 0;
  private sending = false;
  private fetching: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    /** The module's link id; null once the module has forgotten it. */
    public id: number | null,
    readonly kind: LinkKind,
    public remote: Address | null,
    private readonly io: LinkIo,
    /** UDP: the module-side local port. */
    readonly localPort: number | null = null,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    this.io.waiting(1);
    return () => {
      if (this.listeners.delete(listener)) this.io.waiting(-1);
    };
  }

  readable(): boolean {
    if (this.failure !== null || this.inbox.length > 0) return true;
    // A read is on its way: its data (or its end) will say. Until then a reader waits under its
    // own deadline — a CIPRECVDATA queued behind a slow command must not hold it past its timeout.
    if (this.fetching) return false;
    const ready = this.pending > 0 || this.state !== 'open';
    if (!ready) this.io.wantData(this);
    return ready;
  }

  writable(): boolean {
    return this.failure !== null || this.state !== 'open' || !this.sending;
  }

  /**
   * What is here, without waiting on the module: with nothing here and data in the module, a read
   * is started and null returned (the caller waits for readable() under its own deadline).
   */
  async receive(max: number): Promise<Received | null> {
    if (this.failure) throw this.failure;
    if (this.inbox.length > 0) return this.take(max);
    if (this.fetching) return null;
    if (this.pending > 0 && this.state !== 'closed') {
      this.startFetch();
      return null;
    }
    if (this.state !== 'open') return { data: new Uint8Array(0), from: this.remote };
    return null; // the module had nothing after all: wait again
  }

  /** One CIPRECVDATA (chain) for this link; waiters hear when it ends, data or not. */
  private startFetch(): void {
    const fetching = this.io.fetch(this).finally(() => {
      if (this.fetching === fetching) this.fetching = null;
      this.changed();
    });
    this.fetching = fetching;
    fetching.catch(() => undefined);
  }

  async send(data: Uint8Array, to?: Address): Promise<number> {
    if (this.failure) throw this.failure;
    if (this.state === 'closed') throw osError('EBADF');
    if (this.state === 'peer-closed') throw osError('ENOTCONN', 'the peer closed the connection');
    this.sending = true;
    try {
      return await this.io.transmit(this, data, to);
    } finally {
      this.sending = false;
      this.changed();
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.inbox.length = 0;
    this.inboxBytes = 0;
    this.changed();
    await this.io.release(this);
  }

  // ---- the engine's side -----------------------------------------------------------------

  /** How many `+IPD,<id>,<len>` notices arrived (the owner tells notices before and after a read apart). */
  notices = 0;

  /** `+IPD,<id>,<len>`: the module holds `length` bytes for us. */
  noticed(length: number): void {
    this.notices += 1;
    this.setPending(length);
  }

  /** What the module holds for us, from a notice or CIPRECVLEN. */
  setPending(length: number): void {
    this.pending = length;
    this.lastActivityAt = this.io.now();
    this.changed();
  }

  /** Bytes received and not yet taken by the application. */
  get buffered(): number {
    return this.inboxBytes;
  }

  /** Data fetched with CIPRECVDATA, or pushed by an active-mode `+IPD`. */
  deliver(data: Uint8Array, from: Address | null, active = false): void {
    if (this.state === 'closed' || data.length === 0) return;
    if (active && this.inboxBytes + data.length > ACTIVE_BUFFER_LIMIT) {
      this.fail(osError('ENOBUFS', `more than ${ACTIVE_BUFFER_LIMIT} unread bytes in active receive mode: data was lost`));
      return;
    }
    this.inbox.push({ data, from: from ?? this.remote });
    this.inboxBytes += data.length;
    this.lastActivityAt = this.io.now();
    this.changed();
  }

  /** `<id>,CLOSED` from the module (peer FIN/RST or timeout). */
  peerClosed(): void {
    if (this.state === 'open') this.state = 'peer-closed';
    this.changed();
  }

  fail(err: OSError): void {
    if (this.failure || this.state === 'closed') return;
    this.failure = err;
    this.changed();
  }

  get waiters(): number {
    return this.listeners.size;
  }

  private take(max: number): Received {
    const head = this.inbox[0];
    let taken: Received;
    if (this.kind === 'udp' || head.data.length <= max) {
      this.inbox.shift();
      this.inboxBytes -= head.data.length;
      taken = { data: head.data.subarray(0, max), from: head.from };
    } else {
      this.inbox[0] = { data: head.data.subarray(max), from: head.from };
      this.inboxBytes -= max;
      taken = { data: head.data.subarray(0, max), from: head.from };
    }
    // A chain of reads paused on a full read-ahead buffer goes on once half of it is taken.
    if (this.pending > 0 && this.inboxBytes <= READ_AHEAD_BYTES / 2 && this.state !== 'closed' && !this.fetching) this.startFetch();
    return taken;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
