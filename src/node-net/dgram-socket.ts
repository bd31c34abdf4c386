/**
 * A `dgram.Socket` (udp4) over one UDP link of the module: `bind()` opens the link on a local
 * port of the module, `send()` is one datagram per module send (to an address, or the connected
 * peer), `'message'` carries each datagram received with its `rinfo`, `close()` releases the
 * link. Unbound sockets are bound at their first send or connect, as Node's are.
 *
 * The module's limits: IPv4 only; a datagram is at most one module send (ESP-AT: 8192 / 2048
 * bytes, nina-fw 1500: EMSGSIZE); no multicast membership; the bind address is the module's own.
 * ESP8266 AT 1.7 does not report the sender: rinfo there is the link's destination.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { BackendLink } from '../backend.js';
import { isOSError, osError } from '../errors.js';
import { checkPort } from './connect-args.js';
import { bindArgs, sendArgs } from './dgram-args.js';
import type { DatagramMessage, SendCallback } from './dgram-args.js';
import { moduleLookup } from './net-context.js';
import type { NetContext } from './net-context.js';
import { nodeError, toNodeError } from './node-errors.js';
import { ReadinessWait } from './readiness-wait.js';
import { readableOrRefresh } from '../links/readiness.js';

export interface RemoteInfo {
  readonly address: string;
  readonly family: 'IPv4';
  readonly port: number;
  readonly size: number;
}

/** The largest datagram asked of the link (the module's own limits are lower). */
const MAX_DATAGRAM = 65535;
/** Ports picked for bind(0): the ephemeral range both back ends use for UDP. */
const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65000;
/** bind(0): other ports tried when the module says one is taken. */
const BIND_ATTEMPTS = 5;

let nextEphemeral = EPHEMERAL_FIRST + Math.floor(Math.random() * 10000);

function ephemeralPort(): number {
  const port = nextEphemeral;
  nextEphemeral = port >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
  return port;
}

type DgramState = 'unbound' | 'binding' | 'bound' | 'closed';

export class ModuleDgramSocket extends EventEmitter {
  readonly #context: NetContext;
  #state: DgramState = 'unbound';
  #link: BackendLink | null = null;
  #binding: Promise<BackendLink> | null = null;
  #local: { address: string; port: number } | null = null;
  #peer: { ip: string; port: number } | null = null;
  /** Sends leave one at a time, in call order. */
  #sending: Promise<unknown> = Promise.resolve();
  readonly #receiveWait = new ReadinessWait();
  readonly #sendWait = new ReadinessWait();

  constructor(context: NetContext, type: 'udp4' | 'udp6' | { type: 'udp4' | 'udp6' }, listener?: (message: Buffer, rinfo: RemoteInfo) => void) {
    super();
    this.#context = context;
    const family = typeof type === 'string' ? type : type.type;
    if (family !== 'udp4') throw nodeError('EAFNOSUPPORT', { syscall: 'bind' }, `${family}: the module is used with IPv4 only`);
    if (listener) this.on('message', listener);
  }

  bind(port?: number, address?: string, callback?: () => void): this;
  bind(port?: number, callback?: () => void): this;
  bind(callback?: () => void): this;
  bind(options: { port?: number; address?: string; exclusive?: boolean }, callback?: () => void): this;
  bind(...args: unknown[]): this {
    const { port, address, callback } = bindArgs(args);
    if (this.#state !== 'unbound') throw Object.assign(new Error('Socket is already bound'), { code: 'ERR_SOCKET_ALREADY_BOUND' });
    const wanted = checkPort(port, true);
    if (callback) this.once('listening', callback);
    this.#startBinding(wanted, address).catch((err: Error) => this.emit('error', err));
    return this;
  }

  /** Opens the link (once); 'listening' when it is there. A failed bind leaves the socket unbound. */
  #startBinding(port: number, address?: string): Promise<BackendLink> {
    if (this.#binding) return this.#binding;
    this.#state = 'binding';
    const binding = this.#openLink(port).then(({ link, localPort }) => {
      if (this.#state === 'closed') {
        void link.close();
        throw nodeError('ERR_SOCKET_DGRAM_NOT_RUNNING', { syscall: 'bind' });
      }
      this.#link = link;
      this.#state = 'bound';
      this.#local = { address: address ?? '0.0.0.0', port: localPort };
      this.emit('listening');
      void this.#receiveAll(link);
      return link;
    });
    this.#binding = binding;
    binding.catch(() => {
      if (this.#binding !== binding) return;
      this.#binding = null;
      if (this.#state === 'binding') this.#state = 'unbound';
    });
    return binding;
  }

  /** The link on `port`, or on a free ephemeral port of the module for 0. */
  async #openLink(port: number): Promise<{ link: BackendLink; localPort: number }> {
    const attempts = port === 0 ? BIND_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      const localPort = port === 0 ? ephemeralPort() : port;
      try {
        return { link: await this.#context.backend.open({ kind: 'udp', remote: null, localPort }), localPort };
      } catch (err) {
        if (attempt >= attempts || !isOSError(err, 'EADDRINUSE')) throw toNodeError(err, { syscall: 'bind', address: '0.0.0.0', port: localPort });
      }
    }
  }

  /** The link, binding to a port of the module's choosing first if needed (Node's implicit bind). */
  #ready(): Promise<BackendLink> {
    if (this.#state === 'closed') return Promise.reject(nodeError('ERR_SOCKET_DGRAM_NOT_RUNNING', { syscall: 'send' }));
    return this.#link ? Promise.resolve(this.#link) : this.#startBinding(0);
  }

  async #receiveAll(link: BackendLink): Promise<void> {
    try {
      while (this.#link === link) {
        if (!readableOrRefresh(link) && !(await this.#receiveWait.until(link, () => readableOrRefresh(link)))) return;
        const received = await link.receive(MAX_DATAGRAM);
        if (this.#link !== link) return;
        if (received === null) continue;
        if (received.data.length === 0) return; // the link is gone
        const from = received.from ?? link.remote ?? { ip: '0.0.0.0', port: 0 };
        // A connected socket hears its peer only, as the kernel filters for a connected UDP socket.
        if (this.#peer && (from.ip !== this.#peer.ip || from.port !== this.#peer.port)) continue;
        const data = Buffer.from(received.data.buffer, received.data.byteOffset, received.data.byteLength);
        this.emit('message', data, { address: from.ip, family: 'IPv4', port: from.port, size: data.length } satisfies RemoteInfo);
      }
    } catch (err) {
      if (this.#link === link) this.emit('error', toNodeError(err, { syscall: 'recv' }));
    }
  }

  send(message: DatagramMessage, offset: number, length: number, port?: number, address?: string, callback?: SendCallback): void;
  send(message: DatagramMessage, port?: number, address?: string, callback?: SendCallback): void;
  send(message: DatagramMessage, port?: number, callback?: SendCallback): void;
  send(message: DatagramMessage, callback?: SendCallback): void;
  send(...args: unknown[]): void {
    const { data, port, address, callback } = sendArgs(args, this.#peer !== null);
    // A bad port throws at the call, as Node's send() does.
    const remotePort = this.#peer ? null : checkPort(port);
    const sending = this.#sending.then(async () => {
      const link = await this.#ready();
      const to = this.#peer ?? { ip: await this.#lookup(address ?? '127.0.0.1'), port: remotePort ?? 0 };
      try {
        if (!link.writable() && !(await this.#sendWait.until(link, () => link.writable()))) throw osError('EBADF');
        return await link.send(data, to);
      } catch (err) {
        throw toNodeError(err, { syscall: 'send', address: to.ip, port: to.port });
      }
    });
    this.#sending = sending.catch(() => undefined);
    sending.then(
      (bytes) => callback?.(null, bytes),
      (err: Error) => (callback ? callback(err, 0) : this.emit('error', err)),
    );
  }

  /** Sets the default destination; only its datagrams are received from then on. */
  connect(port: number, address?: string | (() => void), callback?: () => void): void {
    const listener = typeof address === 'function' ? address : callback;
    const host = typeof address === 'string' ? address : '127.0.0.1';
    if (this.#peer) throw Object.assign(new Error('Already connected'), { code: 'ERR_SOCKET_DGRAM_IS_CONNECTED' });
    const remotePort = checkPort(port);
    if (listener) this.once('connect', listener);
    void (async () => {
      await this.#ready();
      this.#peer = { ip: await this.#lookup(host), port: remotePort };
      this.emit('connect');
    })().catch((err: unknown) => this.emit('error', toNodeError(err, { syscall: 'connect', address: host, port: remotePort })));
  }

  async #lookup(host: string): Promise<string> {
    try {
      return await moduleLookup(this.#context.backend, host);
    } catch (err) {
      throw toNodeError(err, { syscall: 'getaddrinfo', hostname: host });
    }
  }

  disconnect(): void {
    if (!this.#peer) throw Object.assign(new Error('Not connected'), { code: 'ERR_SOCKET_DGRAM_NOT_CONNECTED' });
    this.#peer = null;
  }

  close(callback?: () => void): this {
    if (this.#state === 'closed') throw nodeError('ERR_SOCKET_DGRAM_NOT_RUNNING', { syscall: 'close' });
    if (callback) this.once('close', callback);
    this.#state = 'closed';
    this.#receiveWait.cancel();
    this.#sendWait.cancel();
    const link = this.#link;
    this.#link = null;
    void (link ? link.close() : Promise.resolve()).then(() => this.emit('close'));
    return this;
  }

  address(): AddressInfo {
    if (!this.#local) throw nodeError('ERR_SOCKET_DGRAM_NOT_RUNNING', { syscall: 'bind' });
    return { address: this.#local.address, family: 'IPv4', port: this.#local.port };
  }

  remoteAddress(): AddressInfo {
    if (!this.#peer) throw Object.assign(new Error('Not connected'), { code: 'ERR_SOCKET_DGRAM_NOT_CONNECTED' });
    return { address: this.#peer.ip, family: 'IPv4', port: this.#peer.port };
  }

  /** Accepted: ESP-AT and nina-fw send to a broadcast address without being asked. */
  setBroadcast(_flag: boolean): void {}

  /** Accepted, no effect: the module sets the TTL. */
  setTTL(ttl: number): number {
    return ttl;
  }

  /** The module joins no multicast group over AT or nina-fw commands. */
  addMembership(_group: string, _iface?: string): void {
    throw nodeError('EOPNOTSUPP', { syscall: 'bind' }, 'the module has no multicast membership command');
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

}
