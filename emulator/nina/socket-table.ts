import { MAX_SOCKETS, NO_SOCKET } from '../../firmware-protocol/nina/constants.js';
import type { ClientConnection } from './client-connection.js';
import type { ServerSocket } from './server-socket.js';
import { UdpSocket } from './udp-socket.js';

/** nina-fw's `socketTypes[]` values. */
export const SocketType = Object.freeze({ TCP: 0x00, UDP: 0x01, TLS: 0x02, FREE: 0xff } as const);
export type SocketTypeValue = (typeof SocketType)[keyof typeof SocketType];

/**
 * The firmware's per-socket-number arrays, kept the way nina-fw keeps them so its quirks follow by
 * construction: `types[n]` says what socket n is (255 = free, which GET_SOCKET looks for), while the
 * TCP client, TLS client, UDP socket and server objects of number n live on independently — freeing
 * the number (GET_CLIENT_STATE_TCP on a dead socket, STOP_CLIENT_TCP on a server) does not stop a
 * server that still listens there, exactly as in nina-fw.
 */
export class SocketTable {
  readonly types: SocketTypeValue[] = new Array<SocketTypeValue>(MAX_SOCKETS).fill(SocketType.FREE);
  /** TCP (type 0) and TLS (type 2) clients; nina-fw keeps two arrays, one object per number is enough here. */
  readonly clients: (ClientConnection | null)[] = new Array<ClientConnection | null>(MAX_SOCKETS).fill(null);
  readonly udps: UdpSocket[] = Array.from({ length: MAX_SOCKETS }, () => new UdpSocket());
  readonly servers: (ServerSocket | null)[] = new Array<ServerSocket | null>(MAX_SOCKETS).fill(null);

  /** GET_SOCKET: the first free number (not reserved: peers.md N4), or 255. */
  firstFree(except?: number): number {
    for (let n = 0; n < MAX_SOCKETS; n++) {
      if (n !== except && this.types[n] === SocketType.FREE) return n;
    }
    return NO_SOCKET;
  }

  /** Puts a client on number n, stopping whatever client held it (nina-fw would leak that lwIP socket). */
  setClient(n: number, client: ClientConnection, type: SocketTypeValue): void {
    const old = this.clients[n];
    if (old !== null && old !== client) old.stop();
    this.clients[n] = client;
    this.types[n] = type;
  }

  /** Which number holds `client`, or -1. */
  numberOf(client: ClientConnection): number {
    return this.clients.indexOf(client);
  }

  /** Module reset: every socket and server closed, every number free. */
  async closeAll(): Promise<void> {
    for (let n = 0; n < MAX_SOCKETS; n++) {
      this.types[n] = SocketType.FREE;
      this.clients[n]?.stop();
      this.clients[n] = null;
      this.udps[n].stop();
    }
    const servers = this.servers.splice(0, MAX_SOCKETS, ...new Array<ServerSocket | null>(MAX_SOCKETS).fill(null));
    await Promise.all(servers.map((server) => server?.close()));
  }
}
