/**
 * The driver's sockets the script holds, by the handle its Python socket objects carry. An entry
 * also remembers where the socket is connected: a wrap_socket() after connect() reopens the link
 * as TLS to that peer (tls-ops.ts).
 */
import { osError } from '../../errors.js';
import type { Sockaddr } from '../../usocket/inet.js';
import type { Socket } from '../../usocket/socket.js';

export interface SocketEntry {
  socket: Socket;
  /** Set once connect() (or accept()) succeeded. */
  peer: Sockaddr | null;
}

export class SocketTable {
  private nextHandle = 1;
  private readonly entries = new Map<number, SocketEntry>();

  add(socket: Socket, peer: Sockaddr | null = null): number {
    const handle = this.nextHandle++;
    this.entries.set(handle, { socket, peer });
    return handle;
  }

  /** The entry of `handle`; EBADF once the script closed it. */
  entry(handle: unknown): SocketEntry {
    const entry = typeof handle === 'number' ? this.entries.get(handle) : undefined;
    if (!entry) throw osError('EBADF', 'the socket is closed');
    return entry;
  }

  socket(handle: unknown): Socket {
    return this.entry(handle).socket;
  }

  /** Forgets `handle`; its socket is closed. Closing twice is fine (MicroPython's close() is). */
  async close(handle: unknown): Promise<void> {
    const entry = typeof handle === 'number' ? this.entries.get(handle) : undefined;
    if (!entry) return;
    this.entries.delete(handle as number);
    await entry.socket.close();
  }

  async closeAll(): Promise<void> {
    const sockets = [...this.entries.values()].map((entry) => entry.socket);
    this.entries.clear();
    await Promise.all(sockets.map((socket) => socket.close()));
  }
}
