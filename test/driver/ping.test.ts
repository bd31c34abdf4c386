/**
 * Ping from the module, through the driver (`wlan.ping`) and on the wire: ESP-AT's AT+PING and nina-fw's
 * PING frame (ip, ttl → int16 LE round trip, -1 without an echo), both answered from the radio world's
 * ping table (emulator/network/ping-world.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { errno, gaiErrno, OSError } from '../../src/errors.js';
import { open, type Coprocessor } from '../../src/open.js';
import { startNinaBench, joinLab, type NinaBench } from '../nina/harness.js';

/** A fast radio (1/100 of real time): nina-fw's 5 s wait for an echo is 50 ms here; figures are the world's. */
const PING_WORLD = parseWorldConfig({
  timing: { scale: 0.01 },
  hosts: { 'peer.lab': '127.0.0.1', 'quiet.lab': '127.0.0.9' },
  ping: { defaultMs: 7, hosts: { 'peer.lab': 12, 'quiet.lab': null, '10.9.9.9': null } },
});

let copro: Coprocessor | undefined;
let bench: NinaBench | undefined;
afterEach(async () => {
  await copro?.close();
  await bench?.close();
  copro = bench = undefined;
});

async function pingFailure(work: Promise<unknown>): Promise<OSError> {
  const error = await work.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(error instanceof OSError)) throw new Error(`expected an OSError, got ${String(error)}`);
  return error;
}

describe('wlan.ping(host): the module pings, by address or name', () => {
  for (const protocol of ['at', 'nina'] as const) {
    it(`over ${protocol}: the round trip in ms, null without an echo, a name resolved by the module`, async () => {
      copro = await open('emu:', { protocol, emulator: { world: PING_WORLD } });
      await copro.wlan.connect('copro-lab', 'labpass123');
      expect(await copro.wlan.ping('192.168.1.1')).toBe(7);
      expect(await copro.wlan.ping('peer.lab')).toBe(12);
      expect(await copro.wlan.ping('10.9.9.9')).toBeNull();
      expect(await copro.wlan.ping('quiet.lab')).toBeNull();
      const err = await pingFailure(copro.wlan.ping('nowhere.invalid'));
      expect(err.errno).toBe(gaiErrno.EAI_NONAME);
    });
  }

  it('over AT on NonOS 1.7 (`+<ms>`, `+timeout`): the round trip in ms, null without an echo', async () => {
    copro = await open('emu:esp8266-at-1.7', { emulator: { world: PING_WORLD } });
    await copro.wlan.connect('copro-lab', 'labpass123');
    expect(await copro.wlan.ping('192.168.1.1')).toBe(7);
    expect(await copro.wlan.ping('peer.lab')).toBe(12);
    expect(await copro.wlan.ping('quiet.lab')).toBeNull();
  });
});

describe('nina-fw PING (0x3e): ip(4), ttl(1) → int16 LE', () => {
  it('answers the round trip little-endian, -1 (ff ff) without an echo or an address; a missing TTL is the error reply', async () => {
    bench = await startNinaBench(PING_WORLD);
    const h = bench.host;
    // No address yet: the echo cannot leave.
    expect(await h.call('PING', [f.ipv4Bytes('127.0.0.1'), f.u8(128)])).toEqual([Uint8Array.of(0xff, 0xff)]);
    await joinLab(h);
    expect(await h.call('PING', [f.ipv4Bytes('127.0.0.1'), f.u8(128)])).toEqual([Uint8Array.of(12, 0)]);
    expect(await h.call('PING', [f.ipv4Bytes('192.168.1.1'), f.u8(1)])).toEqual([Uint8Array.of(7, 0)]);
    expect(await h.call('PING', [f.ipv4Bytes('10.9.9.9'), f.u8(128)])).toEqual([Uint8Array.of(0xff, 0xff)]);
    expect(await h.request('PING', [f.ipv4Bytes('127.0.0.1')])).toEqual({ type: 'error-reply' });
  });
});
