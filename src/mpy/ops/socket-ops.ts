/**
 * The socket module's operations, each a call on one of the driver's usocket sockets
 * (src/usocket/): the arguments arrive as the script gave them and the driver checks them, so
 * every rule (timeouts, errno, stream semantics) is the driver's.
 */
import type { Usocket } from '../../usocket/module.js';
import type { Sockaddr } from '../../usocket/inet.js';
import { poll } from '../../usocket/poll.js';
import type { PollEntry } from '../../usocket/poll.js';
import type { SocketTable } from './socket-table.js';
import type { OpResult, OpTable } from './types.js';

const address = (value: unknown): Sockaddr => value as Sockaddr;
const int = (value: unknown): number => value as number;
const optionalInt = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : int(value));

/** Bytes received, given back to the front of the stream if the script stopped waiting for them. */
function received(table: SocketTable, handle: unknown, data: Uint8Array | null, value?: unknown): OpResult {
  if (data === null) return {};
  const socket = table.socket(handle);
  return { data, value, undo: () => socket.unread(data) };
}

export function socketOps(usocket: Usocket, table: SocketTable): OpTable {
  const bytesOf = (data: Uint8Array | undefined): Uint8Array => data ?? new Uint8Array(0);
  return {
    socket: async ([af, type, proto]) => ({ value: table.add(usocket.socket(int(af), int(type), int(proto))) }),
    close: async ([h]) => {
      await table.close(h);
      return {};
    },
    bind: async ([h, addr]) => {
      await table.socket(h).bind(address(addr));
      return {};
    },
    listen: async ([h, backlog]) => {
      await table.socket(h).listen(optionalInt(backlog));
      return {};
    },
    accept: async ([h]) => {
      const [conn, peer] = await table.socket(h).accept();
      const handle = table.add(conn, peer);
      return { value: [handle, peer], undo: () => void table.close(handle) };
    },
    connect: async ([h, addr]) => {
      const entry = table.entry(h);
      await entry.socket.connect(address(addr));
      entry.peer = address(addr);
      return {};
    },
    settimeout: async ([h, timeout]) => {
      table.socket(h).settimeout(timeout === null ? null : int(timeout));
      return {};
    },
    setsockopt: async ([h, level, name, value]) => {
      table.socket(h).setsockopt(int(level), int(name), Array.isArray(value) ? Uint8Array.from(value as number[]) : int(value));
      return {};
    },
    getaddrinfo: async ([host, port, af, type, proto, flags]) => ({
      value: await usocket.getaddrinfo(host as string, port as number | string, int(af), int(type), int(proto), int(flags)),
    }),
    inet_ntop: async ([af, bin]) => ({ value: usocket.inet_ntop(int(af), Uint8Array.from(bin as number[])) }),
    inet_pton: async ([af, text]) => ({ value: Array.from(usocket.inet_pton(int(af), text as string)) }),
    send: async ([h], data) => ({ value: await table.socket(h).send(bytesOf(data)) }),
    sendall: async ([h], data) => {
      await table.socket(h).sendall(bytesOf(data));
      return { value: bytesOf(data).length };
    },
    sendto: async ([h, addr], data) => ({ value: await table.socket(h).sendto(bytesOf(data), address(addr)) }),
    write: async ([h], data) => ({ value: await table.socket(h).write(bytesOf(data)) }),
    recv: async ([h, size]) => received(table, h, await table.socket(h).recv(int(size))),
    recvfrom: async ([h, size]) => {
      const [data, from] = await table.socket(h).recvfrom(int(size));
      return received(table, h, data, from);
    },
    // MicroPython: read(-1) or read() reads to the end of the stream.
    read: async ([h, size]) => received(table, h, await table.socket(h).read(int(size) < 0 ? undefined : int(size))),
    // readinto has read()'s rules; the worker writes the bytes into the script's buffer.
    readinto: async ([h, size]) => received(table, h, await table.socket(h).read(int(size))),
    readline: async ([h]) => received(table, h, await table.socket(h).readline()),
    poll: async ([asked, timeoutMs]) => {
      const entries: PollEntry[] = (asked as [number, number][]).map(([h, events]) => [table.socket(h), events]);
      const ready = await poll(entries, timeoutMs === null ? null : int(timeoutMs));
      return { value: ready.map(([socket, revents]) => [entries.findIndex(([s]) => s === socket), revents]) };
    },
  };
}
