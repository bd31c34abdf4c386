/**
 * The socket timeout holds even when the module is slow to answer a command already on the line:
 *   - a read whose CIPRECVDATA answer is held up (a stalled UART) raises ETIMEDOUT on time, and
 *     the bytes that arrive later are not lost: the next read gets them;
 *   - a send whose payload lost a byte on the line (the module waits for it, so no SEND OK comes)
 *     raises ETIMEDOUT on time; the stream is then failed for good (EIO: an unknown part may still
 *     leave, a retry could duplicate bytes), and a fresh socket works once the engine has given up
 *     on the stuck command.
 * The module, its faults and the driver share one ManualClock: every wait here is on fake time
 * (test/helpers/fake-time.ts), and "on time" is measured on it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OSError, errno } from '../../src/errors.js';
import type { Coprocessor } from '../../src/open.js';
import type { Socket } from '../../src/usocket/socket.js';
import type { FaultInjector } from '../../emulator/faults/injector.js';
import { LAB_AP, openDriver, startFaultyModule } from '../../soak/driver.js';
import { seededBytes, sourceRequest, startPeers } from '../../soak/peers.js';
import type { SoakPeers } from '../../soak/peers.js';
import { fakeUntil, onFakeTime } from '../helpers/fake-time.js';
import { ManualClock } from '../helpers/manual-clock.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let clock: ManualClock;

/** `work` on fake time. */
const fake = <T>(work: Promise<T>, what: string): Promise<T> => onFakeTime(clock, work, what);

async function rig(): Promise<{ copro: Coprocessor; faults: FaultInjector; peers: SoakPeers }> {
  clock = new ManualClock();
  const peers = await startPeers();
  cleanups.push(() => peers.close());
  const { port, faults } = await fake(startFaultyModule(8, undefined, undefined, clock), 'the module');
  const copro = await fake(openDriver(port, { maxCommandMs: 2500, clock }), 'the driver');
  cleanups.push(() => fake(copro.close(), 'close'));
  await fake(copro.wlan.connect(LAB_AP.ssid, LAB_AP.key), 'the join');
  return { copro, faults, peers };
}

/** The OSError `p` fails with, and how long that took on the fake clock. */
async function timed(p: Promise<unknown>): Promise<{ err: OSError; ms: number }> {
  const started = clock.now();
  try {
    await fake(p, 'the call');
  } catch (err) {
    if (err instanceof OSError) return { err, ms: clock.now() - started };
    throw err;
  }
  throw new Error('expected an OSError');
}

describe('socket timeouts while the module is slow', () => {
  /** A read of 600 bytes from the source whose CIPRECVDATA answer stalls on the UART for `stallMs`. */
  async function stalledRead(stallMs: number): Promise<{ copro: Coprocessor; peers: SoakPeers; s: Socket; ms: number; err: OSError }> {
    const { copro, faults, peers } = await rig();
    const s = copro.usocket.socket();
    s.settimeout(1);
    await fake(s.connect(['127.0.0.1', peers.source]), 'connect');
    await fake(s.write(sourceRequest(600, 21)), 'the request');
    // Let the +IPD notice arrive; then the next module output — the answer to our CIPRECVDATA —
    // stalls on the UART.
    const noticeBy = clock.now() + 200;
    await fakeUntil(clock, () => clock.now() >= noticeBy, 'the +IPD notice');
    faults.apply(`stall@#1:for=${stallMs}ms,dir=out`);
    const { err, ms } = await timed(s.read(600));
    return { copro, peers, s, ms, err };
  }

  it('a read times out on time while its CIPRECVDATA answer is held; the bytes come with the next read', async () => {
    const { s, err, ms } = await stalledRead(1800);
    expect(err.errno).toBe(errno.ETIMEDOUT);
    expect(ms).toBeGreaterThanOrEqual(1000); // the socket timeout (1 s)...
    expect(ms).toBeLessThan(1800); // ...plus slack, not the stall
    s.settimeout(10);
    const got = await fake(s.read(600), 'the held bytes');
    expect(Buffer.from(got ?? []).equals(seededBytes(600, 21))).toBe(true);
    await fake(s.close(), 'close');
  }, 30_000);

  it('a read the module answers only after the engine gave up: EIO (its data went with the late answer), then a fresh socket works', async () => {
    const { copro, peers, s, err, ms } = await stalledRead(4000);
    expect(err.errno).toBe(errno.ETIMEDOUT);
    expect(ms).toBeLessThan(1800);
    s.settimeout(10);
    expect((await timed(s.read(600))).err.errno).toBe(errno.EIO);
    await fake(s.close(), 'close');
    const t = copro.usocket.socket();
    t.settimeout(10);
    await fake(t.connect(['127.0.0.1', peers.echo]), 'connect');
    await fake(t.write('fresh'), 'write');
    expect(Buffer.from((await fake(t.read(5), 'the echo')) ?? []).toString()).toBe('fresh');
    await fake(t.close(), 'close');
  }, 30_000);

  it('a send times out on time when its payload lost a byte; the stream is failed, a fresh socket works', async () => {
    const { copro, faults, peers } = await rig();
    const s = copro.usocket.socket();
    s.settimeout(1);
    await fake(s.connect(['127.0.0.1', peers.echo]), 'connect');
    // The 100th byte the host sends from now on: inside the payload of the CIPSEND below.
    faults.apply('drop@#100:dir=in');
    const { err, ms } = await timed(s.write(Buffer.alloc(3000, 0x61)));
    expect(err.errno).toBe(errno.ETIMEDOUT);
    expect(ms).toBeLessThan(2500);
    // An unknown part may still reach the peer: the stream is not used again.
    const after = await timed(s.write('more'));
    expect(after.err.errno).toBe(errno.EIO);
    await fake(s.close(), 'close');
    faults.clear();
    // Once the engine gives up on the stuck CIPSEND (maxCommandMs), commands flow again.
    const t = copro.usocket.socket();
    t.settimeout(8);
    await fake(t.connect(['127.0.0.1', peers.echo]), 'connect');
    await fake(t.write('fresh'), 'write');
    expect(Buffer.from((await fake(t.read(5), 'the echo')) ?? []).toString()).toBe('fresh');
    await fake(t.close(), 'close');
  }, 30_000);
});
