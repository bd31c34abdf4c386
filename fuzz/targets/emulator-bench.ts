import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import type { FaultInjector } from '../../emulator/faults/injector.js';
import type { SeededRandom } from '../../emulator/faults/prng.js';
import { DEFAULT_WORLD, type WorldConfig } from '../../emulator/world-config.js';
import { outboundConfig } from '../../emulator/security/outbound-policy.js';
import type { Tracer } from '../../emulator/trace.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { ManualClock } from '../../runtime/manual-clock.js';
import type { Peers } from '../at-corpus.js';
import { DEFAULT_PROFILE } from '../../firmware-protocol/at/profiles.js';

/**
 * One emulated module for fuzzing, on the in-process pair with a real network stack, confined so
 * that nothing a random input asks for leaves the machine: the world's outbound rules allow
 * loopback only, names resolve from the hosts table alone, and every module server port maps to an
 * ephemeral host port. Loopback TCP and UDP echo peers give links something to talk to.
 *
 * The module runs on fake time (a ManualClock): boot, joins, scans, the +++ guard, fault delays
 * and stalls pass as the bench moves the clock on while it waits, so an input costs the machine
 * its work, not the module's timers. Waits are bounded in fake time and in real time.
 */

/** Real time any one wait may take, whatever its fake-time deadline. */
const REAL_WAIT_LIMIT_MS = 10_000;

/** Every module port listens on an ephemeral host port: random CIPSERVER ports never collide. */
const ANY_HOST_PORT: Readonly<Record<string, number>> = new Proxy(
  {},
  { get: (_target, key) => (typeof key === 'string' && /^\d+$/.test(key) ? 0 : undefined) },
);

export const FUZZ_WORLD: WorldConfig = {
  ...DEFAULT_WORLD,
  hosts: { 'peer.lab': '127.0.0.1', 'copro.local': '127.0.0.1' },
  timing: { ...DEFAULT_WORLD.timing, scale: 0.01 },
  ports: ANY_HOST_PORT,
  outbound: outboundConfig({ allow: ['loopback'], default: 'deny' }),
};

/** Keeps internal-error notes: a handler that threw is a finding even though the module answered ERROR. */
class FindingTracer implements Tracer {
  readonly internalErrors: string[] = [];
  fromHost(): void {}
  toHost(): void {}
  note(text: string): void {
    if (text.startsWith('internal error') && this.internalErrors.length < 100) this.internalErrors.push(text.split('\n')[0]);
  }
}

export class EmulatorFuzzBench {
  private output = '';
  private constructor(
    readonly emu: RunningEmulator,
    readonly peers: Peers,
    private readonly tracer: FindingTracer,
    private readonly closers: Array<() => Promise<void>>,
    private readonly clock: ManualClock,
  ) {
    emu.host!.onData((bytes) => {
      // Keep a bounded tail: a flood of output must not grow the fuzzer either.
      this.output = (this.output + bytes.toString('latin1')).slice(-256 * 1024);
    });
  }

  static async start(profile: ProfileId = DEFAULT_PROFILE.id, faults?: FaultInjector): Promise<EmulatorFuzzBench> {
    const tcp = await echoTcp();
    const udp = await echoUdp();
    const tracer = new FindingTracer();
    const clock = new ManualClock();
    const emu = await startEmulator({
      world: FUZZ_WORLD,
      profile,
      trace: tracer,
      clock,
      ...(faults ? { faults } : {}),
      network: { lookup: async (name) => Promise.reject(new Error(`no real DNS while fuzzing (${name})`)) },
    });
    const bench = new EmulatorFuzzBench(emu, { tcp: tcp.port, udp: udp.port }, tracer, [tcp.close, udp.close], clock);
    await bench.waitFor('ready\r\n', 3000);
    return bench;
  }

  async close(): Promise<void> {
    await this.emu.close();
    for (const close of this.closers) await close();
  }

  /** Internal errors noted since the last call. */
  takeInternalErrors(): string[] {
    return this.tracer.internalErrors.splice(0);
  }

  /**
   * The reset line: a clean boot whatever state the last input left. False if `ready` never came.
   * An input may have saved AT+SAVETRANSLINK=1, which boots the module into passthrough, as a real
   * one: the host leaves it with `+++` and forgets the link, as a host that knows this would.
   */
  async resetLine(): Promise<boolean> {
    this.output = '';
    this.emu.host!.control({ type: 'reset' });
    const ready = await this.waitFor('\r\nready\r\n', 3000).then(
      () => true,
      () => false,
    );
    if (!ready) return false;
    await this.clock.advance(30);
    this.emu.host!.write(Buffer.from('+++'));
    await this.clock.advance(30);
    this.emu.host!.write(Buffer.from('\r\nAT+CIPMODE=0\r\nAT+SAVETRANSLINK=0,"127.0.0.1",1\r\n'));
    await this.settle();
    this.output = '';
    return true;
  }

  /** Sends `chunks` in random pieces, as a host and a UART would cut them. */
  async feed(chunks: readonly Uint8Array[], random: SeededRandom): Promise<number> {
    const all = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)));
    for (let offset = 0; offset < all.length; ) {
      const size = Math.min(all.length - offset, random.next() < 0.3 ? random.int(1, 8) : random.int(1, 512));
      this.emu.host!.write(all.subarray(offset, offset + size));
      offset += size;
      if (random.next() < 0.05) await this.clock.advance(random.int(1, 3));
      else await new Promise((resolve) => setImmediate(resolve));
    }
    return all.length;
  }

  /** Waits until the module has said nothing for `quietMs` of its time (bounded by `maxMs`). */
  async settle(quietMs = 8, maxMs = 1500): Promise<void> {
    const deadline = this.clock.now() + maxMs;
    const realDeadline = Date.now() + REAL_WAIT_LIMIT_MS;
    let seen = this.output;
    for (;;) {
      await this.clock.advance(quietMs);
      if (this.output === seen || this.clock.now() > deadline || Date.now() > realDeadline) return;
      seen = this.output;
    }
  }

  /** A command and the text its answer must contain; the output is consumed up to it. */
  async expect(line: string | Buffer, answer: string, timeoutMs = 3000): Promise<void> {
    this.output = '';
    this.emu.host!.write(typeof line === 'string' ? Buffer.from(line, 'latin1') : line);
    await this.waitFor(answer, timeoutMs);
  }

  /** Moves the module's time on until `text` has come (`timeoutMs` of its time at most). */
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = this.clock.now() + timeoutMs;
    const realDeadline = Date.now() + REAL_WAIT_LIMIT_MS;
    while (!this.output.includes(text)) {
      if (this.clock.now() > deadline || Date.now() > realDeadline) {
        throw new Error(`no ${JSON.stringify(text)} within ${timeoutMs} ms; got ${JSON.stringify(this.output.slice(-200))}`);
      }
      await this.clock.advance(1);
    }
    this.output = this.output.slice(this.output.indexOf(text) + text.length);
  }

  /** Joined, links 0 (TCP) and 1 (UDP) open to the echo peers: network commands have state to hit. */
  async prepare(): Promise<void> {
    await this.expect('ATE0\r\n', 'OK\r\n');
    await this.expect('AT+CWMODE=1\r\n', 'OK\r\n');
    await this.expect('AT+CWJAP="copro-lab","labpass123"\r\n', 'OK\r\n');
    await this.expect('AT+CIPMUX=1\r\n', 'OK\r\n');
    await this.expect(`AT+CIPSTART=0,"TCP","127.0.0.1",${this.peers.tcp}\r\n`, 'OK\r\n');
    await this.expect(`AT+CIPSTART=1,"UDP","127.0.0.1",${this.peers.udp}\r\n`, 'OK\r\n');
  }

  /**
   * The session a well-behaved host runs: factory reset, join, a TCP round trip through the echo
   * peer, close. Returns null when it worked, else what went wrong.
   */
  async correctSession(): Promise<string | null> {
    try {
      if (!(await this.resetLine())) return 'no `ready` after the reset line';
      await this.expect('AT+RESTORE\r\n', 'ready\r\n', 3000);
      await this.expect('ATE0\r\n', 'OK\r\n');
      await this.expect('AT+CWMODE=1\r\n', 'OK\r\n');
      await this.expect('AT+CWJAP="copro-lab","labpass123"\r\n', 'WIFI GOT IP\r\n\r\nOK\r\n');
      await this.expect('AT+CIPMUX=1\r\n', 'OK\r\n');
      await this.expect(`AT+CIPSTART=0,"TCP","127.0.0.1",${this.peers.tcp}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
      await this.expect('AT+CIPSEND=0,5\r\n', '>');
      await this.expect('hello', 'SEND OK\r\n');
      await this.waitFor('+IPD,0,5:hello', 3000);
      await this.expect('AT+CIPCLOSE=0\r\n', 'OK\r\n');
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

async function echoTcp(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (data) => socket.write(data));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function echoUdp(): Promise<{ port: number; close: () => Promise<void> }> {
  const socket: UdpSocket = createSocket('udp4');
  socket.on('message', (data, from) => socket.send(data, from.port, from.address));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
