/**
 * The state of one usocket socket and the waits on it: its link (or server), where it is bound
 * and connected to, the bytes put back in front of its stream, and the one way every call waits
 * for the link to be ready (waitUntil, timeout.ts). socket.ts is the public method table over it.
 */
import type { Address, Backend, BackendLink, BackendServer, LinkSpec, TlsOptions } from '../backend.js';
import { osError } from '../errors.js';
import type { OSError } from '../errors.js';
import { BackgroundConnect } from './background-connect.js';
import { SOCK_DGRAM, SOCK_STREAM } from './constants.js';
import { hostNamesOf } from './host-names.js';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from './poll-events.js';
import { SocketOptions } from './socket-options.js';
import { ChangeSignal, Deadline, raceDeadline, waitUntil } from './timeout.js';
import type { Timeout } from './timeout.js';
import { SharedOpening } from './shared-opening.js';
import { acceptableOrRefresh, readableOrRefresh } from '../links/readiness.js';

export type SocketState = 'fresh' | 'connecting' | 'connected' | 'listening' | 'closed';

export class SocketCore {
  state: SocketState = 'fresh';
  timeout: Timeout = null;
  link: BackendLink | null = null;
  server: BackendServer | null = null;
  bound: Address | null = null;
  /** UDP: the connect()ed destination. */
  peer: Address | null = null;
  /** TLS settings given by wrapSocket() (ssl.ts); the server name is completed at connect(). */
  tls: TlsOptions = {};
  /** Stream: a connect that may run in the background, and its SO_ERROR. */
  readonly connecting = new BackgroundConnect();
  readonly options = new SocketOptions();
  readonly changed = new ChangeSignal();
  /** UDP: the link is opened on first use. */
  private readonly udpOpening = new SharedOpening();
  /** Bytes read from the link but not yet consumed (readline's look-ahead, a timed-out read). */
  private unread: Uint8Array[] = [];
  /** A stream whose send timed out part-way: every later call raises this (sendWithin). */
  private broken: OSError | null = null;

  constructor(
    readonly backend: Backend,
    readonly type: number,
  ) {}

  /** A deadline `timeout` from now on the back end's clock (timeout.ts). */
  deadline(): Deadline {
    return new Deadline(this.timeout, this.backend.clock);
  }

  /** A method, not a field read, so TypeScript does not narrow it away across awaits. */
  isClosed(): boolean {
    return this.state === 'closed';
  }

  checkOpen(): void {
    if (this.isClosed()) throw osError('EBADF', 'the socket is closed');
  }

  /** Marks the socket closed; returns what it held, for closing. */
  shut(): { link: BackendLink | null; server: BackendServer | null } {
    this.state = 'closed';
    this.connecting.abandon();
    this.unread = [];
    this.changed.fire();
    const held = { link: this.link, server: this.server };
    this.link = null;
    this.server = null;
    return held;
  }

  /** An accepted client's link: connected at once, with the listener's timeout. */
  adopt(link: BackendLink, timeout: Timeout): void {
    this.link = link;
    this.timeout = timeout;
    this.state = 'connected';
  }

  /** The TLS options of a connect to `remote`: SNI defaults to the name getaddrinfo() resolved to it. */
  tlsFor(remote: Address): TlsOptions {
    const serverHostname = this.tls.serverHostname ?? hostNamesOf(this.backend).nameOf(remote.ip);
    return serverHostname === undefined ? this.tls : { ...this.tls, serverHostname };
  }

  /** Starts a stream connect; resolves with its failure, or null once the socket has the link. */
  startConnect(spec: LinkSpec): Promise<OSError | null> {
    this.state = 'connecting';
    return this.connecting.start(this.backend.open(spec), {
      connected: (link) => {
        this.link = link;
        this.state = 'connected';
        return true;
      },
      failed: () => {
        this.state = 'fresh';
      },
      ended: () => this.changed.fire(),
    });
  }

  /** The link, once the socket can do `what` now; applies the timeout rule to the wait. */
  async ready(what: 'read' | 'write', deadline = this.deadline()): Promise<BackendLink> {
    this.checkOpen();
    if (this.broken) throw this.broken;
    if (this.state === 'connecting') {
      await waitUntil(() => this.state !== 'connecting', { sources: [this.changed], deadline });
      this.checkOpen();
    }
    this.connecting.takeError();
    const link = this.link;
    if (!link || (this.type === SOCK_STREAM && this.state !== 'connected')) {
      throw osError('ENOTCONN', this.type === SOCK_DGRAM ? 'bind() or sendto() first' : undefined);
    }
    const ready = what === 'read' ? () => readableOrRefresh(link) : () => link.writable();
    await waitUntil(() => this.state === 'closed' || ready(), { sources: [link, this.changed], deadline });
    this.checkOpen();
    return link;
  }

  async receive(bufsize: number): Promise<{ data: Uint8Array; from: Address | null }> {
    this.checkOpen();
    if (!Number.isInteger(bufsize) || bufsize < 0) throw new RangeError('bufsize must be a non-negative integer');
    const head = this.unread[0];
    if (head) {
      const data = head.subarray(0, bufsize);
      if (data.length === head.length) this.unread.shift();
      else this.unread[0] = head.subarray(data.length);
      return { data, from: this.link?.remote ?? null };
    }
    const deadline = this.deadline();
    for (;;) {
      const link = await this.ready('read', deadline);
      if (bufsize === 0) return { data: new Uint8Array(0), from: link.remote };
      const received = await link.receive(bufsize);
      // null: the readiness was spurious; wait again under the same deadline.
      if (received) return { data: received.data, from: received.from ?? link.remote };
    }
  }

  /**
   * select.poll's view of the socket now (poll.ts): POLLIN when a read or accept() would not wait,
   * POLLOUT when a send would not, POLLERR for a failed link or send, POLLHUP for a stream socket
   * that has no connection (as MicroPython's lwIP sockets report a new one), POLLNVAL once closed.
   */
  readiness(): number {
    if (this.isClosed()) return POLLNVAL;
    if (this.state === 'listening') return this.server && acceptableOrRefresh(this.server) ? POLLIN : 0;
    if (this.broken || this.connecting.failed()) return POLLERR;
    const link = this.link;
    if (!link) {
      if (this.type === SOCK_DGRAM) return POLLOUT; // sendto() opens the link
      return this.state === 'connecting' ? 0 : POLLHUP;
    }
    let ready = 0;
    if (this.unread.length > 0 || readableOrRefresh(link)) ready |= POLLIN;
    if (link.writable()) ready |= POLLOUT;
    if (link.failure) ready |= POLLERR;
    return ready;
  }

  /**
   * Calls `listener` whenever readiness() may have changed: the socket's own events and those of
   * whatever link or server it holds at the time (it follows a link that arrives later).
   */
  watch(listener: () => void): () => void {
    let watched: BackendLink | BackendServer | null = null;
    let offSource: (() => void) | null = null;
    const follow = (): void => {
      const source = this.link ?? this.server;
      if (source === watched) return;
      offSource?.();
      watched = source;
      offSource = source ? source.onChange(listener) : null;
    };
    follow();
    const offCore = this.changed.onChange(() => {
      follow();
      listener();
    });
    return () => {
      offCore();
      offSource?.();
    };
  }

  /** Puts bytes back in front of the receive stream: a list of views, never a concatenation. */
  putBack(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.isClosed()) return;
    this.unread.unshift(bytes);
  }

  async sendDatagram(bytes: Uint8Array, to: Address): Promise<number> {
    await this.udpLink(to);
    const deadline = this.deadline();
    const link = await this.ready('write', deadline);
    return deadline.nonBlocking ? link.send(bytes, to) : this.sendWithin(link.send(bytes, to), deadline, false);
  }

  /**
   * A send under the socket timeout. The module may still be busy with it when the time is up (a
   * CIPSEND waiting for bytes the line lost, a queue behind a slow command): the caller gets
   * ETIMEDOUT at its deadline, and a stream is failed for good — an unknown part of the data may
   * still leave, so a retry could duplicate bytes (peers.md E7). A datagram is just late or lost.
   */
  async sendWithin(sending: Promise<number>, deadline: Deadline, stream: boolean): Promise<number> {
    let finished = false;
    const tracked = sending.finally(() => (finished = true));
    tracked.catch(() => undefined);
    try {
      return await raceDeadline(tracked, deadline);
    } catch (err) {
      if (!finished && stream) {
        this.broken = osError('EIO', 'a send timed out before the module confirmed it: an unknown part of the data was sent', err);
        this.changed.fire();
      }
      throw err;
    }
  }

  /** Opens the UDP link on first use (bind, connect or sendto); concurrent callers share it. */
  async udpLink(firstDestination?: Address): Promise<BackendLink> {
    if (this.link) return this.link;
    const link = await this.udpOpening.open(
      () =>
        this.backend.open({
          kind: 'udp',
          remote: this.peer ?? firstDestination ?? null,
          localPort: this.bound?.port || undefined,
        }),
      (opened) => {
        if (this.isClosed()) return false;
        this.link = opened;
        this.changed.fire();
        return true;
      },
    );
    this.checkOpen();
    return link;
  }
}
