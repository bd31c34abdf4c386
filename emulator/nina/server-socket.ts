import { MAX_SOCKETS } from '../../firmware-protocol/nina/constants.js';
import type { NetworkStack, VirtualServer } from '../network/types.js';
import { ClientConnection } from './client-connection.js';

/**
 * nina-fw's WiFiServer on one socket number: a listening socket whose clients wait in the accept
 * queue until AVAIL_DATA_TCP hands them a socket number. `ok` is false when the listen failed —
 * START_SERVER_TCP still answers 1 (nina-fw ignores begin()'s result) but GET_STATE_TCP says 0.
 */
export class ServerSocket {
  private readonly pending: ClientConnection[] = [];
  /** Clients already handed out by available() (nina-fw's _spawnedSockets). */
  private readonly spawned: ClientConnection[] = [];

  private constructor(
    readonly port: number,
    private server: VirtualServer | null,
  ) {}

  static async listen(stack: NetworkStack, port: number, onEvent: () => void): Promise<ServerSocket> {
    let socket: ServerSocket | null = null;
    const waiting: ClientConnection[] = [];
    try {
      const server = await stack.listen({
        port,
        onAccept: (link) => {
          const queue = socket === null ? waiting : socket.pending;
          // lwIP's pool bounds how many connections can wait; beyond it they are refused.
          if (queue.length >= MAX_SOCKETS) return false;
          queue.push(new ClientConnection(link, onEvent));
          onEvent();
          return true;
        },
      });
      socket = new ServerSocket(port, server);
      socket.pending.push(...waiting);
      return socket;
    } catch {
      return new ServerSocket(port, null);
    }
  }

  get ok(): boolean {
    return this.server !== null;
  }

  /** Where the host reaches it (for traces). */
  get hostPort(): number | null {
    return this.server?.hostEndpoint.port ?? null;
  }

  /** WiFiServer::accept: the oldest waiting connection, or null. */
  accept(): ClientConnection | null {
    return this.pending.shift() ?? null;
  }

  /** WiFiServer::available: accepts one waiting connection, then returns the first client with data. */
  available(): ClientConnection | null {
    const next = this.pending.shift();
    if (next !== undefined) this.spawned.push(next);
    for (let i = 0; i < this.spawned.length; ) {
      const client = this.spawned[i];
      if (!client.connected()) {
        this.spawned.splice(i, 1);
        continue;
      }
      if (client.available() > 0) return client;
      i++;
    }
    return null;
  }

  /** True when a client waits to be accepted or a handed-out one has data (GPIO0). */
  hasActivity(): boolean {
    return this.pending.length > 0 || this.spawned.some((c) => c.available() > 0);
  }

  /** WiFiServer::write: to every client handed out; the total written. */
  async write(data: Uint8Array): Promise<number> {
    let written = 0;
    for (const client of this.spawned) written += await client.write(data);
    return written;
  }

  /** Stops listening; clients already accepted or waiting are closed with it (module reset, replacement). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const client of this.pending.splice(0)) client.stop();
    await server?.close();
  }
}
