/**
 * The far end of the driver benchmarks — "the internet" the emulated module talks to — in its
 * own process, so its work is not counted against the driver's or the emulator's. Loopback only.
 * Speaks JSON lines like module-peer.ts: commands on stdin, events on stdout.
 *
 * First event: {"event":"ready","ports":{"sink":P,"source":P,"echo":P,"accept":P,"udpSink":P,"udpEcho":P,"http":P}}.
 *
 *   sink     TCP: counts what each connection sends; {"cmd":"sink","bytes":N} arms the next
 *            measurement: {"event":"sunk","bytes":N,"at":T} once connections have delivered N
 *            bytes in all (T = Date.now() of the last byte); {"cmd":"sink-count"} →
 *            {"event":"sink-count","bytes":B,"at":T} (what arrived so far, and when last).
 *   source   TCP: each connection is sent bytes once the client has sent its first byte (a request,
 *            as HTTP would): {"cmd":"source","bytes":N} sets how many (default 0 = endless, until
 *            the client closes), then the server closes its side.
 *   echo     TCP echo.
 *   accept   TCP: accepts and keeps the connection until the client closes it.
 *   udpSink  UDP: counts datagrams; {"cmd":"udp-count"} → {"event":"udp-count","datagrams":D,"bytes":B}
 *            and resets the count.
 *   udpEcho  UDP: sends every datagram back to its sender.
 *   http     HTTP/1.1 (keep-alive): every request is answered 200 with HTTP_BODY_BYTES of body.
 */
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as net from 'node:net';
import * as readline from 'node:readline';
import { benchPattern } from '../lib/host-port.js';

const HOST = '127.0.0.1';
/** Source writes: large enough to keep the kernel busy, small enough to honour backpressure. */
const SOURCE_CHUNK = 64 * 1024;
/** The http port's answer: a small document, so a request's cost is the protocol's, not the bytes'. */
export const HTTP_BODY_BYTES = 256;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function listenTcp(onClient: (socket: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    onClient(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return server;
}

async function bindUdp(onMessage: (socket: dgram.Socket, message: Buffer, from: dgram.RemoteInfo) => void): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, from) => onMessage(socket, message, from));
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  return socket;
}

/** Writes `total` bytes (endless when 0) honouring backpressure, then ends the connection. */
function pour(socket: net.Socket, total: number): void {
  const pattern = benchPattern(SOURCE_CHUNK);
  let left = total === 0 ? Number.POSITIVE_INFINITY : total;
  const more = (): void => {
    while (left > 0 && !socket.destroyed) {
      const n = Math.min(SOURCE_CHUNK, left);
      left -= n;
      if (!socket.write(n === SOURCE_CHUNK ? pattern : pattern.subarray(0, n))) {
        socket.once('drain', more);
        return;
      }
    }
    if (left <= 0) socket.end();
  };
  more();
}

async function main(): Promise<void> {
  let sinkTarget = 0;
  let sunk = 0;
  let sunkAt = 0;
  let sourceBytes = 0;
  let udpDatagrams = 0;
  let udpBytes = 0;

  const sink = await listenTcp((socket) =>
    socket.on('data', (chunk: Buffer) => {
      sunk += chunk.length;
      sunkAt = Date.now();
      if (sinkTarget > 0 && sunk >= sinkTarget) {
        emit({ event: 'sunk', bytes: sunk, at: sunkAt });
        sinkTarget = 0;
      }
    }),
  );
  const source = await listenTcp((socket) => {
    const total = sourceBytes;
    socket.once('data', () => {
      socket.resume(); // the rest of what the client sends is ignored
      pour(socket, total);
    });
  });
  const echo = await listenTcp((socket) => socket.pipe(socket));
  const accept = await listenTcp((socket) => socket.resume());
  const udpSink = await bindUdp((_socket, message) => {
    udpDatagrams += 1;
    udpBytes += message.length;
  });
  const udpEcho = await bindUdp((socket, message, from) => socket.send(message, from.port, from.address));
  const body = benchPattern(HTTP_BODY_BYTES);
  const web = http.createServer({ keepAlive: true }, (_request, response) => response.end(body));
  await new Promise<void>((resolve) => web.listen(0, HOST, resolve));

  const port = (server: net.Server | http.Server): number => (server.address() as net.AddressInfo).port;
  emit({
    event: 'ready',
    ports: {
      sink: port(sink),
      source: port(source),
      echo: port(echo),
      accept: port(accept),
      udpSink: udpSink.address().port,
      udpEcho: udpEcho.address().port,
      http: port(web),
    },
  });

  const lines = readline.createInterface({ input: process.stdin });
  for await (const text of lines) {
    const command = JSON.parse(text) as { cmd: string; bytes?: number };
    if (command.cmd === 'quit') break;
    if (command.cmd === 'sink') {
      sunk = 0;
      sunkAt = 0;
      sinkTarget = command.bytes ?? 0;
      emit({ event: 'sinking' });
    } else if (command.cmd === 'sink-count') {
      emit({ event: 'sink-count', bytes: sunk, at: sunkAt });
    } else if (command.cmd === 'source') {
      sourceBytes = command.bytes ?? 0;
      emit({ event: 'sourcing' });
    } else if (command.cmd === 'udp-count') {
      emit({ event: 'udp-count', datagrams: udpDatagrams, bytes: udpBytes });
      udpDatagrams = 0;
      udpBytes = 0;
    }
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
