/**
 * The loopback peers a soak talks to through its virtual modules, all on 127.0.0.1 (port 0):
 *   - TCP echo: returns every byte it gets (both directions checked at once);
 *   - TCP source: reads a 12-byte request (length, seed), sends that many bytes of the seeded
 *     stream, then ends — the host knows what must arrive without sending it;
 *   - TCP sink: reads a 4-byte length, then that many bytes, and answers with their sha256 (32
 *     bytes): what the peer really got, so an upload is checked where it landed;
 *   - UDP echo: answers every datagram with the datagram.
 * Everything is closed by close().
 */
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { SeededRandom } from '../emulator/faults/prng.js';

export interface SoakPeers {
  readonly echo: number;
  readonly source: number;
  readonly sink: number;
  readonly udp: number;
  close(): Promise<void>;
}

/** The bytes the source sends for (length, seed): anyone can compute them again. */
export function seededBytes(length: number, seed: number): Buffer {
  const random = new SeededRandom(seed);
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 4) {
    const word = random.nextUint32();
    for (let k = 0; k < 4 && i + k < length; k++) out[i + k] = (word >>> (8 * k)) & 0xff;
  }
  return out;
}

/** A source request: length and seed, 12 bytes (a magic word keeps garbage from asking for gigabytes). */
export function sourceRequest(length: number, seed: number): Buffer {
  const request = Buffer.alloc(12);
  request.writeUInt32BE(0x50304b31, 0);
  request.writeUInt32BE(length, 4);
  request.writeUInt32BE(seed >>> 0, 8);
  return request;
}

/** Largest transfer a peer agrees to (a corrupted request must not make it send forever). */
const MAX_TRANSFER = 1 << 20;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function tcpServer(onClient: (socket: Socket) => void): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onClient(socket);
  });
  return { server, sockets };
}

/** Reads exactly `n` header bytes, then hands the header and the rest of the stream on. */
function withHeader(socket: Socket, n: number, onHeader: (header: Buffer, rest: Buffer) => void): void {
  let got = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    got = Buffer.concat([got, chunk]);
    if (got.length < n) return;
    socket.off('data', onData);
    onHeader(got.subarray(0, n), got.subarray(n));
  };
  socket.on('data', onData);
}

function sourceClient(socket: Socket): void {
  withHeader(socket, 12, (header) => {
    const length = header.readUInt32BE(4);
    if (header.readUInt32BE(0) !== 0x50304b31 || length > MAX_TRANSFER) {
      socket.destroy();
      return;
    }
    socket.end(seededBytes(length, header.readUInt32BE(8)));
  });
}

function sinkClient(socket: Socket): void {
  withHeader(socket, 4, (header, rest) => {
    const length = header.readUInt32BE(0);
    if (length > MAX_TRANSFER) {
      socket.destroy();
      return;
    }
    const hash = createHash('sha256');
    let left = length;
    const take = (chunk: Buffer): void => {
      const part = chunk.subarray(0, left);
      hash.update(part);
      left -= part.length;
      if (left === 0) {
        socket.off('data', take);
        socket.end(hash.digest());
      }
    };
    socket.on('data', take);
    if (rest.length > 0) take(rest);
    else if (left === 0) take(Buffer.alloc(0));
  });
}

export async function startPeers(): Promise<SoakPeers> {
  const echo = tcpServer((socket) => socket.pipe(socket));
  const source = tcpServer(sourceClient);
  const sink = tcpServer(sinkClient);
  const udp = createSocket('udp4');
  udp.on('message', (message, from) => udp.send(message, from.port, from.address));
  udp.on('error', () => undefined);
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const tcp = [echo, source, sink];
  const [echoPort, sourcePort, sinkPort] = await Promise.all(tcp.map((t) => listen(t.server)));
  return {
    echo: echoPort,
    source: sourcePort,
    sink: sinkPort,
    udp: udp.address().port,
    async close() {
      for (const t of tcp) for (const socket of t.sockets) socket.destroy();
      await Promise.all(tcp.map((t) => new Promise<void>((resolve) => t.server.close(() => resolve()))));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}
