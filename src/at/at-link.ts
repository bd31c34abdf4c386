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
import { osError } from '../errors.js';
import type { OSError } from '../errors.js';
import { ChangeListeners } from '../links/change-listeners.js';
import { LinkInbox } from '../links/link-inbox.js';
import type { LinkState } from '../links/link-state.js';
import type { TraceSink } from './trace.js';
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
  readonly trace?: TraceSink;
}

export type { LinkState } from '../links/link-state.js';

/**
 * Every field here is this link's own: other modules read it and change it only through the
 * methods below (the engine's side), so one file says how each piece of link state moves.
 */
export class AtLink implements BackendLink {
  #state: LinkState = 'open';
  #failure: OSError | null = null;
  #pending = 0;
  #lastActivityAt = 0;
  #notices = 0;
  #id: number | null;
  #remote: Address | null;
  private readonly inbox: LinkInbox;
  private sending = false;
  private fetching: Promise<void> | null = null;
  private readonly listeners: ChangeListeners;

  constructor(
    /** The module's link id. */
    id: number,
    readonly kind: LinkKind,
    remote: Address | null,
    private readonly io: LinkIo,
    /** UDP: the module-side local port. */
    readonly localPort: number | null = null,
  ) {
    this.#id = id;
    this.#remote = remote;
    this.inbox = new LinkInbox(kind === 'udp');
    this.listeners = new ChangeListeners((delta) => io.waiting(delta));
  }

  get state(): LinkState {
    return this.#state;
  }

  get failure(): OSError | null {
    return this.#failure;
  }

  /** The module's link id; null once the module has forgotten it (LinkIds releases it). */
  get id(): number | null {
    return this.#id;
  }

  get remote(): Address | null {
    return this.#remote;
  }

  /** Bytes the module says it holds for us (passive mode). */
  get pending(): number {
    return this.#pending;
  }

  /** When the module last said something about this link's data (a notice, a read): ms on the driver's clock. */
  get lastActivityAt(): number {
    return this.#lastActivityAt;
  }

  /** How many `+IPD,<id>,<len>` notices arrived (the owner tells notices before and after a read apart). */
  get notices(): number {
    return this.#notices;
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * A pure read. A read on its way is not readiness: its data (or its end) will say; until then a
   * reader waits under its own deadline — a CIPRECVDATA queued behind a slow command must not hold
   * it past its timeout.
   */
  readable(): boolean {
    if (this.#failure !== null || this.inbox.size > 0) return true;
    if (this.fetching) return false;
    return this.#pending > 0 || this.#state !== 'open';
  }

  /** A waiter found nothing: the module's buffers are checked soon (missed notices, peers.md E2). */
  refresh(): void {
    if (!this.fetching && !this.readable()) this.io.wantData(this);
  }

  writable(): boolean {
    return this.#failure !== null || this.#state !== 'open' || !this.sending;
  }

  /**
   * What is here, without waiting on the module: with nothing here and data in the module, a read
   * is started and null returned (the caller waits for readable() under its own deadline).
   */
  async receive(max: number): Promise<Received | null> {
    if (this.#failure) throw this.#failure;
    if (this.inbox.size > 0) return this.take(max);
    if (this.fetching) return null;
    if (this.#pending > 0 && this.#state !== 'closed') {
      this.startFetch();
      return null;
    }
    if (this.#state !== 'open') return { data: new Uint8Array(0), from: this.#remote };
    return null; // the module had nothing after all: wait again
  }

  /** One CIPRECVDATA (chain) for this link; waiters hear when it ends, data or not. */
  private startFetch(): void {
    const fetching = this.io.fetch(this).finally(() => {
      if (this.fetching === fetching) this.fetching = null;
      this.changed();
    });
    this.fetching = fetching;
    // Its outcome is the reader's (passive-reader.ts fails the link on a lost read); waiters hear above.
    fetching.catch((err: unknown) => this.io.trace?.(`! read on link ${this.#id ?? '-'} failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  async send(data: Uint8Array, to?: Address): Promise<number> {
    if (this.#failure) throw this.#failure;
    if (this.#state === 'closed') throw osError('EBADF');
    if (this.#state === 'peer-closed') throw osError('ENOTCONN', 'the peer closed the connection');
    this.sending = true;
    try {
      return await this.io.transmit(this, data, to);
    } finally {
      this.sending = false;
      this.changed();
    }
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.inbox.clear();
    this.changed();
    await this.io.release(this);
  }

  // ---- the engine's side -----------------------------------------------------------------

  /** `+IPD,<id>,<len>`: the module holds `length` bytes for us. */
  noticed(length: number): void {
    this.#notices += 1;
    this.setPending(length);
  }

  /** What the module holds for us, from a notice or CIPRECVLEN. */
  setPending(length: number): void {
    this.#pending = length;
    this.#lastActivityAt = this.io.now();
    this.changed();
  }

  /** What a read (or the id's end) leaves in the module by the reader's count (passive-reader.ts). */
  pendingAfterRead(length: number): void {
    this.#pending = length;
  }

  /** The module forgot the id (LinkIds released it): nothing of ours is left there. */
  idReleased(): void {
    this.#id = null;
  }

  /** The peer's address, learned after the link was made (a server client's, from CIPSTATE). */
  learnRemote(remote: Address): void {
    this.#remote = remote;
  }

  /** Bytes received and not yet taken by the application. */
  get buffered(): number {
    return this.inbox.buffered;
  }

  /** Data fetched with CIPRECVDATA, or pushed by an active-mode `+IPD`. */
  deliver(data: Uint8Array, from: Address | null, active = false): void {
    if (this.#state === 'closed' || data.length === 0) return;
    if (active && this.inbox.buffered + data.length > ACTIVE_BUFFER_LIMIT) {
      this.fail(osError('ENOBUFS', `more than ${ACTIVE_BUFFER_LIMIT} unread bytes in active receive mode: data was lost`));
      return;
    }
    this.inbox.push({ data, from: from ?? this.#remote });
    this.#lastActivityAt = this.io.now();
    this.changed();
  }

  /** `<id>,CLOSED` from the module (peer FIN/RST or timeout). */
  peerClosed(): void {
    if (this.#state === 'open') this.#state = 'peer-closed';
    this.changed();
  }

  fail(err: OSError): void {
    if (this.#failure || this.#state === 'closed') return;
    this.#failure = err;
    this.changed();
  }

  get waiters(): number {
    return this.listeners.size;
  }

  private take(max: number): Received {
    const taken = this.inbox.take(max);
    // A chain of reads paused on a full read-ahead buffer goes on once half of it is taken.
    if (this.#pending > 0 && this.inbox.buffered <= READ_AHEAD_BYTES / 2 && this.#state !== 'closed' && !this.fetching) this.startFetch();
    return taken;
  }

  private changed(): void {
    this.listeners.fire();
  }
}
