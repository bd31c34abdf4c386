import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import type { FlashStore } from '../../emulator/at/flash-store.js';
import { escapeBytes, type Tracer } from '../../emulator/trace.js';
import { parseWorldConfig, type WorldConfig } from '../../emulator/world-config.js';
import type { HostLink } from '../../emulator/transport/pair-transport.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import type { ManualClock } from '../helpers/manual-clock.js';

/**
 * In-process test bench for the AT front end: the emulator on a transport pair, the default radio
 * world at 1/100 of real time, a resolver that knows only the world's hosts table (no real DNS),
 * and loopback peers. Every wait has a deadline. Given a ManualClock, the module runs on fake time:
 * the host's waits move it on (see TestHost) and the test moves it with `clock.advance()`.
 */

export const LAB = { ssid: 'copro-lab', password: 'labpass123' } as const;

/** The default world's lab AP as a world file spells it, to build variants of it. */
export const LAB_AP = {
  ssid: LAB.ssid,
  password: LAB.password,
  rssi: -45,
  channel: 6,
  bssid: 'ca:d7:19:d8:a6:44',
  ip: '192.168.10.42',
  gateway: '192.168.10.1',
  netmask: '255.255.255.0',
} as const;

export const FAST_WORLD: WorldConfig = parseWorldConfig({
  timing: { scale: 0.01 },
  hosts: { 'peer.lab': '127.0.0.1' },
});

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const show = (bytes: Uint8Array): string => `"${escapeBytes(bytes)}"`;

/** Real time a wait on fake time may take at most, whatever its fake-time deadline. */
const FAKE_WAIT_REAL_LIMIT_MS = 10_000;

/**
 * The host's view of the module: bytes received, consumed in order by the expectations. On a
 * ManualClock (the module's), a wait moves fake time on a millisecond at a time until what it waits
 * for has come, so answers that hang on protocol timers (boot, joins, stalls) arrive at once; its
 * deadline is then fake time, bounded in real time as well.
 */
export class TestHost {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;

  constructor(
    readonly link: HostLink,
    private readonly clock?: ManualClock,
  ) {
    link.onData((bytes) => {
      this.buffer = Buffer.concat([this.buffer, bytes]);
      this.wake?.();
    });
  }

  send(data: string | Uint8Array): void {
    this.link.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Unconsumed bytes. */
  get pending(): Buffer {
    return this.buffer;
  }

  /** Waits until `done(pending)` holds; rejects after the deadline showing what arrived. */
  async waitFor(done: (pending: Buffer) => boolean, what: string, timeoutMs = 3000): Promise<void> {
    if (this.clock) return this.waitOnFakeTime(this.clock, done, what, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    while (!done(this.buffer)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${show(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private async waitOnFakeTime(clock: ManualClock, done: (pending: Buffer) => boolean, what: string, timeoutMs: number): Promise<void> {
    try {
      await waitUntil(() => done(this.buffer), what, timeoutMs, clock);
    } catch (error) {
      throw new Error(`${(error as Error).message} (fake time); got ${show(this.buffer)}`);
    }
  }

  /** The next bytes are exactly `expected` (consumed); anything after stays pending. */
  async expect(expected: string | Uint8Array, timeoutMs = 3000): Promise<void> {
    const want = typeof expected === 'string' ? Buffer.from(expected, 'latin1') : Buffer.from(expected);
    await this.waitFor(
      (pending) => pending.length >= want.length || !want.subarray(0, pending.length).equals(pending),
      show(want),
      timeoutMs,
    );
    const got = this.buffer.subarray(0, want.length);
    if (!got.equals(want)) throw new Error(`expected ${show(want)}, got ${show(this.buffer)}`);
    this.buffer = this.buffer.subarray(want.length);
  }

  /** Consumes everything up to and including the first `marker`. */
  async readThrough(marker: string, timeoutMs = 3000): Promise<string> {
    await this.waitFor((pending) => pending.includes(marker, 0, 'latin1'), show(Buffer.from(marker, 'latin1')), timeoutMs);
    const end = this.buffer.indexOf(marker, 0, 'latin1') + marker.length;
    const text = this.buffer.subarray(0, end).toString('latin1');
    this.buffer = this.buffer.subarray(end);
    return text;
  }

  /** Sends a line and expects exactly `answer` back. */
  async exchange(line: string, answer: string, timeoutMs = 3000): Promise<void> {
    this.send(line);
    await this.expect(answer, timeoutMs);
  }

  /** Nothing arrives for `ms` (the test's claim that the module stays silent). */
  async expectSilence(ms: number): Promise<void> {
    await this.pause(ms);
    if (this.buffer.length > 0) throw new Error(`expected silence, got ${show(this.buffer)}`);
  }

  /** Lets `ms` go by on the module's clock: fake time when it has one, else real time. */
  pause(ms: number): Promise<void> {
    return this.clock ? this.clock.advance(ms) : sleep(ms);
  }
}

export interface Bench {
  readonly emu: RunningEmulator;
  readonly host: TestHost;
}

/** Things to undo after each test, in reverse order. */
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
        /* best effort */
      }
    }
  }
}

/** A booted module (its `ready` consumed). */
export async function startBench(
  cleanup: Cleanup,
  options: { profile?: ProfileId; world?: WorldConfig; trace?: Tracer; clock?: ManualClock; flash?: FlashStore } = {},
): Promise<Bench> {
  const emu = await startEmulator({
    ...(options.flash ? { flash: options.flash } : {}),
    world: options.world ?? FAST_WORLD,
    profile: options.profile,
    trace: options.trace,
    ...(options.clock ? { clock: options.clock } : {}),
    network: { lookup: async (name) => Promise.reject(new Error(`no real DNS in tests (${name})`)) },
  });
  cleanup.add(() => emu.close());
  const host = new TestHost(emu.host!, options.clock);
  await host.expect('\r\nready\r\n');
  return { emu, host };
}

/** Echo off, station mode, joined to the lab AP (all exchanges checked byte for byte). */
export async function joinLab(host: TestHost, options: { mux?: boolean } = {}): Promise<void> {
  await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
  await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
  if (options.mux) await host.exchange('AT+CIPMUX=1\r\n', '\r\nOK\r\n');
}

/**
 * Gives the module this machine's time (AT+SYSTIMESTAMP): ESP-AT's mbedTLS checks certificate dates
 * by the module's clock, which reads 1970 after every boot. Echo must be off.
 */
export async function setModuleClock(host: TestHost): Promise<void> {
  await host.exchange(`AT+SYSTIMESTAMP=${Math.floor(Date.now() / 1000)}\r\n`, '\r\nOK\r\n');
}

/** A loopback TCP peer: records its clients and what they sent. */
export class TcpPeer {
  readonly sockets: Socket[] = [];
  readonly received: Buffer[] = [];
  private constructor(
    readonly server: Server,
    private readonly clock?: ManualClock,
  ) {}

  /** With the module's ManualClock, the peer's waits move fake time on (what it waits for may hang on a module timer). */
  static async start(cleanup: Cleanup, onSocket?: (socket: Socket) => void, clock?: ManualClock, port = 0): Promise<TcpPeer> {
    const server = createServer();
    const peer = new TcpPeer(server, clock);
    server.on('connection', (socket) => {
      peer.sockets.push(socket);
      const index = peer.sockets.length - 1;
      peer.received[index] = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        peer.received[index] = Buffer.concat([peer.received[index], chunk]);
      });
      socket.on('error', () => undefined);
      onSocket?.(socket);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    cleanup.add(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of peer.sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    return peer;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async waitForClients(count: number, timeoutMs = 3000): Promise<void> {
    await waitUntil(() => this.sockets.length >= count, `${count} TCP clients`, timeoutMs, this.clock);
  }

  async waitForBytes(index: number, count: number, timeoutMs = 3000): Promise<Buffer> {
    await waitUntil(() => (this.received[index]?.length ?? 0) >= count, `${count} bytes at the peer`, timeoutMs, this.clock);
    return this.received[index];
  }
}

/** A loopback UDP peer. */
export async function udpPeer(cleanup: Cleanup): Promise<{ socket: UdpSocket; port: number; messages: Array<{ data: Buffer; port: number }> }> {
  const socket = createSocket('udp4');
  const messages: Array<{ data: Buffer; port: number }> = [];
  socket.on('message', (data, rinfo) => messages.push({ data, port: rinfo.port }));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { socket, port: socket.address().port, messages };
}

/** Polls `condition`; on a ManualClock it moves fake time on while polling (deadline in fake time, bounded in real time too). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000, clock?: ManualClock): Promise<void> {
  const start = clock?.now() ?? Date.now();
  const realDeadline = Date.now() + (clock ? FAKE_WAIT_REAL_LIMIT_MS : timeoutMs);
  while (!condition()) {
    const fakeOver = clock !== undefined && clock.now() - start >= timeoutMs;
    if (fakeOver || Date.now() > realDeadline) throw new Error(`timed out waiting for ${what}`);
    await (clock ? clock.advance(1) : sleep(5));
  }
}
