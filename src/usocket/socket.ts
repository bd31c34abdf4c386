/**
 * MicroPython's `usocket.socket`, as a thin table of methods over the back-end primitives
 * (src/backend.ts): argument and state checks here, the socket's state and waits in
 * socket-core.ts. Every wait goes through waitUntil()/raceDeadline() (timeout.ts); every error is
 * an OSError from src/errors.ts. Stream methods (read, readinto, readline, write) are in
 * stream.ts and only use recv/send/unread; options in socket-options.ts.
 */
import type { Backend, LinkKind, TlsOptions } from '../backend.js';
import { osError } from '../errors.js';
import { AF_INET, AF_INET6, IPPROTO_SEC, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM } from './constants.js';
import { parseSockaddr, toSockaddr } from './inet.js';
import type { Sockaddr } from './inet.js';
import { SocketCore } from './socket-core.js';
import { toBytes } from './socket-options.js';
import type { BytesLike } from './socket-options.js';
import { Deadline, checkTimeout, raceDeadline, waitUntil } from './timeout.js';
import type { Timeout } from './timeout.js';
import { readAll, readIntoBuffer, readLine, writeAll } from './stream.js';
import { acceptableOrRefresh } from '../links/readiness.js';

export type { BytesLike } from './socket-options.js';

/**
 * A non-blocking send() hands the back end at most this much: one exchange with the module
 * (CIPSEND takes up to 2048 bytes on every firmware), not a long chain it cannot cut short.
 */
const NON_BLOCKING_SEND_MAX = 2048;

export class Socket {
  readonly family: number;
  readonly type: number;
  #proto: number;
  readonly #core: SocketCore;

  constructor(
    private readonly backend: Backend,
    family = AF_INET,
    type = SOCK_STREAM,
    proto = 0,
  ) {
    if (family !== AF_INET && family !== AF_INET6) throw osError('EAFNOSUPPORT', `address family ${family}`);
    if (family === AF_INET6 && !backend.info.ipv6) throw osError('EAFNOSUPPORT', `${backend.info.name} has no IPv6`);
    if (type !== SOCK_STREAM && type !== SOCK_DGRAM) throw osError('EINVAL', `socket type ${type}`);
    const resolved = proto === 0 ? (type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP) : proto;
    const fits = type === SOCK_STREAM ? resolved === IPPROTO_TCP || resolved === IPPROTO_SEC : resolved === IPPROTO_UDP;
    if (!fits) throw osError('EPROTONOSUPPORT', `protocol ${proto} with socket type ${type}`);
    this.family = family;
    this.type = type;
    this.#proto = resolved;
    this.#core = new SocketCore(backend, type);
  }

  /** IPPROTO_TCP, IPPROTO_UDP, or IPPROTO_SEC (a TLS socket, also after wrapSocket()). */
  get proto(): number {
    return this.#proto;
  }

  // ---- life cycle -------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.#core.isClosed()) return;
    const { link, server } = this.#core.shut();
    await Promise.all([link?.close(), server?.close()]);
  }

  async bind(address: Sockaddr): Promise<void> {
    const core = this.#core;
    core.checkOpen();
    if (core.bound || core.link || core.state !== 'fresh') throw osError('EINVAL', 'the socket is already bound');
    core.bound = parseSockaddr(this.family, address);
    // A bound UDP socket receives at once: open its link now.
    if (this.type === SOCK_DGRAM) await core.udpLink();
  }

  async listen(backlog?: number): Promise<void> {
    const core = this.#core;
    core.checkOpen();
    if (this.type !== SOCK_STREAM) throw osError('EOPNOTSUPP', 'listen() needs a SOCK_STREAM socket');
    if (this.proto === IPPROTO_SEC) throw osError('EOPNOTSUPP', 'TLS servers are not supported');
    if (core.state === 'listening') return;
    if (core.state !== 'fresh') throw osError('EINVAL', 'the socket is connected');
    if (!core.bound || core.bound.port === 0) throw osError('EINVAL', 'bind() the socket to a port before listen()');
    const queue = backlog === undefined ? this.backend.info.maxLinks : Math.max(0, Math.trunc(backlog));
    const server = await this.backend.serve(core.bound.port, queue);
    if (core.isClosed()) {
      await server.close();
      throw osError('EBADF');
    }
    core.server = server;
    core.state = 'listening';
  }

  async accept(): Promise<[Socket, Sockaddr]> {
    const core = this.#core;
    core.checkOpen();
    const server = core.server;
    if (core.state !== 'listening' || !server) throw osError('EINVAL', 'the socket is not listening');
    await waitUntil(() => core.state === 'closed' || acceptableOrRefresh(server), {
      sources: [server, core.changed],
      deadline: core.deadline(),
    });
    core.checkOpen();
    const link = server.accept();
    const conn = new Socket(this.backend, this.family, SOCK_STREAM, this.proto);
    conn.#core.adopt(link, core.timeout);
    return [conn, toSockaddr(link.remote ?? { ip: '0.0.0.0', port: 0 })];
  }

  async connect(address: Sockaddr): Promise<void> {
    const core = this.#core;
    core.checkOpen();
    const remote = parseSockaddr(this.family, address);
    if (this.type === SOCK_DGRAM) {
      core.peer = remote;
      await core.udpLink();
      return;
    }
    core.connecting.takeError();
    if (core.state === 'connected') throw osError('EISCONN');
    if (core.state === 'connecting') throw osError('EALREADY');
    if (core.state === 'listening') throw osError('EINVAL', 'the socket is listening');
    const kind: LinkKind = this.proto === IPPROTO_SEC ? 'tls' : 'tcp';
    if (!this.backend.info.kinds.includes(kind)) throw osError('EOPNOTSUPP', `${this.backend.info.name} cannot open ${kind.toUpperCase()} links`);
    const running = core.startConnect({
      kind,
      remote,
      keepAliveSec: core.options.keepAliveSec || undefined,
      ...(kind === 'tls' ? { tls: core.tlsFor(remote) } : {}),
      ...(core.options.passthrough ? { passthrough: true } : {}),
    });
    const deadline = core.deadline();
    if (deadline.nonBlocking) throw osError('EINPROGRESS');
    let failure: Awaited<typeof running>;
    try {
      failure = await raceDeadline(running, deadline);
    } catch (err) {
      // Timed out: the module may still connect; the link is closed when it does.
      core.state = 'fresh';
      core.connecting.abandon();
      core.changed.fire();
      throw err;
    }
    core.checkOpen();
    if (failure) {
      core.connecting.clearError();
      throw failure;
    }
  }

  // ---- data -------------------------------------------------------------------------------

  async send(data: BytesLike): Promise<number> {
    const bytes = toBytes(data);
    const core = this.#core;
    if (this.type === SOCK_DGRAM) {
      if (!core.peer) throw osError('EDESTADDRREQ', 'connect() the UDP socket or use sendto()');
      return core.sendDatagram(bytes, core.peer);
    }
    const deadline = core.deadline();
    const link = await core.ready('write', deadline);
    if (bytes.length === 0) return 0;
    // Blocking: all of it in one go (the back end pipelines its chunks); non-blocking: one exchange.
    if (deadline.nonBlocking) return link.send(bytes.subarray(0, NON_BLOCKING_SEND_MAX));
    return core.sendWithin(link.send(bytes), deadline, true);
  }

  async sendall(data: BytesLike): Promise<void> {
    const bytes = toBytes(data);
    if (this.type === SOCK_DGRAM) {
      await this.send(bytes);
      return;
    }
    for (let sent = 0; sent < bytes.length; ) sent += await this.send(bytes.subarray(sent));
  }

  async sendto(data: BytesLike, address: Sockaddr): Promise<number> {
    const bytes = toBytes(data);
    if (this.type === SOCK_STREAM) {
      // A connected stream ignores the address (as Linux does); otherwise there is nowhere to send.
      if (this.#core.state !== 'connected') throw osError('ENOTCONN');
      return this.send(bytes);
    }
    this.#core.checkOpen();
    return this.#core.sendDatagram(bytes, parseSockaddr(this.family, address));
  }

  async recv(bufsize: number): Promise<Uint8Array> {
    return (await this.#core.receive(bufsize)).data;
  }

  async recvfrom(bufsize: number): Promise<[Uint8Array, Sockaddr]> {
    const { data, from } = await this.#core.receive(bufsize);
    return [data, toSockaddr(from ?? { ip: '0.0.0.0', port: 0 })];
  }

  // ---- options ----------------------------------------------------------------------------

  setsockopt(level: number, optname: number, value: number | Uint8Array): void {
    const core = this.#core;
    core.checkOpen();
    const fresh = core.state === 'fresh' && core.link === null && !core.connecting.running;
    core.options.set(level, optname, value, { type: this.type, fresh, info: this.backend.info });
  }

  settimeout(value: number | null): void {
    this.#core.checkOpen();
    this.#core.timeout = checkTimeout(value);
  }

  setblocking(flag: boolean): void {
    this.settimeout(flag ? null : 0);
  }

  /** Not in the reference but handy: the current timeout (null = blocking). */
  gettimeout(): Timeout {
    return this.#core.timeout;
  }

  /** MicroPython sockets are streams already: makefile() returns the socket itself. */
  makefile(_mode = 'rb', _buffering = 0): this {
    return this;
  }

  // ---- stream interface (stream.ts) ---------------------------------------------------------

  /** Up to `size` bytes, or to EOF without size; null when non-blocking and nothing is there. */
  read(size?: number): Promise<Uint8Array | null> {
    return readAll(this, size);
  }

  readinto(buf: Uint8Array, nbytes?: number): Promise<number | null> {
    return readIntoBuffer(this, buf, nbytes);
  }

  readline(): Promise<Uint8Array | null> {
    return readLine(this);
  }

  write(buf: BytesLike): Promise<number | null> {
    return writeAll(this, toBytes(buf));
  }

  /**
   * Makes this socket a TLS socket with `tls` (what wrapSocket() does; see ssl.ts). ESP-AT opens
   * a link as TLS or not, so this is possible only before connect().
   */
  useTls(tls: TlsOptions): void {
    const core = this.#core;
    core.checkOpen();
    if (this.type !== SOCK_STREAM) throw osError('EOPNOTSUPP', 'TLS needs a SOCK_STREAM socket');
    if (core.state === 'listening') throw osError('EOPNOTSUPP', 'TLS servers are not supported');
    if (core.state !== 'fresh' || core.link) {
      throw osError('EOPNOTSUPP', 'wrap the socket before connect(): the module cannot start TLS on an open TCP link');
    }
    this.#proto = IPPROTO_SEC;
    core.tls = tls;
  }

  // ---- readiness (select.poll, poll.ts) -------------------------------------------------------

  /** Which of POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL hold now (poll-events.ts). */
  readiness(): number {
    return this.#core.readiness();
  }

  /** A deadline of `timeoutMs` (null: none) on this socket's clock, for a wait over several sockets (poll.ts). */
  deadlineIn(timeoutMs: number | null): Deadline {
    return new Deadline(timeoutMs === null ? null : timeoutMs / 1000, this.backend.clock);
  }

  /** Calls `listener` whenever readiness() may have changed; returns the unsubscribe function. */
  watch(listener: () => void): () => void {
    return this.#core.watch(listener);
  }

  /** Puts bytes back in front of the receive stream (readline's look-ahead, partial timed-out reads). */
  unread(bytes: Uint8Array): void {
    this.#core.putBack(bytes);
  }

  toString(): string {
    const kind = this.type === SOCK_STREAM ? (this.proto === IPPROTO_SEC ? 'tls' : 'tcp') : 'udp';
    return `<socket ${kind} ${this.#core.state}>`;
  }
}
