import { createServer, connect, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket, type RemoteInfo } from 'node:dgram';
import { Worker } from 'node:worker_threads';
import type { Endpoint, LinkHandlers, StackError } from '../../emulator/network/index.js';
import { parseWorldConfig, type WorldConfig } from '../../emulator/world-config.js';

/** The default world at 1/100 of real time: join ~6 ms, wrong password 40 ms, no AP 25 ms, scan 15 ms. */
export const FAST_WORLD: WorldConfig = parseWorldConfig({ timing: { scale: 0.01 } });

export const LAB = { ssid: 'copro-lab', password: 'labpass123' } as const;

/** Resolves when `condition()` holds; polls every 5 ms and fails after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Things to undo after each test, run in reverse order. */
export class Cleanup {
  private readonly tasks: Array<() => unknown> = [];
  add(task: () => unknown): void {
    this.tasks.push(task);
  }
  async run(): Promise<void> {
    for (const task of this.tasks.splice(0).reverse()) {
      try {
        await task();
      } catch {
        /* cleanup is best effort */
      }
    }
  }
}

/** LinkHandlers that remember everything a link delivered. */
export class LinkRecorder implements LinkHandlers {
  readonly chunks: Array<{ data: Buffer; from: Endpoint }> = [];
  readonly closes: Array<{ reason: 'peer' | 'local' | 'error'; error?: StackError }> = [];
  /** Runs on every close, to observe ordering against other events. */
  onCloseHook: (() => void) | null = null;

  onData(data: Buffer, from: Endpoint): void {
    this.chunks.push({ data, from });
  }
  onClose(reason: 'peer' | 'local' | 'error', error?: StackError): void {
    this.closes.push({ reason, error });
    this.onCloseHook?.();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks.map((chunk) => chunk.data));
  }
  get text(): string {
    return this.bytes.toString('latin1');
  }
  waitForBytes(count: number, timeoutMs = 3000): Promise<void> {
    return waitUntil(() => this.bytes.length >= count, `${count} bytes`, timeoutMs);
  }
  waitForClose(timeoutMs = 3000): Promise<void> {
    return waitUntil(() => this.closes.length > 0, 'onClose', timeoutMs);
  }
}

export interface TestTcpServer {
  readonly server: Server;
  readonly port: number;
  readonly sockets: Socket[];
  close(): Promise<void>;
}

/** A loopback TCP server on an ephemeral port; `onSocket` decides what each client gets. */
export async function startTcpServer(onSocket: (socket: Socket) => void = () => {}): Promise<TestTcpServer> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    server,
    port: address.port,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const echo = (socket: Socket): void => {
  socket.pipe(socket);
};

/** A port that was free a moment ago (bound and released). */
export async function freeTcpPort(): Promise<number> {
  const probe = await startTcpServer();
  await probe.close();
  return probe.port;
}

export interface TestUdpPeer {
  readonly socket: UdpSocket;
  readonly port: number;
  readonly received: Array<{ data: Buffer; from: RemoteInfo }>;
  close(): Promise<void>;
}

/** A loopback UDP peer that records what it receives (and echoes it back when `echoBack`). */
export async function startUdpPeer(echoBack = false, address = '127.0.0.1', port = 0): Promise<TestUdpPeer> {
  const socket = createSocket('udp4');
  const received: TestUdpPeer['received'] = [];
  socket.on('message', (data, from) => {
    received.push({ data, from });
    if (echoBack) socket.send(data, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => resolve());
  });
  return {
    socket,
    port: socket.address().port,
    received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/**
 * A loopback port whose listener never accepts and whose accept queue is full, so a new SYN is dropped
 * and connect() hangs: the only way to exercise a connect timeout without leaving 127.0.0.0/8.
 * The listener lives in a worker thread blocked in Atomics.wait (a bounded 10 s), so its event loop
 * cannot accept; the queue (backlog 1) is filled with connections until one no longer completes.
 */
export async function startBlackholePort(): Promise<{ port: number; close(): Promise<void> }> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const server = require('node:net').createServer();
     server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(workerData, 0, 0, 10000);
       server.close();
       process.exit(0);
     });`,
    { eval: true, workerData: gate },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const fillers: Socket[] = [];
  const completes = (): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      fillers.push(socket);
      socket.on('error', () => {});
      const timer = setTimeout(() => resolve(false), 250);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  let full = false;
  for (let attempt = 0; attempt < 8 && !full; attempt++) full = !(await completes());
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await new Promise((resolve) => worker.once('exit', resolve));
  };
  if (!full) {
    await close();
    throw new Error('could not fill the accept queue');
  }
  return { port, close };
}
