/**
 * Transparent mode (SO_PASSTHROUGH, ESP-AT AT+CIPMODE=1) against the real emulator: on a PTY
 * opened with serialport, and TLS and a session's recovery on the in-process pair (the recovery on
 * fake time). The module's passthrough has no flow
 * control toward the host (as the firmware without RTS/CTS), so the round trips move data in
 * chunks that are echoed before the next is written.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { openPtyTransport } from '../../emulator/transport/pty-transport.js';
import { AtBackend } from '../../src/at/at-backend.js';
import { errno } from '../../src/errors.js';
import { openSerialHostPort } from '../../src/host-port/serial-port.js';
import type { HostPort } from '../../src/host-port/types.js';
import { createUsocket } from '../../src/usocket/module.js';
import type { Socket } from '../../src/usocket/socket.js';
import { onFakeTime } from '../helpers/fake-time.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { makeTestPki } from '../helpers/tls-lab.js';
import { FAST_WORLD, echoServer, stopAll } from './emulator-harness.js';
import { errOf, sha256, stopTls, tlsPeer, tlsRig } from './tls-helpers.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopAll();
  await stopTls();
});

/** Short `+++` timing: the emulator's guard is 20 ms; 921600 baud makes the line allowance 89 ms. */
const TIMING = { guardMs: 30, settleMs: 50 };

async function ptyModule() {
  const transport = await openPtyTransport();
  const emulator = await startEmulator({ transport, world: FAST_WORLD });
  cleanups.push(() => transport.close());
  cleanups.push(() => emulator.close());
  await emulator.ready;
  return transport.address;
}

/** The driver on `port` (the module's PTY, or a session on the pair); `join`: onto the emulated lab AP first. */
async function driverOn(port: string | HostPort, join = true, clock?: ManualClock) {
  const lines: string[] = [];
  const wait = <T>(work: Promise<T>, what: string): Promise<T> => (clock ? onFakeTime(clock, work, what) : work);
  const opened = typeof port === 'string' ? await openSerialHostPort(port, 921600) : port;
  const backend = await wait(
    AtBackend.open(opened, { transparent: TIMING, probeTimeoutMs: 300, trace: (l) => lines.push(l), ...(clock ? { clock } : {}) }),
    'the driver',
  );
  cleanups.push(() => wait(backend.close(), 'close'));
  if (join) await wait(backend.wlan.connect('copro-lab', 'labpass123'), 'the join');
  return { backend, usocket: createUsocket(backend), lines };
}

/**
 * The module on the in-process pair, its timers on `clock`; each call of the function returned is
 * a new host session on its line, whose close() leaves the module running (as closing a serial port does).
 */
async function pairModule(clock: ManualClock): Promise<() => HostPort> {
  const emulator = await startEmulator({ world: FAST_WORLD, clock });
  cleanups.push(() => emulator.close());
  const host = emulator.host!;
  host.onData(() => undefined); // the boot banner, before any session
  await onFakeTime(clock, emulator.ready, 'the boot');
  return () => {
    let open = true;
    return {
      path: 'emu:pair',
      write: async (bytes) => void (open && host.write(bytes)),
      onData: (listener) => host.onData((bytes) => open && listener(bytes)),
      onClose: () => undefined,
      close: async () => void (open = false),
    };
  };
}

/** Echoes `payload` in `chunk`-sized writes, each read back before the next is written. */
async function echoInSteps(sock: Socket, payload: Buffer, chunk = 4096): Promise<Buffer> {
  const back: Buffer[] = [];
  for (let offset = 0; offset < payload.length; offset += chunk) {
    const part = payload.subarray(offset, offset + chunk);
    await sock.sendall(part);
    const got = await sock.read(part.length);
    back.push(Buffer.from(got ?? new Uint8Array(0)));
  }
  return Buffer.concat(back);
}

const sent = (lines: string[]): string[] => lines.filter((l) => l.startsWith('> AT')).map((l) => l.slice(2));

describe('transparent mode', () => {
  it('moves data both ways raw, leaves with +++ at close, and the module is back in normal mode', async () => {
    const path = await ptyModule();
    const { usocket, lines } = await driverOn(path);
    const echo = await echoServer();
    const s = usocket.socket();
    s.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 1);
    await s.connect(['127.0.0.1', echo.port]);
    const before = sent(lines).length;
    const payload = randomBytes(128 * 1024);
    const back = await echoInSteps(s, payload);
    expect(sha256(back)).toBe(sha256(payload));
    // Not one command while the data moved.
    expect(sent(lines).length).toBe(before);
    await s.close();
    expect(sent(lines).slice(before)).toEqual(['AT', 'AT+CIPCLOSE', 'AT+CIPMODE=0', 'AT+CIPMUX=1', 'AT+CIPRECVMODE=1']);
    expect(lines.some((l) => l.includes('raw mode left'))).toBe(true);

    const normal = usocket.socket();
    await normal.connect(['127.0.0.1', echo.port]);
    await normal.sendall('after');
    expect(Buffer.from((await normal.read(5)) ?? []).toString()).toBe('after');
    await normal.close();
  }, 30_000);

  it('opens with single-link, transparent, active receive, then AT+CIPSEND', async () => {
    const path = await ptyModule();
    const { usocket, lines } = await driverOn(path);
    const echo = await echoServer();
    const s = usocket.socket();
    s.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 1);
    const before = sent(lines).length;
    await s.connect(['127.0.0.1', echo.port]);
    expect(sent(lines).slice(before)).toEqual([
      'AT+CIPMUX=0',
      'AT+CIPMODE=1',
      'AT+CIPRECVMODE=0',
      `AT+CIPSTART="TCP","127.0.0.1",${echo.port}`,
      'AT+CIPSEND',
    ]);
    await s.close();
  }, 30_000);

  it('owns the module: nothing else while it is open, and it needs the module free to begin', async () => {
    const path = await ptyModule();
    const { usocket } = await driverOn(path);
    const echo = await echoServer();

    const other = usocket.socket();
    await other.connect(['127.0.0.1', echo.port]);
    const refused = usocket.socket();
    refused.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 1);
    expect((await errOf(refused.connect(['127.0.0.1', echo.port]))).errno).toBe(errno.EBUSY);
    await other.close();

    const s = usocket.socket();
    s.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 1);
    await s.connect(['127.0.0.1', echo.port]);
    expect((await errOf(usocket.socket().connect(['127.0.0.1', echo.port]))).errno).toBe(errno.EBUSY);
    expect((await errOf(usocket.getaddrinfo('copro.local', 80))).errno).toBe(errno.EBUSY);
    expect(() => s.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 0)).toThrow(/before connect/);
    await s.close();
    // Free again.
    const after = usocket.socket();
    await after.connect(['127.0.0.1', echo.port]);
    await after.close();
  }, 30_000);

  it('is refused for UDP sockets', async () => {
    const path = await ptyModule();
    const { usocket } = await driverOn(path, false);
    const u = usocket.socket(usocket.AF_INET, usocket.SOCK_DGRAM);
    expect(() => u.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 1)).toThrow(/SOCK_STREAM/);
  }, 30_000);

  it('a new session recovers a module that was left in transparent mode', async () => {
    // The module (on the in-process pair) and both sessions on one fake clock: the second
    // session's probes, drain and `+++` take seconds of it, not of real time.
    const clock = new ManualClock();
    const fake = <T>(work: Promise<T>): Promise<T> => onFakeTime(clock, work, 'the call');
    const session = await pairModule(clock);
    const first = await driverOn(session(), true, clock);
    const echo = await echoServer();
    const s = first.usocket.socket();
    s.setsockopt(first.usocket.SOL_SOCKET, first.usocket.SO_PASSTHROUGH, 1);
    await fake(s.connect(['127.0.0.1', echo.port]));
    // The application dies without closing the socket: the module stays in transparent mode.
    await fake(first.backend.close());

    const second = await driverOn(session(), false, clock);
    expect(second.lines.some((l) => l.includes('trying +++'))).toBe(true);
    const normal = second.usocket.socket();
    await fake(normal.connect(['127.0.0.1', echo.port]));
    await fake(normal.sendall('recovered'));
    expect(Buffer.from((await fake(normal.read(9))) ?? []).toString()).toBe('recovered');
    await fake(normal.close());
  }, 30_000);

  it('runs a TLS link in transparent mode (the SSL settings of link 0 are the single link’s)', async () => {
    const pki = await makeTestPki();
    const server = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const s = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });
    s.setsockopt(usocket.SOL_SOCKET, usocket.SO_PASSTHROUGH, 1);
    await s.connect((await usocket.getaddrinfo('peer.lab', server.port))[0][4]);
    expect(rig.sent()).toContain(`AT+CIPSTART="SSL","127.0.0.1",${server.port}`);
    expect(rig.sent()).toContain('AT+CIPSSLCCONF=0,2,0,0');
    const payload = randomBytes(32 * 1024);
    const back = await echoInSteps(s, payload);
    expect(sha256(back)).toBe(sha256(payload));
    expect(server.receivedDigest()).toBe(sha256(payload));
    await s.close();
  }, 30_000);
});

