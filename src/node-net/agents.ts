/**
 * http and https Agents whose connections are the module's, so `http.get(url, { agent })`,
 * `https.request(...)` and every client built on them (fetch-style libraries that take an agent)
 * run over the coprocessor. Pooling, keep-alive and queueing stay Node's; only the sockets differ.
 * By default at most as many connections as the module has links are open at once
 * (`maxTotalSockets`), so a burst of requests queues in the agent instead of failing with ENFILE.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import type { Backend } from '../backend.js';
import type { ModuleConnectOptions } from './connect-args.js';
import type { ModuleSocket } from './module-socket.js';
import type { ModuleTlsConnectOptions } from './tls-options.js';
import type { ModuleTlsSocket } from './tls-socket.js';

/** What an agent needs of an opened coprocessor (`open()`'s result has it). */
export interface ModuleConnector {
  readonly backend: Backend;
  createConnection(options: ModuleConnectOptions): ModuleSocket;
  tlsConnect(options: ModuleTlsConnectOptions): ModuleTlsSocket;
}

const CONNECT_KEYS = ['port', 'host', 'family', 'timeout', 'keepAlive', 'keepAliveInitialDelay', 'noDelay', 'allowHalfOpen', 'connectTimeout'] as const;
const TLS_KEYS = ['servername', 'rejectUnauthorized', 'ca', 'cert', 'key', 'ALPNProtocols'] as const;

type TlsKey = (typeof TLS_KEYS)[number];
type TlsFields = Pick<ModuleTlsConnectOptions, TlsKey>;

/** The defined entries of `source` under `keys` (http hands the agent its request options, agent options merged in). */
function pick<K extends string>(source: object, keys: readonly K[]): Partial<Record<K, unknown>> {
  const picked: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const value = (source as Partial<Record<K, unknown>>)[key];
    if (value !== undefined && value !== null) picked[key] = value;
  }
  return picked;
}

export class HttpAgent extends http.Agent {
  readonly #module: ModuleConnector;

  constructor(module: ModuleConnector, options: http.AgentOptions & { connectTimeout?: number } = {}) {
    super({ maxTotalSockets: module.backend.info.maxLinks, ...options });
    this.#module = module;
  }

  override createConnection(options: http.ClientRequestArgs): Duplex {
    return this.#module.createConnection(pick(options, CONNECT_KEYS) as ModuleConnectOptions);
  }
}

/**
 * `ca`, `cert` and `key` are entries of the module's certificate store (numbers), as for
 * `tlsConnect()`; they may be given here for every connection of the agent.
 */
export class HttpsAgent extends https.Agent {
  readonly #module: ModuleConnector;
  readonly #tls: TlsFields;

  constructor(module: ModuleConnector, options: http.AgentOptions & TlsFields & { connectTimeout?: number } = {}) {
    const { servername, rejectUnauthorized, ca, cert, key, ALPNProtocols, ...agentOptions } = options;
    super({ maxTotalSockets: module.backend.info.maxLinks, ...agentOptions });
    this.#module = module;
    this.#tls = pick({ servername, rejectUnauthorized, ca, cert, key, ALPNProtocols }, TLS_KEYS) as TlsFields;
  }

  override createConnection(options: https.RequestOptions): Duplex {
    const connect = pick(options, CONNECT_KEYS) as ModuleConnectOptions;
    const tls = pick(options, TLS_KEYS) as TlsFields;
    // The agent's own settings win over a request's, as Node merges an agent's options.
    return this.#module.tlsConnect({ ...connect, ...tls, ...this.#tls });
  }
}
