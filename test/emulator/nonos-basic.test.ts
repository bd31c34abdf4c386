/**
 * NonOS AT 1.7.4's AT+SLEEP and AT+RFPOWER (ESP8266_NONOS_SDK v3.0.4 libat.a at_baseCmd.o: the sleep
 * query's `%s:%d\r\n`, modes 0..2; AT+RFPOWER set only, 0..82; the instruction set's "Modem-sleep is the
 * default sleep mode").
 */
import { afterEach, describe, it } from 'vitest';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const PROFILE = 'esp8266-at-1.7';

describe('NonOS 1.7: AT+SLEEP, AT+RFPOWER', () => {
  it('sleep: modem (2) after boot, 0..2, the mode set until the next boot', async () => {
    const { host } = await startBench(cleanup, { profile: PROFILE, clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEP?\r\n', '+SLEEP:2\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEP?\r\n', '+SLEEP:1\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEP?\r\n', '+SLEEP:0\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP=3\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP?\r\n', '+SLEEP:2\r\n\r\nOK\r\n');
  });

  it('rfpower: a set of 0..82 and no query', async () => {
    const { host } = await startBench(cleanup, { profile: PROFILE, clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=82\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=83\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '\r\nERROR\r\n');
  });
});
