/**
 * Node's own networking over the module: `createConnection()`/`connect()` (net), `tlsConnect()`
 * (tls), `createServer()` (net), `createSocket()` (dgram), bound to one coprocessor's back end,
 * plus the http/https Agents (agents.ts). `open()` puts these functions on the Coprocessor.
 * docs/driver.md "Node streams" says which net.Socket members behave how.
 */
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import type { Backend } from '../backend.js';
import { normalizeConnectArgs, targetOf } from './connect-args.js';
import type { ModuleConnectOptions } from './connect-args.js';
import { ModuleDgramSocket } from './dgram-socket.js';
import type { RemoteInfo } from './dgram-socket.js';
import { ModuleServer } from './module-server.js';
import type { ModuleServerOptions } from './module-server.js';
import { ModuleSocket } from './module-socket.js';
import type { NetContext } from './net-context.js';
import { StationAddress } from './station-address.js';
import { moduleTlsOptions } from './tls-options.js';
import type { ModuleTlsConnectOptions } from './tls-options.js';
import { ModuleTlsSocket, tlsConnectArgs } from './tls-socket.js';

export interface CreateConnection {
  (options: ModuleConnectOptions, connectionListener?: () => void): ModuleSocket;
  (port: number, host?: string, connectionListener?: () => void): ModuleSocket;
  (port: number, connectionListener?: () => void): ModuleSocket;
  /** IPC paths do not exist on a module: throws (typed for drop-in use where net.createConnection is expected). */
  (path: string, connectionListener?: () => void): ModuleSocket;
}

export interface TlsConnect {
  (options: ModuleTlsConnectOptions, secureConnectListener?: () => void): ModuleTlsSocket;
  (port: number, host?: string, options?: ModuleTlsConnectOptions, secureConnectListener?: () => void): ModuleTlsSocket;
  (port: number, options?: ModuleTlsConnectOptions, secureConnectListener?: () => void): ModuleTlsSocket;
}

export interface CreateServer {
  (connectionListener?: (socket: ModuleSocket) => void): ModuleServer;
  (options?: ModuleServerOptions, connectionListener?: (socket: ModuleSocket) => void): ModuleServer;
}

export type DgramType = 'udp4' | 'udp6' | { type: 'udp4' | 'udp6' };

/** The functions `open()` adds to a Coprocessor. */
export interface NodeNet {
  /** `net.createConnection()` over the module. */
  readonly createConnection: CreateConnection;
  /** The same, as `net.connect()`. */
  readonly connect: CreateConnection;
  /** `tls.connect()` over the module's TLS. */
  readonly tlsConnect: TlsConnect;
  /** `net.createServer()` over the module's server. */
  readonly createServer: CreateServer;
  /** `dgram.createSocket('udp4')` over a UDP link of the module. */
  createSocket(type: DgramType, listener?: (message: Buffer, rinfo: RemoteInfo) => void): ModuleDgramSocket;
}

export interface NodeNetOptions {
  /** Timers of setTimeout() and connectTimeout (default: the back end's clock; tests pass a manual clock). */
  readonly clock?: Clock;
}

export function nodeNet(backend: Backend, options: NodeNetOptions = {}): NodeNet {
  const context: NetContext = { backend, clock: options.clock ?? backend.clock ?? systemClock, station: new StationAddress(backend.wlan) };

  function createConnection(options: ModuleConnectOptions, listener?: () => void): ModuleSocket;
  function createConnection(port: number, host?: string, listener?: () => void): ModuleSocket;
  function createConnection(port: number, listener?: () => void): ModuleSocket;
  function createConnection(path: string, listener?: () => void): ModuleSocket;
  function createConnection(...args: unknown[]): ModuleSocket {
    const { options, listener } = normalizeConnectArgs(args);
    targetOf(options); // bad arguments throw here, before a socket exists
    return new ModuleSocket(context, { allowHalfOpen: options.allowHalfOpen }).connect(options, listener);
  }

  function tlsConnect(options: ModuleTlsConnectOptions, listener?: () => void): ModuleTlsSocket;
  function tlsConnect(port: number, host?: string, options?: ModuleTlsConnectOptions, listener?: () => void): ModuleTlsSocket;
  function tlsConnect(port: number, options?: ModuleTlsConnectOptions, listener?: () => void): ModuleTlsSocket;
  function tlsConnect(...args: unknown[]): ModuleTlsSocket {
    const { options, listener } = tlsConnectArgs(args);
    moduleTlsOptions(options, targetOf(options).host); // bad TLS options throw here, as Node's do
    return new ModuleTlsSocket(context, options).connect(options, listener);
  }

  function createServer(listener?: (socket: ModuleSocket) => void): ModuleServer;
  function createServer(options?: ModuleServerOptions, listener?: (socket: ModuleSocket) => void): ModuleServer;
  function createServer(first?: ModuleServerOptions | ((socket: ModuleSocket) => void), listener?: (socket: ModuleSocket) => void): ModuleServer {
    return typeof first === 'function' ? new ModuleServer(context, {}, first) : new ModuleServer(context, first, listener);
  }

  return {
    createConnection,
    connect: createConnection,
    tlsConnect,
    createServer,
    createSocket: (type, listener) => new ModuleDgramSocket(context, type, listener),
  };
}

export { HttpAgent, HttpsAgent } from './agents.js';
export type { ModuleConnector } from './agents.js';
export type { ModuleConnectOptions } from './connect-args.js';
export { ModuleDgramSocket } from './dgram-socket.js';
export type { RemoteInfo } from './dgram-socket.js';
export { ModuleServer } from './module-server.js';
export type { ModuleListenOptions, ModuleServerOptions } from './module-server.js';
export { ModuleSocket } from './module-socket.js';
export { NodeNetError } from './node-errors.js';
export { ModuleTlsSocket } from './tls-socket.js';
export type { ModuleTlsConnectOptions } from './tls-options.js';
