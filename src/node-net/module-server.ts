/**
 * `net.createServer()` over the module's server (ESP-AT's AT+CIPSERVER, nina-fw's
 * START_SERVER_TCP): `listen(port)`, a `'connection'` event with a ModuleSocket for each client,
 * `close()` that stops listening and emits `'close'` once every connection has ended, as Node's.
 *
 * The module's limits stay visible: one server at a time on ESP-AT (a second `listen()` is
 * EOPNOTSUPP), its clients count against the module's links, there is no port 0 (the module needs
 * a port to listen on: EINVAL), and the server listens on the module's address only.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { BackendServer } from '../backend.js';
import { osError } from '../errors.js';
import { checkPort } from './connect-args.js';
import { ModuleSocket } from './module-socket.js';
import type { NetContext } from './net-context.js';
import { toNodeError } from './node-errors.js';
import { ReadinessWait } from './readiness-wait.js';
import { acceptableOrRefresh } from '../links/readiness.js';

export interface ModuleServerOptions {
  readonly allowHalfOpen?: boolean;
  /** Clients start paused (no reading until `resume()`), as Node's option. */
  readonly pauseOnConnect?: boolean;
}

export interface ModuleListenOptions {
  readonly port?: number | string;
  /** Accepted and ignored: the module listens on its own address. */
  readonly host?: string;
  /** Clients the module accepts at once (ESP-AT CIPSERVERMAXCONN, 1..5); default: all its links. */
  readonly backlog?: number;
}

type ServerState = 'idle' | 'starting' | 'listening' | 'closed';

export class ModuleServer extends EventEmitter {
  /** Clients beyond this many are closed at once (Node's property). */
  maxConnections: number | undefined;
  readonly #context: NetContext;
  readonly #options: ModuleServerOptions;
  #state: ServerState = 'idle';
  #server: BackendServer | null = null;
  #port = 0;
  #localAddress: string | undefined;
  readonly #connections = new Set<ModuleSocket>();
  readonly #wait = new ReadinessWait();
  /** The module's server is stopped (close() finished with it). */
  #stopped = false;
  #closeEmitted = false;

  constructor(context: NetContext, options: ModuleServerOptions = {}, connectionListener?: (socket: ModuleSocket) => void) {
    super();
    this.#context = context;
    this.#options = options;
    if (connectionListener) this.on('connection', connectionListener);
  }

  listen(port?: number | string, host?: string, backlog?: number, listener?: () => void): this;
  listen(port?: number | string, host?: string, listener?: () => void): this;
  listen(port?: number | string, listener?: () => void): this;
  listen(options: ModuleListenOptions, listener?: () => void): this;
  listen(...args: unknown[]): this {
    const listener = args.find((a): a is () => void => typeof a === 'function');
    const first = args[0];
    const options: ModuleListenOptions =
      first !== null && typeof first === 'object'
        ? (first as ModuleListenOptions)
        : { port: first as number | string | undefined, backlog: args.find((a, i) => i > 0 && typeof a === 'number') as number | undefined };
    if (this.#state !== 'idle') throw Object.assign(new Error('Listen method has been called more than once without closing.'), { code: 'ERR_SERVER_ALREADY_LISTEN' });
    const port = checkPort(options.port ?? 0, true);
    if (listener) this.once('listening', listener);
    this.#state = 'starting';
    this.#port = port;
    void this.#start(port, options.backlog);
    return this;
  }

  async #start(port: number, backlog: number | undefined): Promise<void> {
    const context = { syscall: 'listen' as const, address: '0.0.0.0', port };
    try {
      if (port === 0) throw osError('EINVAL', "the module's server needs a port to listen on (port 0 is not supported)");
      const server = await this.#context.backend.serve(port, backlog ?? this.#context.backend.info.maxLinks);
      const localAddress = await this.#context.station.get();
      if (this.#state !== 'starting') {
        // close() came while the module started listening.
        await server.close();
        return;
      }
      this.#server = server;
      this.#localAddress = localAddress;
      this.#state = 'listening';
      this.emit('listening');
      void this.#acceptAll(server);
    } catch (err) {
      this.#state = 'idle';
      // Never within listen() itself: as Node's, the error comes after the caller could listen for it.
      process.nextTick(() => this.emit('error', toNodeError(err, context)));
    }
  }

  /** Takes every client the module accepts while listening, and hands each out as a socket. */
  async #acceptAll(server: BackendServer): Promise<void> {
    while (this.#server === server) {
      if (!(await this.#wait.until(server, () => acceptableOrRefresh(server)))) return;
      if (this.#server !== server) return;
      let socket: ModuleSocket;
      try {
        const link = server.accept();
        if (this.maxConnections !== undefined && this.#connections.size >= this.maxConnections) {
          void link.close();
          continue;
        }
        socket = ModuleSocket.accepted(this.#context, link, { address: this.#localAddress, port: this.#port }, this.#options);
      } catch (err) {
        // The server died with the module (reset, port closed): say so, and stop as close() would.
        this.emit('error', toNodeError(err, { syscall: 'listen', address: '0.0.0.0', port: this.#port }));
        this.close();
        return;
      }
      this.#connections.add(socket);
      socket.once('close', () => {
        this.#connections.delete(socket);
        this.#emitCloseWhenDone();
      });
      if (this.#options.pauseOnConnect) socket.pause();
      this.emit('connection', socket);
      if (!this.#options.pauseOnConnect) socket.read(0);
    }
  }

  /** Stops listening; `'close'` follows once every connection has ended (Node's rule). */
  close(callback?: (err?: Error) => void): this {
    if (this.#state === 'idle' || this.#state === 'closed') {
      const err = Object.assign(new Error('Server is not running.'), { code: 'ERR_SERVER_NOT_RUNNING' });
      if (callback) process.nextTick(() => callback(err));
      return this;
    }
    if (callback) this.once('close', () => callback());
    this.#state = 'closed';
    this.#wait.cancel();
    const server = this.#server;
    this.#server = null;
    void (server ? server.close() : Promise.resolve()).then(() => this.#emitCloseWhenDone(true));
    return this;
  }

  #emitCloseWhenDone(stopped = false): void {
    if (stopped) this.#stopped = true;
    if (!this.#stopped || this.#connections.size > 0 || this.#closeEmitted) return;
    this.#closeEmitted = true;
    this.emit('close');
  }

  get listening(): boolean {
    return this.#state === 'listening';
  }

  /** The module's address and the port it listens on; null when not listening. */
  address(): AddressInfo | null {
    if (this.#state !== 'listening') return null;
    return { address: this.#localAddress ?? '0.0.0.0', family: 'IPv4', port: this.#port };
  }

  getConnections(callback: (err: Error | null, count: number) => void): this {
    const count = this.#connections.size;
    process.nextTick(() => callback(null, count));
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}
