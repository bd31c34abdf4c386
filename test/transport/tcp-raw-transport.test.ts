import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_ALREADY_ATTACHED_LINE, openTcpTransport } from '../../emulator/transport/tcp-transport.js';
import type { TcpTransport } from '../../emulator/transport/tcp-transport.js';
import type { LineControlEvent } from '../../emulator/transport/types.js';
import { ByteCollector } from '../helpers/byte-collector.js';
import { openHostTcp } from '../helpers/host-tcp.js';
import type { HostTcp } from '../helpers/host-tcp.js';
import { resourcesAddedSince, settledResources, openSocketCount } from '../helpers/open-fds.js';
import { eventually } from '../helpers/deadline.js';

const AWKWARD = Buffer.from([0x00, 0x03, 0x11, 0x13, 0x1a, 0xff, 0xff, 0x0d, 0x0a, 0xfd, 0xfa, 0xf0]);

let transport: TcpTransport | null = null;
const hosts: HostTcp[] = [];
let moduleRx: ByteCollector;
let controls: LineControlEvent[];

async function open(options: Partial<Parameters<typeof openTcpTransport>[0]> = {}): Promise<TcpTransport> {
  moduleRx = new ByteCollector();
  controls = [];
  transport = await openTcpTransport({ port: 0, protocol: 'raw', ...options });
  transport.setSink({ onData: (bytes) => moduleRx.push(bytes), onControl: (event) => controls.push(event) });
  return transport;
}

async function connect(port: number): Promise<HostTcp> {
  const host = await openHostTcp(port);
  hosts.push(host);
  return host;
}

const count = (type: LineControlEvent['type']): number => controls.filter((event) => event.type === type).length;

afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  await transport?.close();
  transport = null;
});

describe('TCP raw transport (pyserial socket://)', () => {
  it('binds 127.0.0.1 on the real port and carries bytes as is both ways', async () => {
    const t = await open();
    expect(t.port).toBeGreaterThan(0);
    expect(t.address).toBe(`socket://127.0.0.1:${t.port}`);
    const host = await connect(t.port);
    expect(await eventually(() => count('host-attached') === 1, 2000)).toBe(true);

    await host.write(Buffer.concat([Buffer.from('AT\r\n'), AWKWARD]));
    expect(await moduleRx.readUntil((got) => got.length >= 4 + AWKWARD.length, 2000)).toEqual(
      Buffer.concat([Buffer.from('AT\r\n'), AWKWARD]),
    );
    t.write(Buffer.concat([Buffer.from('\r\nOK\r\n'), AWKWARD]));
    expect(await host.readUntil((got) => got.length >= 6 + AWKWARD.length, 2000)).toEqual(
      Buffer.concat([Buffer.from('\r\nOK\r\n'), AWKWARD]),
    );
    expect(await t.hostBaudRate()).toBeNull();
  });

  it('turns a second host away with one line, keeps the first, and accepts a new host after it leaves', async () => {
    const t = await open();
    const first = await connect(t.port);
    expect(await eventually(() => count('host-attached') === 1, 2000)).toBe(true);

    const second = await connect(t.port);
    expect((await second.readUntil('\r\n', 2000)).toString()).toBe(HOST_ALREADY_ATTACHED_LINE);
    expect(HOST_ALREADY_ATTACHED_LINE).toBe('copro: this virtual module already has a host attached\r\n');
    await second.closedByPeer(3000);
    expect(second.collector.received.length).toBe(0);

    await first.write('still here\r\n');
    expect((await moduleRx.readUntil('\r\n', 2000)).toString()).toBe('still here\r\n');
    t.write(Buffer.from('yes\r\n'));
    expect((await first.readUntil('\r\n', 2000)).toString()).toBe('yes\r\n');
    expect(count('host-attached')).toBe(1);

    await first.close();
    expect(await eventually(() => count('host-detached') === 1, 2000)).toBe(true);

    const third = await connect(t.port);
    expect(await eventually(() => count('host-attached') === 2, 2000)).toBe(true);
    await third.write('hello again\r\n');
    expect((await moduleRx.readUntil('\r\n', 2000)).toString()).toBe('hello again\r\n');
    t.write(Buffer.from('welcome\r\n'));
    expect((await third.readUntil('\r\n', 2000)).toString()).toBe('welcome\r\n');
  });

  it('with no host, keeps only the newest bytes up to the bound and hands them to the next host', async () => {
    const t = await open({ maxQueuedBytes: 1000 });
    const output = Buffer.alloc(5000);
    for (let i = 0; i < output.length; i += 1) output[i] = i % 251;
    t.write(output);
    expect(t.pendingBytes()).toBe(1000);
    expect(t.droppedBytes()).toBe(4000);
    const host = await connect(t.port);
    expect(await host.readUntil((got) => got.length >= 1000, 2000)).toEqual(output.subarray(4000));
    await t.drained();
    expect(t.pendingBytes()).toBe(0);
  });

  it('keeps what a host sends before the module listens, and delivers it once it does', async () => {
    transport = await openTcpTransport({ port: 0 });
    expect(transport.address).toBe(`socket://127.0.0.1:${transport.port}`); // raw is the default
    const host = await connect(transport.port);
    await host.write('early bytes\r\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    moduleRx = new ByteCollector();
    transport.setSink({ onData: (bytes) => moduleRx.push(bytes) });
    expect((await moduleRx.readUntil('\r\n', 2000)).toString()).toBe('early bytes\r\n');
  });

  it('keeps memory bounded when the host does not read, and loses nothing it can still send', async () => {
    const bound = 32 * 1024;
    const t = await open({ maxQueuedBytes: bound });
    const host = await connect(t.port);
    host.socket.pause();
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let maxPending = 0;
    for (let i = 0; i < 400; i += 1) {
      t.write(chunk);
      maxPending = Math.max(maxPending, t.pendingBytes());
      if (i % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(maxPending).toBeLessThanOrEqual(bound + 16 * 1024);
    expect(t.droppedBytes()).toBeGreaterThan(0);
    host.socket.resume();
    const expectedTotal = 400 * chunk.length - t.droppedBytes();
    expect(await eventually(() => host.collector.totalReceived === 400 * chunk.length - t.droppedBytes(), 5000)).toBe(true);
    expect(host.collector.totalReceived).toBe(expectedTotal);
  });

  it('says clearly when the port is taken, and close() releases every socket, handle and timer', async () => {
    const before = openSocketCount();
    const resourcesBefore = await settledResources();
    const t = await open();
    const port = t.port;
    await expect(openTcpTransport({ port: t.port, protocol: 'raw' })).rejects.toThrow(
      `cannot listen on 127.0.0.1:${t.port}: address already in use`,
    );
    const first = await connect(t.port);
    const second = await connect(t.port);
    await second.readUntil('\r\n', 2000);
    await t.close();
    transport = null;
    await first.closedByPeer(2000);
    await second.closedByPeer(3000);
    for (const host of hosts.splice(0)) await host.close();
    expect(await eventually(() => openSocketCount() === before, 2000)).toBe(true);
    await eventually(() => resourcesAddedSince(resourcesBefore).length === 0, 1000);
    expect(resourcesAddedSince(resourcesBefore)).toEqual([]);
    // Nothing listens any more.
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
