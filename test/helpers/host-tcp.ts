import * as net from 'node:net';
import { once } from 'node:events';
import { ByteCollector } from './byte-collector.js';
import type { ReadPredicate } from './byte-collector.js';

/** A test's raw TCP host (pyserial `socket://` style), collecting what it receives. */
export interface HostTcp {
  readonly socket: net.Socket;
  readonly collector: ByteCollector;
  write(bytes: string | Uint8Array): Promise<void>;
  readUntil(expected: string | Uint8Array | ReadPredicate, timeoutMs: number): Promise<Buffer>;
  /** Resolves when the peer has closed the connection (bounded by timeoutMs). */
  closedByPeer(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function openHostTcp(port: number, host = '127.0.0.1'): Promise<HostTcp> {
  const socket = net.connect({ port, host });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  const collector = new ByteCollector();
  let ended = false;
  const endWaiters: Array<() => void> = [];
  socket.on('data', (bytes: Buffer) => collector.push(bytes));
  socket.on('error', (err) => collector.end(err));
  socket.on('close', () => {
    ended = true;
    collector.end(new Error('socket closed'));
    for (const resolve of endWaiters.splice(0)) resolve();
  });
  return {
    socket,
    collector,
    write: (bytes) =>
      new Promise<void>((resolve, reject) =>
        socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, (err) => (err ? reject(err) : resolve())),
      ),
    readUntil: (expected, timeoutMs) => collector.readUntil(expected, timeoutMs),
    closedByPeer: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (ended) return resolve();
        const timer = setTimeout(() => reject(new Error(`peer did not close within ${timeoutMs} ms`)), timeoutMs);
        endWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    close: async () => {
      if (ended) return;
      const closed = once(socket, 'close');
      socket.destroy();
      await closed;
    },
  };
}
