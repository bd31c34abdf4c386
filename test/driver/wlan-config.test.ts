/**
 * wlan.config('mac') and wlan.config({ hostname }) on the emulator: over ESP-AT 2.4 (AT+CIPSTAMAC?,
 * AT+CWHOSTNAME), ESP8266 NonOS 1.7 (AT+CIPSTAMAC_CUR?; no AT+CWHOSTNAME) and NINA (GET_MACADDR,
 * SET_HOSTNAME). The usocket layer sees none of it: the back ends' station interfaces do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/emulator.js';
import { OSError, errno } from '../../src/errors.js';
import { startRig, stopAll } from './emulator-harness.js';

afterEach(stopAll);

async function errOf(p: Promise<unknown>): Promise<OSError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OSError) return err;
    throw err;
  }
  throw new Error('expected an OSError');
}

const BASE_MAC = [0x24, 0x0a, 0xc4, 0xc0, 0x90, 0x01];

describe('wlan.config: mac and hostname', () => {
  it('ESP-AT 2.4: the MAC as six bytes, the host name read and set (and seen by the module)', async () => {
    const { copro, emulator } = await startRig('pair');
    expect([...(await copro.wlan.config('mac'))]).toEqual(BASE_MAC);
    expect(await copro.wlan.config('hostname')).toBe('espressif');
    await copro.wlan.config({ hostname: 'sensor-7' });
    expect(await copro.wlan.config('hostname')).toBe('sensor-7');
    expect(emulator.stack.station.info().hostname).toBe('sensor-7');
    expect((await errOf(copro.wlan.config({ hostname: 'x'.repeat(33) }))).errno).toBe(errno.EINVAL);
    expect((await errOf(copro.wlan.config({ essid: 'ap' } as never))).errno).toBe(errno.EINVAL);
    // A MAC set on the module is what the driver reads.
    const core = (emulator as RunningEmulator).module.core;
    core.stack.station.setMac('1a:fe:35:98:d3:7b');
    expect([...(await copro.wlan.config('mac'))]).toEqual([0x1a, 0xfe, 0x35, 0x98, 0xd3, 0x7b]);
  });

  it('ESP8266 NonOS 1.7: the MAC through AT+CIPSTAMAC_CUR?; AT+CWHOSTNAME, ESP-<MAC tail> after boot', async () => {
    const { copro } = await startRig('pair', 'esp8266-at-1.7');
    expect([...(await copro.wlan.config('mac'))]).toEqual(BASE_MAC);
    const tail = BASE_MAC.slice(3).map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join('');
    expect(await copro.wlan.config('hostname')).toBe(`ESP-${tail}`);
    await copro.wlan.config({ hostname: 'sensor-7' });
    expect(await copro.wlan.config('hostname')).toBe('sensor-7');
  });

  it('NINA: GET_MACADDR; SET_HOSTNAME names the station, which nina-fw cannot be asked back', async () => {
    const { copro, emulator } = await startRig('pair', undefined, true, { protocol: 'nina' });
    expect([...(await copro.wlan.config('mac'))]).toEqual(BASE_MAC);
    expect((await errOf(copro.wlan.config('hostname'))).errno).toBe(errno.EOPNOTSUPP);
    await copro.wlan.config({ hostname: 'nina-board' });
    expect(emulator.stack.station.info().hostname).toBe('nina-board');
    expect(await copro.wlan.config('hostname')).toBe('nina-board');
  });
});
