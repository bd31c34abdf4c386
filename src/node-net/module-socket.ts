/**
 * A `net.Socket` for libraries that take one (http, MQTT.js, ws, ...), over one link of the
 * module: a Duplex whose reads come from `BackendLink.receive()` and whose writes are
 * `BackendLink.send()`, with net.Socket's events, properties and methods on top.
 *
 * Backpressure both ways comes from the stream machinery: `_read()` pumps the link only while the
 * readable side wants data, and waits for it by subscribing to the link (readiness-wait.ts); when
 * the consumer pauses, the pump stops and unsubscribes, the driver stops fetching, the module's
 * buffer fills and its TCP window closes on the peer. `_write()` calls back only once the module
 * took the bytes (SEND OK), so `write()` returns false to a writer faster than the module.
 *
 * What the firmware cannot do is said in docs/driver.md ("Node streams"): no half-close (`end()`
 * flushes and keeps reading; the link closes when the peer ends or the socket is destroyed), a
 * peer's reset reads as its close, `setNoDelay()` has no effect, the local port is not known.
 */
import { Duplex } from 'node:stream';
import type { AddressInfo, Socket as NetSocket, SocketReadyState } from 'node:net';
import type { ClockTimer } from '../../runtime/clock.js';
import type { Address, BackendLink, LinkSpec } from '../backend.js';
import { osError } from '../errors.js';
import { normalizeConnectArgs, targetOf } from './connect-args.js';
import type { ModuleConnectOptions, Target } from './connect-args.js';
import { IdleTimer } from './idle-timer.js';
import { NodeNetError, nodeError, toNodeError } from './node-errors.js';
import { moduleLookup } from './net-context.js';
import type { NetContext } from './net-context.js';
import { ReadinessWait } from './readiness-wait.js';
import { readableOrRefresh } from '../links/readiness.js';

export interface ModuleSocketOptions {
  /** Keep the writable side open after the peer's end (Node's option; see docs: writes then fail). */
  readonly allowHalfOpen?: boolean;
}

/** Largest receive asked of the link at once (what a net.Socket reads per callback, roughly). */
const READ_CHUNK = 64 * 1024;
/** SO_KEEPALIVE when `setKeepAlive(true)` gives no delay: the usocket layer's 60 s. */
const DEFAULT_KEEPALIVE_SEC = 60;
/** ESP-AT's keep_alive range (AT+CIPSTART, seconds). */
const MAX_KEEPALIVE_SEC = 7200;

export class ModuleSocket extends Duplex implements NetSocket {
  readonly #context: NetContext;
  #link: BackendLink | null = null;
  #connecting = false;
  #remote: Address | null = null;
  #localAddress: string | undefined;
  #localPort: number | undefined;
  #keepAliveSec = 0;
  #bytesRead = 0;
  #bytesWritten = 0;
  #wantRead = false;
  #pumping = false;
  #readEnded = false;
  readonly #readWait = new ReadinessWait();
  readonly #writeWait = new ReadinessWait();
  readonly #idle: IdleTimer;
  #connectLimit: ClockTimer | null = null;
  readonly #connected: Promise<BackendLink>;
  #settleConnected!: (link: BackendLink | Error) => void;

  constructor(context: NetContext, options: ModuleSocketOptions = {}) {
    // emitClose is ours: net.Socket's 'close' carries hadError (see _destroy).
    super({ allowHalfOpen: options.allowHalfOpen ?? false, emitClose: false, decodeStrings: true });
    this.#context = context;
    this.#idle = new IdleTimer(context.clock, () => this.emit('timeout'));
    this.#connected = new Promise<BackendLink>((resolve, reject) => {
      this.#settleConnected = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
    });
    this.#connected.catch(() => undefined);
  }

  /** A client the module's server accepted: connected already. */
  static accepted(context: NetContext, link: BackendLink, local: { address: string | undefined; port: number }, options?: ModuleSocketOptions): ModuleSocket {
    const socket = new ModuleSocket(context, options);
    socket.#localAddress = local.address;
    socket.#localPort = local.port;
    socket.#adopt(link);
    return socket;
  }

  // ---- connecting ---------------------------------------------------------------------------

  connect(options: ModuleConnectOptions, connectionListener?: () => void): this;
  connect(port: number, host: string, connectionListener?: () => void): this;
  connect(port: number, connectionListener?: () => void): this;
  connect(path: string, connectionListener?: () => void): this;
  connect(...args: unknown[]): this {
    const { options, listener } = normalizeConnectArgs(args);
    const target = targetOf(options);
    if (options.family === 6) throw nodeError('EAFNOSUPPORT', { syscall: 'connect', address: target.host, port: target.port }, 'the module is used with IPv4 only');
    if (this.#connecting || this.#link) throw Object.assign(new Error('Socket is already connecting or connected'), { code: 'ERR_SOCKET_CONNECTING' });
    if (listener) this.once(this.connectEvent(), listener);
    if (options.timeout !== undefined) this.setTimeout(options.timeout);
    if (options.keepAlive) this.setKeepAlive(true, options.keepAliveInitialDelay);
    this.#connecting = true;
    if (options.connectTimeout !== undefined && options.connectTimeout > 0) this.#limitConnect(target, options.connectTimeout);
    // After this call returns, so setKeepAlive() called right after connect() still reaches CIPSTART.
    queueMicrotask(() => void this.#open(target));
    return this;
  }

  /** The event a connect listener waits for ('secureConnect' on a TLS socket). */
  protected connectEvent(): string {
    return 'connect';
  }

  /** The link to open for `remote`; `host` is what the caller named (a TLS socket's default SNI). */
  protected linkSpec(remote: Address, _host: string): LinkSpec {
    return { kind: 'tcp', remote, keepAliveSec: this.#keepAliveSec || undefined };
  }

  /** Emitted once the link is open: net.Socket's 'connect' then 'ready'. */
  protected announceConnected(): void {
    this.emit('connect');
    this.emit('ready');
  }

  async #open(target: Target): Promise<void> {
    let ip: string | undefined;
    try {
      if (this.destroyed) return;
      ip = await moduleLookup(this.#context.backend, target.host);
      if (ip !== target.host) this.emit('lookup', null, ip, 4, target.host);
      if (this.destroyed) return;
      this.#remote = { ip, port: target.port };
      const link = await this.#context.backend.open(this.linkSpec(this.#remote, target.host));
      const localAddress = this.destroyed ? undefined : await this.#context.station.get();
      if (this.destroyed) {
        // Destroyed (or timed out) while the module connected: release the link at once.
        void link.close();
        return;
      }
      this.#localAddress = localAddress;
      this.#adopt(link);
      this.announceConnected();
      this.#startReading();
    } catch (err) {
      if (this.destroyed) return;
      if (ip === undefined) {
        const failure = toNodeError(err, { syscall: 'getaddrinfo', hostname: target.host });
        this.emit('lookup', failure, undefined, 4, target.host);
        this.destroy(failure);
      } else this.destroy(toNodeError(err, { syscall: 'connect', address: ip, port: target.port }));
    }
  }

  /**
   * As net.Socket once connected: read ahead up to the high-water mark unless paused. A `_read()`
   * that came before the link (a 'data' listener attached at once) is served now.
   */
  #startReading(): void {
    if (this.destroyed) return;
    if (!this.isPaused()) this.read(0);
    this.#pump();
  }

  #adopt(link: BackendLink): void {
    this.#link = link;
    this.#remote = link.remote;
    this.#connecting = false;
    this.#stopConnectLimit();
    this.#settleConnected(link);
    this.#idle.touch();
  }

  #limitConnect(target: Target, ms: number): void {
    this.#connectLimit = this.#context.clock.setTimeout(() => {
      this.#connectLimit = null;
      if (!this.#connecting || this.destroyed) return;
      const cause = osError('ETIMEDOUT', `the module did not connect to ${target.host}:${target.port} within ${ms} ms`);
      this.destroy(new NodeNetError('ETIMEDOUT', { syscall: 'connect', address: this.#remote?.ip ?? target.host, port: target.port }, cause));
    }, ms);
  }

  #stopConnectLimit(): void {
    if (this.#connectLimit) this.#context.clock.clearTimeout(this.#connectLimit);
    this.#connectLimit = null;
  }

  // ---- reading --------------------------------------------------------------------------------

  override _read(): void {
    this.#wantRead = true;
    this.#pump();
  }

  /** Moves data from the link into the stream while the stream wants it (see the file comment). */
  #pump(): void {
    const link = this.#link;
    if (this.#pumping || !link || this.#readEnded || !this.#wantRead || this.destroyed) return;
    this.#pumping = true;
    void this.#pumpLink(link).finally(() => {
      this.#pumping = false;
      // A _read() that came while the loop was finishing found it still running: serve it now.
      this.#pump();
    });
  }

  async #pumpLink(link: BackendLink): Promise<void> {
    try {
      while (this.#wantRead && !this.destroyed) {
        if (!readableOrRefresh(link)) {
          if (!(await this.#readWait.until(link, () => readableOrRefresh(link)))) return;
          continue;
        }
        const received = await link.receive(READ_CHUNK);
        if (this.destroyed) return;
        if (received === null) continue; // the readiness was spurious: wait again
        if (received.data.length === 0) {
          this.#readEnded = true;
          this.push(null);
          return;
        }
        const data = received.data;
        this.#bytesRead += data.length;
        this.#idle.touch();
        this.#wantRead = this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      }
    } catch (err) {
      if (!this.destroyed) this.destroy(toNodeError(err, { syscall: 'read' }));
    }
  }

  // ---- writing --------------------------------------------------------------------------------

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#send(chunk).then(() => callback(), callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    // One send for what queued up meanwhile (http's head and body): fewer exchanges with the module.
    this.#send(chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk))).then(() => callback(), callback);
  }

  async #send(data: Buffer): Promise<void> {
    const link = await this.#connected;
    for (let offset = 0; offset < data.length; ) {
      if (!link.writable() && !(await this.#writeWait.until(link, () => link.writable()))) throw nodeError('ERR_STREAM_DESTROYED', { syscall: 'write' });
      let sent: number;
      try {
        sent = await link.send(data.subarray(offset));
      } catch (err) {
        throw toNodeError(err, { syscall: 'write', address: this.#remote?.ip, port: this.#remote?.port });
      }
      offset += sent;
      this.#bytesWritten += sent;
      this.#idle.touch();
    }
  }

  /** Nothing to do at the module: it has no half-close (reading goes on until the peer ends). */
  override _final(callback: (error?: Error | null) => void): void {
    callback();
  }

  // ---- closing --------------------------------------------------------------------------------

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#readWait.cancel();
    this.#writeWait.cancel();
    this.#idle.stop();
    this.#stopConnectLimit();
    this.#connecting = false;
    this.#settleConnected(error ?? nodeError('ERR_STREAM_DESTROYED', { syscall: 'write' }));
    const link = this.#link;
    void (link ? link.close() : Promise.resolve()).then(() => {
      callback(error);
      // After the 'error' Node emits for `error`, as net.Socket's close(hadError).
      process.nextTick(() => this.emit('close', Boolean(error)));
    });
  }

  /** Ends the writable side, then destroys once it is flushed (what http calls on a spent socket). */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /** ESP-AT and nina-fw cannot send a reset: the link is closed (FIN) instead. */
  resetAndDestroy(): this {
    return this.destroy();
  }

  // ---- options --------------------------------------------------------------------------------

  setTimeout(timeout: number, callback?: () => void): this {
    this.#idle.set(timeout);
    if (callback) {
      if (timeout === 0) this.off('timeout', callback);
      else this.once('timeout', callback);
    }
    return this;
  }

  get timeout(): number | undefined {
    return this.#idle.timeoutMs || undefined;
  }

  /** Accepted; no effect: the module decides (ESP-AT's AT+CIPTCPOPT is not in copro's firmware model). */
  setNoDelay(_noDelay?: boolean): this {
    return this;
  }

  /** Honoured when called before the module connects (CIPSTART's keep_alive); accepted afterwards. */
  setKeepAlive(enable = false, initialDelay = 0): this {
    if (this.#link) return this;
    const seconds = initialDelay > 0 ? Math.ceil(initialDelay / 1000) : DEFAULT_KEEPALIVE_SEC;
    this.#keepAliveSec = enable ? Math.min(MAX_KEEPALIVE_SEC, seconds) : 0;
    return this;
  }

  /** The serial port, not the socket, keeps the process alive: nothing to (un)reference. */
  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  address(): AddressInfo | Record<string, never> {
    if (!this.#link || this.#localAddress === undefined) return {};
    return { address: this.#localAddress, family: 'IPv4', port: this.#localPort ?? 0 };
  }

  // ---- properties -----------------------------------------------------------------------------

  get connecting(): boolean {
    return this.#connecting;
  }

  get pending(): boolean {
    return this.#link === null;
  }

  get readyState(): SocketReadyState {
    if (this.#connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }

  /** The peer, once connected (and after the close, as net.Socket keeps it once read). */
  get remoteAddress(): string | undefined {
    return this.#link ? this.#remote?.ip : undefined;
  }

  get remotePort(): number | undefined {
    return this.#link ? this.#remote?.port : undefined;
  }

  get remoteFamily(): string | undefined {
    return this.#link ? 'IPv4' : undefined;
  }

  get localAddress(): string | undefined {
    return this.#link ? this.#localAddress : undefined;
  }

  /** Known for a server's clients (the server's port); ESP-AT and nina-fw do not report a client's. */
  get localPort(): number | undefined {
    return this.#link ? this.#localPort : undefined;
  }

  get localFamily(): string | undefined {
    return this.#link ? 'IPv4' : undefined;
  }

  /** Bytes delivered to the stream. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Bytes the module took (SEND OK / the count nina-fw returned). */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  get bufferSize(): number {
    return this.writableLength;
  }

  get autoSelectFamilyAttemptedAddresses(): string[] {
    return this.#remote ? [`${this.#remote.ip}:${this.#remote.port}`] : [];
  }
}
