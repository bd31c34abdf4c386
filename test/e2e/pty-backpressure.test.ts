import * as net from 'node:net';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { keepPollerInterest } from '../../runtime/serialport-poller.js';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openUartLine, type UartLineTransport } from '../../emulator/transport/uart-line-transport.js';
import { HostResponseParser } from '../../firmware-protocol/at/host-response-parser.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import { FAST_WORLD, pseudoRandomBytes, sha256 } from './fixtures.js';

/**
 * Flow control on an UNPACED PTY (the daemon's default line: no --pace), where the host and the
 * network are both far faster than anything in between. Host → network in transparent mode: the
 * module stops reading the host while its link lags, so the host's writes block in the kernel
 * instead of being dropped. Network → host (transparent or +IPD): the module stops reading the
 * link while the host has not taken its output. Either way every byte arrives, in order.
 * Bounded by byte counts and generous deadlines; no speed is asserted.
 */

const SIZE = 16 * 1024 * 1024;
const DEADLINE_MS = 90_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The host end of the PTY: waits for text in command mode, hashes `count` raw bytes in between. */
class LeanHost {
  private tail = '';
  private sink: { remaining: number; hash: ReturnType<typeof createHash>; done: () => void } | null = null;
  listener: ((bytes: Buffer) => void) | null = null;

  constructor(readonly port: SerialPort) {
    port.on('data', (bytes: Buffer) => this.feed(bytes));
  }

  private feed(bytes: Buffer): void {
    if (this.listener) return this.listener(bytes);
    if (this.sink) {
      const take = bytes.subarray(0, this.sink.remaining);
      this.sink.hash.update(take);
      this.sink.remaining -= take.length;
      const rest = bytes.subarray(take.length);
      if (this.sink.remaining > 0) return;
      const done = this.sink.done;
      this.sink = null;
      done();
      bytes = rest;
    }
    this.tail = (this.tail + bytes.toString('latin1')).slice(-4096);
  }

  write(bytes: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) =>
      this.port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, (err) => (err ? reject(err) : resolve())),
    );
  }

  async waitFor(text: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tail.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; tail ${JSON.stringify(this.tail.slice(-200))}`);
      await sleep(5);
    }
    this.tail = this.tail.slice(this.tail.indexOf(text) + text.length);
  }

  async ok(line: string): Promise<void> {
    await this.write(`${line}\r\n`);
    await this.waitFor('OK\r\n');
  }

  /** sha256 of the next `count` raw bytes from the module. */
  receive(count: number): Promise<string> {
    const hash = createHash('sha256');
    return new Promise((resolve) => {
      this.sink = { remaining: count, hash, done: () => resolve(hash.digest('hex')) };
    });
  }
}

interface Peer {
  readonly port: number;
  received: number;
  digest(): string;
  close(): Promise<void>;
}

/** A loopback TCP peer: hashes what it gets; `onSocket` may make it a source. */
async function startPeer(onSocket?: (socket: net.Socket) => void): Promise<Peer> {
  const hash = createHash('sha256');
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (bytes) => {
      hash.update(bytes);
      peer.received += bytes.length;
    });
    onSocket?.(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peer: Peer = {
    port: (server.address() as net.AddressInfo).port,
    received: 0,
    digest: () => hash.copy().digest('hex'),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return peer;
}

async function until(condition: () => boolean, what: string, timeoutMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('flow control on an unpaced PTY (serialport host, loopback peers)', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  });

  /** The daemon's default stack: PTY carrier, unpaced line model, ESP-AT 2.x; echo off, joined. */
  async function start(): Promise<{ host: LeanHost; line: UartLineTransport; emulator: RunningEmulator }> {
    const pty = await openPtyTransport();
    const line = await openUartLine(pty, { pace: false });
    closers.push(() => line.close());
    const emulator = await startEmulator({ transport: line, world: FAST_WORLD, profile: 'esp32-at-2.x' });
    closers.push(() => emulator.close());
    await emulator.ready;
    await line.drained();
    const port = new SerialPort({ path: line.address, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    keepPollerInterest(port.port); // as the driver's port (runtime/serialport-poller.ts)
    closers.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
    const host = new LeanHost(port);
    await host.ok('ATE0');
    await host.ok('AT+CWMODE=1');
    await host.ok('AT+CWJAP="copro-lab","labpass123"');
    return { host, line, emulator };
  }

  it('transparent mode: 16 MiB up to a TCP sink arrive intact (the host is held back, nothing dropped), then +++', async () => {
    const payload = pseudoRandomBytes(SIZE, 11);
    const sink = await startPeer();
    closers.push(() => sink.close());
    const { host } = await start();
    await host.ok('AT+CIPMODE=1');
    await host.ok(`AT+CIPSTART="TCP","127.0.0.1",${sink.port}`);
    await host.write('AT+CIPSEND\r\n');
    await host.waitFor('>');
    // Written as one stream: serialport waits out EAGAIN, so the host simply blocks while held.
    for (let offset = 0; offset < payload.length; offset += 1024 * 1024) await host.write(payload.subarray(offset, offset + 1024 * 1024));
    await until(() => sink.received >= SIZE, `${SIZE} bytes at the sink`);
    await sleep(100);
    expect(sink.received).toBe(SIZE);
    expect(sink.digest()).toBe(sha256(payload));
    await host.write('+++');
    await sleep(200);
    await host.ok('AT');
  }, 120_000);

  it('transparent mode: 16 MiB down from a fast TCP source arrive intact; the close is told with AT+SYSMSG bit 2', async () => {
    const payload = pseudoRandomBytes(SIZE, 12);
    // Sends once the module says "go" from passthrough, so every byte comes raw, then closes.
    const source = await startPeer((socket) => socket.once('data', () => socket.end(payload)));
    closers.push(() => source.close());
    const { host, line } = await start();
    // In passthrough the module tells of a closed link only with AT+SYSMSG bit 2 (then it reconnects).
    await host.ok('AT+SYSMSG=4');
    await host.ok('AT+CIPMODE=1');
    await host.ok(`AT+CIPSTART="TCP","127.0.0.1",${source.port}`);
    await host.write('AT+CIPSEND\r\n');
    await host.waitFor('>');
    const digest = host.receive(SIZE);
    await host.write('go');
    const got = await Promise.race([digest, sleep(DEADLINE_MS).then(() => 'timed out')]);
    expect(got).toBe(sha256(payload));
    await host.waitFor('CLOSED\r\n', 10_000); // the source closed: CLOSED follows the data
    expect(line.droppedBytes()).toBe(0);
    await sleep(100);
    await host.write('+++');
    await sleep(1100);
    await host.ok('AT');
  }, 120_000);

  it('active mode: 16 MiB of +IPD from a fast TCP source arrive intact', async () => {
    const payload = pseudoRandomBytes(SIZE, 13);
    const source = await startPeer((socket) => socket.end(payload));
    closers.push(() => source.close());
    const { host, line } = await start();
    const parser = new HostResponseParser(PROFILES['esp32-at-2.x']);
    const hash = createHash('sha256');
    let received = 0;
    let closed = false;
    let connected = false;
    host.listener = (bytes) => {
      parser.push(bytes);
      for (let event = parser.next(); event; event = parser.next()) {
        if (event.type === 'ipd') {
          hash.update(event.data);
          received += event.data.length;
        } else if (event.type === 'urc' && event.urc.kind === 'closed') closed = true;
        else if (event.type === 'urc' && event.urc.kind === 'connect') connected = true;
      }
    };
    await host.write(`AT+CIPSTART="TCP","127.0.0.1",${source.port}\r\n`);
    await until(() => closed, 'all +IPD data and CLOSED');
    expect(connected).toBe(true);
    expect(received).toBe(SIZE);
    expect(hash.digest('hex')).toBe(sha256(payload));
    expect(line.droppedBytes()).toBe(0);
  }, 120_000);
});
