/**
 * The driver against the real emulator, on the in-process pair, on a real PTY opened with
 * serialport, or on raw serial over TCP, speaking ESP-AT or NINA frames, plus the loopback peers
 * the tests talk to. Everything started here is stopped by `stopAll()` (call it in afterEach).
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { RunningEmulator } from '../../emulator/emulator.js';
import { startEmulator } from '../../emulator/emulator.js';
import { reboot } from '../../emulator/at/lifecycle.js';
import type { RunningNinaEmulator } from '../../emulator/nina/start-nina.js';
import { DEFAULT_WORLD } from '../../emulator/world-config.js';
import type { WorldConfig } from '../../emulator/world-config.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { openTcpTransport } from '../../emulator/transport/tcp-transport.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { openEmulatorHostPort } from '../../src/host-port/emu-port.js';
import { openNinaEmulatorHostPort } from '../../src/nina/nina-emu-port.js';
import { open } from '../../src/open.js';
import type { Coprocessor, OpenOptions } from '../../src/open.js';

export type Carrier = 'pair' | 'pty' | 'tcp';

/** The coprocessor protocol: ESP-AT text, or nina-fw's command frames (docs/spi.md). */
export type Protocol = 'at' | 'nina';

/** The default world, 100× faster. */
export const FAST_WORLD: WorldConfig = { ...DEFAULT_WORLD, timing: { ...DEFAULT_WORLD.timing, scale: 0.01 } };

const cleanups: (() => Promise<unknown> | void)[] = [];

export async function stopAll(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export interface Rig {
  readonly copro: Coprocessor;
  readonly protocol: Protocol;
  readonly emulator: RunningEmulator | RunningNinaEmulator;
  /** Pulls the module's reset line: an AT module reboots and prints `ready`, a NINA module says nothing. */
  reset(): Promise<void>;
}

/**
 * `world`: the emulated radio world (default FAST_WORLD); `trace`: the driver's trace;
 * `protocol`: what the module speaks (default 'at'; `profile` applies to 'at' only).
 */
export interface RigOptions {
  readonly world?: WorldConfig;
  readonly trace?: OpenOptions['trace'];
  readonly protocol?: Protocol;
}

export async function startRig(carrier: Carrier, profile?: ProfileId, join = true, options: RigOptions = {}): Promise<Rig> {
  let emulator: RunningEmulator | RunningNinaEmulator;
  let copro: Coprocessor;
  const world = options.world ?? FAST_WORLD;
  const protocol = options.protocol ?? 'at';
  const settings: OpenOptions = { trace: options.trace, protocol };
  if (carrier === 'pair') {
    const port = protocol === 'nina' ? await openNinaEmulatorHostPort('emu:', { world }) : await openEmulatorHostPort(profile ? `emu:${profile}` : 'emu:', { world });
    emulator = port.emulator;
    copro = await open(port, settings);
  } else {
    const transport = carrier === 'pty' ? await openPtyTransport() : await openTcpTransport({ host: '127.0.0.1', port: 0, protocol: 'raw' });
    emulator = protocol === 'nina' ? await startEmulator({ transport, world, protocol }) : await startEmulator({ transport, world, profile });
    const started = emulator;
    cleanups.push(() => transport.close());
    cleanups.push(() => started.close());
    await emulator.ready;
    // PTY: the slave path, opened with serialport. TCP: `socket://127.0.0.1:<port>`, as tcp:// too.
    copro = await open(carrier === 'tcp' ? transport.address.replace(/^socket:/, 'tcp:') : transport.address, settings);
  }
  cleanups.push(() => copro.close());
  if (join) await copro.wlan.connect('copro-lab', 'labpass123');
  const module = emulator.module;
  const reset = (): Promise<void> => ('reset' in module ? module.reset('test') : reboot(module.core, { why: 'test' }));
  return { copro, protocol, emulator, reset };
}

/** TCP echo server on 127.0.0.1; `sockets` are the server's ends. */
export async function echoServer(): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { port: (server.address() as net.AddressInfo).port, sockets };
}

/** A server that runs `onClient` for each connection. */
export async function tcpServer(onClient: (s: net.Socket) => void): Promise<number> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    onClient(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as net.AddressInfo).port;
}

/** UDP echo server on 127.0.0.1: answers every datagram with `echo:` + the datagram. */
export async function udpEcho(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(Buffer.concat([Buffer.from('echo:'), msg]), rinfo.port, rinfo.address));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => socket.close(() => r())));
  return socket.address().port;
}

/** A UDP socket for the test's side. */
export async function udpPeer(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => socket.close(() => r())));
  return socket;
}

/** A port that was free a moment ago (TCP and UDP). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Connects a host-side TCP client to 127.0.0.1:port. */
export async function tcpClient(port: number): Promise<net.Socket> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  socket.on('error', () => undefined);
  cleanups.push(() => void socket.destroy());
  return socket;
}

/** Collects a socket's bytes until it ends. */
export function collect(socket: net.Socket): Promise<Buffer> {
  const parts: Buffer[] = [];
  return new Promise((resolve) => {
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('close', () => resolve(Buffer.concat(parts)));
  });
}

export function until<T>(what: () => T | undefined | false | null, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const value = what();
      if (value) return resolve(value);
      if (Date.now() > end) return reject(new Error('condition not met in time'));
      setTimeout(tick, 5);
    };
    tick();
  });
}
