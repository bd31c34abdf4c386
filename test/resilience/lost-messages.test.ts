/**
 * One message damaged on the line, on purpose and exactly (tamper-port.ts), where the seeded byte
 * faults hit at random: the engine must notice by itself and the application must get either its
 * bytes or an error — never a hang, never wrong bytes.
 *   - a lost `<id>,CLOSED` (peers.md E16): a blocking read still ends (the module's link list is
 *     compared while a reader waits);
 *   - a lost `ready` (E9): the echo that comes back on with every boot gives the restart away;
 *   - a garbled `+CIPRECVDATA` header: the hole in the stream is an EIO, not a silent gap;
 *   - a lost `+IPD` notice (E2): the data is still read.
 * The module and the driver share one ManualClock: every wait is on fake time (test/helpers/fake-time.ts).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultInjector } from '../../emulator/faults/injector.js';
import { OSError, errno } from '../../src/errors.js';
import type { Coprocessor } from '../../src/open.js';
import { LAB_AP, openDriver, startFaultyModule } from '../../soak/driver.js';
import { seededBytes, sourceRequest, startPeers } from '../../soak/peers.js';
import type { SoakPeers } from '../../soak/peers.js';
import { fakeUntil, onFakeTime } from '../helpers/fake-time.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { tamperPort } from './tamper-port.js';
import type { TamperPort } from './tamper-port.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

interface Rig {
  readonly copro: Coprocessor;
  readonly port: TamperPort;
  readonly faults: FaultInjector;
  readonly peers: SoakPeers;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let clock: ManualClock;

/** `work` on fake time. */
const fake = <T>(work: Promise<T>, what = 'the call'): Promise<T> => onFakeTime(clock, work, what);

async function rig(): Promise<Rig> {
  clock = new ManualClock();
  const peers = await startPeers();
  cleanups.push(() => peers.close());
  const { port: inner, faults } = await fake(startFaultyModule(3, undefined, undefined, clock), 'the module');
  const port = tamperPort(inner);
  const copro = await fake(openDriver(port, { maxCommandMs: 3000, clock }), 'the driver');
  cleanups.push(() => fake(copro.close(), 'close'));
  await fake(copro.wlan.connect(LAB_AP.ssid, LAB_AP.key), 'the join');
  return { copro, port, faults, peers };
}

/** A fresh TCP socket moves bytes both ways: the session works. */
async function echoWorks(copro: Coprocessor, peers: SoakPeers): Promise<void> {
  const s = copro.usocket.socket();
  s.settimeout(5);
  try {
    await fake(s.connect(['127.0.0.1', peers.echo]));
    const data = Buffer.from('after the damage, a session works again\n');
    await fake(s.write(data));
    expect(Buffer.from((await fake(s.read(data.length))) ?? []).equals(data)).toBe(true);
  } finally {
    await fake(s.close());
  }
}

async function errorOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await fake(p);
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

describe('messages lost or damaged on the serial line', () => {
  it('a lost <id>,CLOSED: a blocking read to EOF still ends, with every byte (E16)', async () => {
    const { copro, port, peers } = await rig();
    const lost = port.tamper({ find: /\d,CLOSED\r\n/, replace: '' });
    const s = copro.usocket.socket(); // blocking: no timeout
    await fake(s.connect(['127.0.0.1', peers.source]));
    await fake(s.write(sourceRequest(3000, 77)));
    const started = clock.now();
    const got = await fake(s.read()); // to EOF: the source ends the stream after 3000 bytes
    expect(lost.hits()).toBe(1);
    expect(sha(got ?? new Uint8Array(0))).toBe(sha(seededBytes(3000, 77)));
    // Found by the link check (every 3 s while a reader waits), not by luck.
    expect(clock.now() - started).toBeLessThan(15_000);
    await fake(s.close());
    await echoWorks(copro, peers);
  }, 30_000);

  it('a lost ready: the echo after ATE0 gives the restart away, sockets fail, the engine resyncs (E9)', async () => {
    const { copro, port, faults, peers } = await rig();
    const s = copro.usocket.socket();
    s.settimeout(5);
    await fake(s.connect(['127.0.0.1', peers.echo]));
    const lost = port.tamper({ find: /\r\nready\r\n/, replace: '\r\n' });
    faults.apply('reset');
    // Bytes sent while the module boots are lost (its UART is not up): the next command goes out
    // once the boot is over, where only the missing `ready` hides the restart.
    await fakeUntil(clock, () => lost.hits() === 1, 'the reboot');
    // The module forgot the link and the AP; the driver learns it at its next command.
    const err = await errorOf((async () => {
      await s.write('hello?');
      await s.read(6);
    })());
    expect(err.errno).toBe(errno.ECONNABORTED);
    expect(err.message).toMatch(/restarted/);
    await fake(s.close());
    // The module rejoins its saved AP by itself (CWAUTOCONN); join if it has not yet.
    if (!copro.wlan.isconnected()) await fake(copro.wlan.connect(LAB_AP.ssid, LAB_AP.key));
    await echoWorks(copro, peers);
    // The driver never saw that `ready`.
    expect(lost.hits()).toBe(1);
  }, 30_000);

  it('a garbled +CIPRECVDATA header: the read fails with EIO instead of leaving a silent hole', async () => {
    const { copro, port, peers } = await rig();
    const s = copro.usocket.socket();
    s.settimeout(5);
    await fake(s.connect(['127.0.0.1', peers.source]));
    const garbled = port.tamper({ find: /\+CIPRECVDATA:/, replace: '+CIPRECVDAXA:' });
    await fake(s.write(sourceRequest(2000, 5)));
    const err = await errorOf(s.read(2000));
    expect(garbled.hits()).toBe(1);
    expect(err.errno).toBe(errno.EIO);
    await fake(s.close());
    await echoWorks(copro, peers);
  }, 30_000);

  it('a lost +IPD notice: the data is read all the same (E2)', async () => {
    const { copro, port, peers } = await rig();
    const s = copro.usocket.socket();
    s.settimeout(5);
    await fake(s.connect(['127.0.0.1', peers.source]));
    const lost = port.tamper({ find: /\r\n\+IPD,\d,\d+\r\n/, replace: '' });
    await fake(s.write(sourceRequest(1500, 9)));
    const got = await fake(s.read(1500));
    expect(lost.hits()).toBe(1);
    expect(sha(got ?? new Uint8Array(0))).toBe(sha(seededBytes(1500, 9)));
    await fake(s.close());
  }, 30_000);
});
