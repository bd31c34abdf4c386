import * as net from 'node:net';
import * as dgram from 'node:dgram';
import { createHash } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.js';
import { openPtyTransport, type PtyTransport } from '../../emulator/transport/pty-transport.js';
import { DEFAULT_WORLD, type WorldConfig } from '../../emulator/world-config.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import { openHostSerial } from '../helpers/host-serial.js';
import { AtHostSession } from '../helpers/at-host-session.js';
import { onFakeTime } from '../helpers/fake-time.js';
import type { ManualClock } from '../helpers/manual-clock.js';

/** The default radio world, 100× faster: joins take milliseconds. */
export const FAST_WORLD: WorldConfig = { ...DEFAULT_WORLD, timing: { ...DEFAULT_WORLD.timing, scale: 0.01 } };

export interface PtyModule {
  readonly emulator: RunningEmulator;
  readonly transport: PtyTransport;
  readonly host: AtHostSession;
  close(): Promise<void>;
}

/**
 * A virtual module on a real PTY, opened from the host side with serialport exactly as a
 * driver or pyserial would. The host opens after boot, so (as with a real UART whose host
 * opens late) the `ready` banner was flushed by serialport's open. `clock`: the module's timers
 * run on it (its boot is moved through here; later waits move it themselves).
 */
export async function startPtyModule(profile: ProfileId = 'esp32-at-2.x', world = FAST_WORLD, clock?: ManualClock): Promise<PtyModule> {
  const transport = await openPtyTransport();
  const emulator = await startEmulator({ transport, world, profile, ...(clock ? { clock } : {}) });
  await (clock ? onFakeTime(clock, emulator.ready, 'the boot') : emulator.ready);
  await transport.drained(); // the banner is in the kernel, so the host's open flushes it like a real UART's
  const serial = await openHostSerial(transport.address, 115200);
  const host = new AtHostSession(serial, PROFILES[profile]);
  return {
    emulator,
    transport,
    host,
    async close() {
      await serial.close();
      await emulator.close();
      await transport.close();
    },
  };
}

/** Joins the default AP, turns echo off and (optionally) multi-link mode on. */
export async function joinAndPrepare(host: AtHostSession, mux: 0 | 1): Promise<void> {
  await host.ok('ATE0');
  await host.ok('AT+CWMODE=1');
  await host.ok('AT+CWJAP="copro-lab","labpass123"', 5000);
  await host.ok(`AT+CIPMUX=${mux}`);
}

export interface EchoServer {
  readonly port: number;
  /** sha256 of every byte received, across connections. */
  receivedDigest(): string;
  receivedBytes(): number;
  readonly sockets: net.Socket[];
  close(): Promise<void>;
}

/**
 * A TCP echo server on 127.0.0.1 that hashes what it receives. `endAfter`: each connection is
 * ended (FIN, after the echo) once that many bytes came in on it, so a client reading to EOF ends.
 */
export async function startEchoServer(options: { endAfter?: number } = {}): Promise<EchoServer> {
  const hash = createHash('sha256');
  let count = 0;
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    let mine = 0;
    s.on('data', (d) => {
      hash.update(d);
      count += d.length;
      mine += d.length;
      s.write(d);
      if (options.endAfter !== undefined && mine >= options.endAfter) s.end();
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    receivedDigest: () => hash.copy().digest('hex'),
    receivedBytes: () => count,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface UdpPeer {
  readonly port: number;
  readonly socket: dgram.Socket;
  readonly received: { data: Buffer; from: { address: string; port: number } }[];
  close(): Promise<void>;
}

export async function startUdpPeer(reply?: (data: Buffer) => Buffer | null): Promise<UdpPeer> {
  const socket = dgram.createSocket('udp4');
  const received: UdpPeer['received'] = [];
  socket.on('message', (data, rinfo) => {
    received.push({ data, from: { address: rinfo.address, port: rinfo.port } });
    const answer = reply?.(data);
    if (answer) socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return {
    port: socket.address().port,
    socket,
    received,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function pseudoRandomBytes(length: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * Sends `payload` on link 0 in 8 KiB CIPSENDs while draining what comes back through passive receive
 * (AT+CIPRECVLEN?, AT+CIPRECVDATA); returns every byte read, once as many as were sent came back (bounded).
 */
export async function echoThroughPassive(h: AtHostSession, payload: Uint8Array): Promise<Buffer> {
  const received: Buffer[] = [];
  let receivedLength = 0;
  const drain = async (): Promise<void> => {
    for (let guard = 0; guard < 10_000; guard++) {
      const len = await h.ok('AT+CIPRECVLEN?');
      const info = len.find((e) => e.type === 'info' && e.name === 'CIPRECVLEN') as { text: string } | undefined;
      const waiting = Number(info?.text.split(',')[0] || 0);
      if (!(waiting > 0)) return;
      const { events } = await h.command(`AT+CIPRECVDATA=0,${Math.min(waiting, 8192)}`);
      for (const e of events) {
        if (e.type === 'recv-data') {
          received.push(Buffer.from(e.data));
          receivedLength += e.data.length;
        }
      }
    }
  };
  const chunk = 8192;
  for (let off = 0; off < payload.length; off += chunk) {
    const part = payload.subarray(off, off + chunk);
    const sent = await h.sendData(`AT+CIPSEND=0,${part.length}`, part);
    if (sent !== 'SEND OK') throw new Error(`CIPSEND at ${off}: ${sent}`);
    await drain();
  }
  for (let rounds = 0; receivedLength < payload.length && rounds < 200; rounds++) {
    await new Promise((r) => setTimeout(r, 10));
    await drain();
  }
  return Buffer.concat(received);
}

