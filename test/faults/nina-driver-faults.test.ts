/**
 * Faults on a NINA module as the host driver (src/nina) sees them, through usocket: a chip reset
 * fails the sockets it forgot with ECONNABORTED (the driver's "module restarted") and the driver
 * reconnects after; tcp-reset and dns-fail reach usocket as nina-fw reports them; serial faults on
 * the NINA framing are detected by the driver's request/reply bookkeeping, never passed on as data.
 * Real time on the scaled world (0.01); every wait bounded by a socket timeout or the driver's reply deadline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../emulator/faults/injector.js';
import { OSError, errnoName } from '../../src/errors.js';
import { openNinaEmulatorHostPort } from '../../src/nina/index.js';
import { open, type Coprocessor } from '../../src/open.js';
import type { Socket } from '../../src/usocket/socket.js';
import { echoServer, FAST_WORLD, stopAll } from '../driver/emulator-harness.js';
import { NO_DNS } from '../nina/harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await stopAll();
});

async function errOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

const text = (b: Uint8Array | null): string => Buffer.from(b ?? new Uint8Array(0)).toString();

async function ninaDriver(faults: FaultInjector): Promise<Coprocessor> {
  const port = await openNinaEmulatorHostPort('emu:', { world: FAST_WORLD, network: NO_DNS, faults });
  const copro = await open(port, { protocol: 'nina' });
  cleanups.push(() => copro.close());
  await copro.wlan.connect('copro-lab', 'labpass123');
  return copro;
}

/** A TCP socket through the module to a loopback echo server, `greeting` echoed back once. */
async function echoSocket(copro: Coprocessor, greeting: string): Promise<Socket> {
  const { port } = await echoServer();
  const s = copro.usocket.socket();
  s.settimeout(5);
  await s.connect(['127.0.0.1', port]);
  await s.sendall(greeting);
  expect(text(await s.read(greeting.length))).toBe(greeting);
  return s;
}

describe('NINA faults through the driver', () => {
  it('reset: a socket the chip forgot fails with ECONNABORTED; the driver joins and connects again', async () => {
    const faults = new FaultInjector({ seed: 11 });
    const copro = await ninaDriver(faults);
    const { port } = await echoServer();
    const s = copro.usocket.socket();
    s.settimeout(5);
    await s.connect((await copro.usocket.getaddrinfo('copro.local', port))[0][4]);
    await s.sendall('before');
    expect(text(await s.read(6))).toBe('before');
    expect(faults.apply('reset')).toMatch(/^reset: chip resets, sockets and association gone/);
    // Past the reboot (5 ms at this scale), so that no poll waits out a 3 s reply deadline here (a frame
    // sent during the reboot is never answered; test/nina/nina-backend.test.ts pins how the client gets
    // back in step after that).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const err = await errOf(s.read(1));
    expect(errnoName(err.errno)).toBe('ECONNABORTED');
    expect(await copro.wlan.isconnected()).toBe(false);
    await s.close();

    await copro.wlan.connect('copro-lab', 'labpass123');
    const again = copro.usocket.socket();
    again.settimeout(5);
    await again.connect((await copro.usocket.getaddrinfo('copro.local', port))[0][4]);
    await again.sendall('after');
    expect(text(await again.read(5))).toBe('after');
    await again.close();
  });

  it('dns-fail: getaddrinfo fails with EAI_NONAME while the station is up; the next lookup works', async () => {
    const faults = new FaultInjector({ seed: 11 });
    const copro = await ninaDriver(faults);
    // Armed after the join, for every lookup (nina-fw's SNTP client looks names up too, so #N would race it).
    expect(faults.apply('dns-fail')).toBe('armed dns-fail@1');
    const err = await errOf(copro.usocket.getaddrinfo('copro.local', 80));
    expect(errnoName(err.errno)).toBe('EAI_NONAME');
    expect(err.message).toContain('the module could not resolve copro.local');
    expect(faults.status().injected['dns-fail']).toBeGreaterThanOrEqual(1);
    expect(faults.clear(['dns-fail'])).toEqual(['dns-fail@1']);
    expect((await copro.usocket.getaddrinfo('copro.local', 80))[0][4]).toEqual(['127.0.0.1', 80]);
  });

  it('tcp-reset: nina-fw shows a reset connection as closed (state 0): the read ends, a write fails', async () => {
    const faults = new FaultInjector({ seed: 11 });
    const copro = await ninaDriver(faults);
    const s = await echoSocket(copro, 'x');
    expect(faults.apply('tcp-reset')).toBe('tcp-reset: 1 link reset');
    expect(text(await s.read(1))).toBe('');
    const err = await errOf(s.sendall('more'));
    expect(['ENOTCONN', 'ECONNRESET']).toContain(errnoName(err.errno));
    await s.close();
  });

  it('serial corruption of a reply is an error of that request (bounded), never data', async () => {
    const faults = new FaultInjector({ seed: 11 });
    const copro = await ninaDriver(faults);
    // Every byte of the module's next reply is changed (8 bytes: GET_IPADDR's reply is longer).
    faults.apply('corrupt@1:dir=out,max=8');
    const err = await errOf(copro.wlan.ifconfig());
    expect(['EIO', 'ETIMEDOUT']).toContain(errnoName(err.errno));
    expect(faults.status().injected.corrupt).toBe(8);
  });

  // This once froze the process: the client's loop forgetting the lost GET_IPADDR ran forever without a
  // trace sink, and a second same-command reply was taken for the lost one's (src/nina/nina-client.ts).
  it('serial corruption with a socket open: sendall afterwards works, nothing hangs', async () => {
    const faults = new FaultInjector({ seed: 11 });
    const copro = await ninaDriver(faults);
    const s = await echoSocket(copro, 'clean');
    faults.apply('corrupt@1:dir=out,max=8');
    await errOf(copro.wlan.ifconfig());
    await s.sendall('again');
    expect(text(await s.read(5))).toBe('again');
    await s.close();
  });

  it('serial drop of a request is detected: the request times out (bounded), later ones are answered', async () => {
    const faults = new FaultInjector({ seed: 11 });
    const copro = await ninaDriver(faults);
    faults.apply('drop@1:dir=in,max=3');
    const err = await errOf(copro.usocket.getaddrinfo('copro.local', 80));
    expect(['ETIMEDOUT', 'EIO', 'EAI_FAIL', 'EAI_NONAME']).toContain(errnoName(err.errno));
    expect(faults.status().injected.drop).toBe(3);
    expect((await copro.usocket.getaddrinfo('copro.local', 80))[0][4]).toEqual(['127.0.0.1', 80]);
  });
});
