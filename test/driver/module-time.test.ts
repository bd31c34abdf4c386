/**
 * The module's clock through the driver: `copro.startNtp()` and `copro.time()` — ESP-AT's
 * AT+CIPSNTPCFG / AT+SYSTIMESTAMP? against a real SNTP server on loopback (the world's `ntp`
 * section names it), nina-fw's GET_TIME.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { sntpAnswer } from '../../firmware-protocol/sntp.js';
import { errno, OSError } from '../../src/errors.js';
import { open, type Coprocessor } from '../../src/open.js';

const SERVER_TIME = Date.UTC(2026, 11, 3, 12, 0, 0);
const closers: (() => Promise<void>)[] = [];
let copro: Coprocessor | undefined;
afterEach(async () => {
  await copro?.close();
  copro = undefined;
  for (const close of closers.splice(0)) await close();
});

async function sntpServer(): Promise<number> {
  const socket = createSocket('udp4');
  socket.on('message', (_message, rinfo) => socket.send(sntpAnswer(SERVER_TIME), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

/** Asks `copro.time()` until it is set (bounded: 100 times, 20 ms apart). */
async function timeOnceSet(c: Coprocessor): Promise<number | null> {
  for (let i = 0; i < 100; i++) {
    const seconds = await c.time();
    if (seconds !== null) return seconds;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

describe('the module clock: startNtp() and time()', () => {
  it('ESP-AT: null until SNTP runs, then the server time (AT+CIPSNTPCFG in UTC, AT+SYSTIMESTAMP?)', async () => {
    const port = await sntpServer();
    const world = parseWorldConfig({ timing: { scale: 0.01 }, ntp: { 'ntp.lab': `127.0.0.1:${port}` } });
    copro = await open('emu:', { emulator: { world } });
    await copro.wlan.connect('copro-lab', 'labpass123');
    expect(await copro.time()).toBeNull();
    await copro.startNtp(['ntp.lab']);
    const seconds = await timeOnceSet(copro);
    expect(Math.abs((seconds ?? 0) - SERVER_TIME / 1000)).toBeLessThan(60);
  });

  it('NonOS 1.7 cannot say: EOPNOTSUPP', async () => {
    copro = await open('emu:esp8266-at-1.7', { emulator: { world: parseWorldConfig({ timing: { scale: 0.01 } }) } });
    const err = await copro.time().then(
      () => null,
      (error: unknown) => error,
    );
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).errno).toBe(errno.EOPNOTSUPP);
  });

  it("nina-fw: GET_TIME is 0 (null) before the join, then what its SNTP client's 0.pool.ntp.org said; its servers are its own", async () => {
    const port = await sntpServer();
    const world = parseWorldConfig({ timing: { scale: 0.01 }, ntp: { '0.pool.ntp.org': `127.0.0.1:${port}` } });
    copro = await open('emu:', { protocol: 'nina', emulator: { world } });
    expect(await copro.time()).toBeNull();
    await copro.wlan.connect('copro-lab', 'labpass123');
    await copro.startNtp();
    const seconds = await timeOnceSet(copro);
    expect(Math.abs((seconds ?? 0) - SERVER_TIME / 1000)).toBeLessThan(60);
    await expect(copro.startNtp(['ntp.lab'])).rejects.toMatchObject({ errno: errno.EOPNOTSUPP });
  });
});
