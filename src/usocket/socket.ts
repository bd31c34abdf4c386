/**
 * MicroPython's `usocket.socket`, as a thin table of methods over the back-end primitives
 * (src/backend.ts). Every wait goes through waitUntil()/raceDeadline() (timeout.ts); every error
 * is an OSError from src/errors.ts. Stream methods (read, readinto, readline, write) are in
 * stream.ts and only use recv/send/unread.
 */
import type { Address, Backend, BackendLink, BackendServer, LinkKind, LinkSpec, TlsOptions } from '../backend.js';
import { OSError, osError } from '../errors.js';
import { AF_INET, AF_INET6, IPPROTO_SEC, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM, SO_BROADCAST, SO_KEEPALIVE, SO_REUSEADDR, SOL_SOCKET } from './constants.js';
import { hostNamesOf } from './host-names.js';
import { parseSockaddr, toSockaddr } from './inet.js';
import type { Sockaddr } from './inet.js';
import { ChangeSignal, Deadline, checkTimeout, raceDeadline, waitUntil } from './timeout.js';
import type { Timeout } from './timeout.js';
import { readAll, readIntoBuffer, readLine, writeAll } from './stream.js';

/** Bytes the socket API accepts: binary buffers, or text (sent as UTF-8). */
export type BytesLike = Uint8Array | string;

type State = 'fresh' | 'connecting' | 'connected' | 'listening' | 'closed';

/** Keep-alive interval used when SO_KEEPALIVE is turned on (seconds). */
const KEEPALIVE_SEC = 60;

function toBytes(data: BytesLike): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return data;
  throw new TypeError('expected bytes (Uint8Array/Buffer) or a string');
}

export class Socket {
  readonly family: number;
  readonly type: number;
  #proto: number;
  /** TLS settings given by wrapSocket() (ssl.ts); the server name is completed at connect(). */
  #tls: TlsOptions = {};

  #timeout: Timeout = null;
  #state: State = 'fresh';
  #link: BackendLink | null = null;
  #linkOpening: Promise<BackendLink> | null = null;
  #server: BackendServer | null = null;
  #bound: Address | null = null;
  /** UDP: the connect()ed destination. */
  #peer: Address | null = null;
  /** A connect running in the background; resolves to its error (null on success). */
  #connecting: Promise<OSError | null> | null = null;
  /** The failure of a background connect, reported by the next operation (like SO_ERROR). */
  #pendingError: OSError | null = null;
  #keepAliveSec = 0;
  /** Bytes read from the link but not yet consumed (readline's look-ahead, a timed-out read). */
  #unread: Uint8Array = new Uint8Array(0);
  readonly #changed = new ChangeSignal();

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
  }

  /** IPPROTO_TCP, IPPROTO_UDP, or IPPROTO_SEC (a TLS socket, also after wrapSocket()). */
  get proto(): number {
    return this.#proto;
  }

  // ---- life cycle -------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#connecting = null;
    this.#unread = new Uint8Array(0);
    this.#changed.fire();
    const link = this.#link;
    const server = this.#server;
    this.#link = null;
    this.#server = null;
    await Promise.all([link?.close(), server?.close()]);
  }

  async bind(address: Sockaddr): Promise<void> {
    this.#checkOpen();
    if (this.#bound || this.#link || this.#state !== 'fresh') throw osError('EINVAL', 'the socket is already bound');
    this.#bound = parseSockaddr(this.family, address);
    // A bound UDP socket receives at once: open its link now.
    if (this.type === SOCK_DGRAM) await this.#udpLink();
  }

  async listen(backlog?: number): Promise<void> {
    this.#checkOpen();
    if (this.type !== SOCK_STREAM) throw osError('EOPNOTSUPP', 'listen() needs a SOCK_STREAM socket');
    if (this.proto === IPPROTO_SEC) throw osError('EOPNOTSUPP', 'TLS servers are not supported');
    if (this.#state === 'listening') return;
    if (this.#state !== 'fresh') throw osError('EINVAL', 'the socket is connected');
    if (!this.#bound || this.#bound.port === 0) throw osError('EINVAL', 'bind() the socket to a port before listen()');
    const queue = backlog === undefined ? this.backend.info.maxLinks : Math.max(0, Math.trunc(backlog));
    this.#server = await this.backend.serve(this.#bound.port, queue);
    if (this.#isClosed()) {
      await this.#server.close();
      throw osError('EBADF');
    }
    this.#state = 'listening';
  }

  async accept(): Promise<[Socket, Sockaddr]> {
    this.#checkOpen();
    const server = this.#server;
    if (this.#state !== 'listening' || !server) throw osError('EINVAL', 'the socket is not listening');
    await waitUntil(() => this.#state === 'closed' || server.acceptable(), {
      sources: [server, this.#changed],
      deadline: new Deadline(this.#timeout),
    });
    this.#checkOpen();
    const link = server.accept();
    const conn = new Socket(this.backend, this.family, SOCK_STREAM, this.proto);
    conn.#adopt(link, this.#timeout);
    return [conn, toSockaddr(link.remote ?? { ip: '0.0.0.0', port: 0 })];
  }

  async connect(address: Sockaddr): Promise<void> {
    this.#checkOpen();
    const remote = parseSockaddr(this.family, address);
    if (this.type === SOCK_DGRAM) {
      this.#peer = remote;
      await this.#udpLink();
      return;
    }
    this.#takePendingError();
    if (this.#state === 'connected') throw osError('EISCONN');
    if (this.#state === 'connecting') throw osError('EALREADY');
    if (this.#state === 'listening') throw osError('EINVAL', 'the socket is listening');
    const kind: LinkKind = this.proto === IPPROTO_SEC ? 'tls' : 'tcp';
    if (!this.backend.info.kinds.includes(kind)) throw osError('EOPNOTSUPP', `${this.backend.info.name} cannot open ${kind.toUpperCase()} links`);
    this.#state = 'connecting';
    const running = this.#startConnect({
      kind,
      remote,
      keepAliveSec: this.#keepAliveSec || undefined,
      ...(kind === 'tls' ? { tls: this.#tlsFor(remote) } : {}),
    });
    const deadline = new Deadline(this.#timeout);
    if (deadline.nonBlocking) throw osError('EINPROGRESS');
    let failure: OSError | null;
    try {
      failure = await raceDeadline(running, deadline);
    } catch (err) {
      // Timed out: the module may still connect; #startConnect closes that link when it does.
      this.#state = 'fresh';
      this.#connecting = null;
      this.#changed.fire();
      throw err;
    }
    this.#checkOpen();
    if (failure) {
      this.#pendingError = null;
      throw failure;
    }
  }

  // ---- data -------------------------------------------------------------------------------

  async send(data: BytesLike): Promise<number> {
    const bytes = toBytes(data);
    if (this.type === SOCK_DGRAM) {
      if (!this.#peer) throw osError('EDESTADDRREQ', 'connect() the UDP socket or use sendto()');
      return this.#sendDatagram(bytes, this.#peer);
    }
    const link = await this.#ready('write');
    if (bytes.length === 0) return 0;
    return link.send(bytes);
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
      if (this.#state !== 'connected') throw osError('ENOTCONN');
      return this.send(bytes);
    }
    this.#checkOpen();
    return this.#sendDatagram(bytes, parseSockaddr(this.family, address));
  }

  async recv(bufsize: number): Promise<Uint8Array> {
    return (await this.#receive(bufsize)).data;
  }

  async recvfrom(bufsize: number): Promise<[Uint8Array, Sockaddr]> {
    const { data, from } = await this.#receive(bufsize);
    return [data, toSockaddr(from ?? { ip: '0.0.0.0', port: 0 })];
  }

  // ---- options ----------------------------------------------------------------------------

  setsockopt(level: number, optname: number, value: number | Uint8Array): void {
    this.#checkOpen();
    const n = typeof value === 'number' ? value : value.length >= 4 ? Buffer.from(value).readInt32LE(0) : value[0] ?? 0;
    if (level === SOL_SOCKET && (optname === SO_REUSEADDR || optname === SO_BROADCAST)) return;
    if (level === SOL_SOCKET && optname === SO_KEEPALIVE) {
      this.#keepAliveSec = n ? KEEPALIVE_SEC : 0;
      return;
    }
    throw osError('EOPNOTSUPP', `socket option ${level}/${optname}`);
  }

  settimeout(value: number | null): void {
    this.#checkOpen();
    this.#timeout = checkTimeout(value);
  }

  setblocking(flag: boolean): void {
    this.settimeout(flag ? null : 0);
  }

  /** Not in the reference but handy: the current timeout (null = blocking). */
  gettimeout(): Timeout {
    return this.#timeout;
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
    this.#checkOpen();
    if (this.type !== SOCK_STREAM) throw osError('EOPNOTSUPP', 'TLS needs a SOCK_STREAM socket');
    if (this.#state === 'listening') throw osError('EOPNOTSUPP', 'TLS servers are not supported');
    if (this.#state !== 'fresh' || this.#link) {
      throw osError('EOPNOTSUPP', 'wrap the socket before connect(): the module cannot start TLS on an open TCP link');
    }
    this.#proto = IPPROTO_SEC;
    this.#tls = tls;
  }

  /** Puts bytes back in front of the receive stream (readline's look-ahead, partial timed-out reads). */
  unread(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.#state === 'closed') return;
    this.#unread = this.#unread.length === 0 ? bytes : Buffer.concat([bytes, this.#unread]);
  }

  toString(): string {
    const kind = this.type === SOCK_STREAM ? (this.proto === IPPROTO_SEC ? 'tls' : 'tcp') : 'udp';
    return `<socket ${kind} ${this.#state}>`;
  }

  // ---- internals --------------------------------------------------------------------------

  /** A method, not a field read, so TypeScript does not narrow it away across awaits. */
  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #checkOpen(): void {
    if (this.#isClosed()) throw osError('EBADF', 'the socket is closed');
  }

  #takePendingError(): void {
    const err = this.#pendingError;
    if (err) {
      this.#pendingError = null;
      throw err;
    }
  }

  /** The TLS options of a connect to `remote`: SNI defaults to the name getaddrinfo() resolved to it. */
  #tlsFor(remote: Address): TlsOptions {
    const serverHostname = this.#tls.serverHostname ?? hostNamesOf(this.backend).nameOf(remote.ip);
    return serverHostname === undefined ? this.#tls : { ...this.#tls, serverHostname };
  }

  #adopt(link: BackendLink, timeout: Timeout): void {
    this.#link = link;
    this.#timeout = timeout;
    this.#state = 'connected';
  }

  #startConnect(spec: LinkSpec): Promise<OSError | null> {
    const running = this.backend.open(spec).then(
      (link) => {
        if (this.#connecting !== running) {
          // closed or timed out meanwhile: nobody owns this link.
          void link.close();
          return null;
        }
        this.#link = link;
        this.#state = 'connected';
        return null;
      },
      (err: unknown) => {
        const failure = err instanceof OSError ? err : osError('EIO', String(err));
        if (this.#connecting === running) {
          this.#state = 'fresh';
          this.#pendingError = failure;
        }
        return failure;
      },
    );
    this.#connecting = running;
    void running.finally(() => {
      if (this.#connecting === running) this.#connecting = null;
      this.#changed.fire();
    });
    return running;
  }

  /** The link, once the socket can do `what` now; applies the timeout rule to the wait. */
  async #ready(what: 'read' | 'write', deadline = new Deadline(this.#timeout)): Promise<BackendLink> {
    this.#checkOpen();
    if (this.#state === 'connecting') {
      await waitUntil(() => this.#state !== 'connecting', { sources: [this.#changed], deadline });
      this.#checkOpen();
    }
    this.#takePendingError();
    const link = this.#link;
    if (!link || (this.type === SOCK_STREAM && this.#state !== 'connected')) {
      throw osError('ENOTCONN', this.type === SOCK_DGRAM ? 'bind() or sendto() first' : undefined);
    }
    const ready = what === 'read' ? () => link.readable() : () => link.writable();
    await waitUntil(() => this.#state === 'closed' || ready(), { sources: [link, this.#changed], deadline });
    this.#checkOpen();
    return link;
  }

  async #receive(bufsize: number): Promise<{ data: Uint8Array; from: Address | null }> {
    this.#checkOpen();
    if (!Number.isInteger(bufsize) || bufsize < 0) throw new RangeError('bufsize must be a non-negative integer');
    if (this.#unread.length > 0) {
      const data = this.#unread.subarray(0, bufsize);
      this.#unread = this.#unread.subarray(data.length);
      return { data, from: this.#link?.remote ?? null };
    }
    const deadline = new Deadline(this.#timeout);
    for (;;) {
      const link = await this.#ready('read', deadline);
      if (bufsize === 0) return { data: new Uint8Array(0), from: link.remote };
      const received = await link.receive(bufsize);
      // null: the readiness was spurious; wait again under the same deadline.
      if (received) return { data: received.data, from: received.from ?? link.remote };
    }
  }

  async #sendDatagram(bytes: Uint8Array, to: Address): Promise<number> {
    await this.#udpLink(to);
    const link = await this.#ready('write');
    return link.send(bytes, to);
  }

  /** Opens the UDP link on first use (bind, connect or sendto); concurrent callers share it. */
  async #udpLink(firstDestination?: Address): Promise<BackendLink> {
    if (this.#link) return this.#link;
    if (!this.#linkOpening) {
      const opening = this.backend.open({
        kind: 'udp',
        remote: this.#peer ?? firstDestination ?? null,
        localPort: this.#bound?.port || undefined,
      });
      this.#linkOpening = opening;
      opening.then(
        (link) => {
          if (this.#state === 'closed') void link.close();
          else {
            this.#link = link;
            this.#changed.fire();
          }
        },
        () => undefined,
      );
      void opening.catch(() => undefined).finally(() => {
        if (this.#linkOpening === opening) this.#linkOpening = null;
      });
    }
    const link = await this.#linkOpening;
    this.#checkOpen();
    return link;
  }
}
