/**
 * The far ends a transcript shows, stood up on 127.0.0.1 for `copro verify`: a TCP server or a
 * UDP socket per recorded destination, each playing its connections' scripts in order — it
 * sends what the real peer sent once it has received what the real peer had received by then,
 * and closes where the real one closed.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Endpoint } from '../../emulator/network/types.js';
import type { PeerStep, PlannedConnection } from '../transcript/world-plan.js';

export interface StandIn {
  readonly local: Endpoint;
  close(): Promise<void>;
}

/** Plays one connection's steps; `received` is fed with what arrives. */
class ScriptRunner {
  private next = 0;
  private received = 0;
  private needed = 0;

  constructor(
    private readonly steps: readonly PeerStep[],
    private readonly send: (bytes: Uint8Array) => void,
    private readonly close: () => void,
    /** UDP counts datagrams; TCP counts bytes. */
    private readonly unit: 'bytes' | 'datagrams',
  ) {
    this.advance();
  }

  receive(length: number): void {
    this.received += this.unit === 'bytes' ? length : 1;
    this.advance();
  }

  private advance(): void {
    while (this.next < this.steps.length) {
      const step = this.steps[this.next];
      if (step.kind === 'receive') {
        this.needed += this.unit === 'bytes' ? step.length : 1;
        this.next++;
        continue;
      }
      if (this.received < this.needed) return;
      this.next++;
      if (step.kind === 'send') {
        if (step.bytes.length > 0) this.send(step.bytes);
      } else this.close();
    }
  }
}

export async function standUpTcp(connections: readonly PlannedConnection[]): Promise<StandIn> {
  const queue = [...connections];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const plan = queue.shift();
    const runner = new ScriptRunner(plan?.steps ?? [], (bytes) => socket.write(bytes), () => socket.end(), 'bytes');
    socket.on('data', (data: Buffer) => runner.receive(data.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    local: { ip: '127.0.0.1', port },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function standUpUdp(connections: readonly PlannedConnection[]): Promise<StandIn> {
  const socket = dgram.createSocket('udp4');
  let sender: dgram.RemoteInfo | null = null;
  const steps = connections.flatMap((c) => c.steps.filter((s) => s.kind !== 'close'));
  const runner = new ScriptRunner(steps, (bytes) => sender && socket.send(bytes, sender.port, sender.address), () => undefined, 'datagrams');
  socket.on('message', (data, rinfo) => {
    sender = rinfo;
    runner.receive(data.length);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    local: { ip: '127.0.0.1', port: socket.address().port },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
