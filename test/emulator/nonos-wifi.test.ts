/**
 * NonOS AT 1.7.4's Wi-Fi commands that differ from 2.x (ESP8266_NONOS_SDK v3.0.4: libat.a at_wifiCmd.o's
 * handlers, libmain's user_interface.o): AT+CWHOSTNAME's `%s:%s\r\n` and its default `ESP-%02X%02X%02X`.
 */
import { afterEach, describe, it } from 'vitest';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const PROFILE = 'esp8266-at-1.7';

describe('NonOS 1.7: AT+CWHOSTNAME', () => {
  it('starts as ESP- and the station MAC\'s last three bytes; 32 bytes at most; station mode required', async () => {
    const { host } = await startBench(cleanup, { profile: PROFILE, clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC_CUR?\r\n', '+CIPSTAMAC_CUR:"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME?\r\n', '+CWHOSTNAME:ESP-C09001\r\n\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME="my_test"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME?\r\n', '+CWHOSTNAME:my_test\r\n\r\nOK\r\n');
    await host.exchange(`AT+CWHOSTNAME="${'h'.repeat(33)}"\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE_CUR=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME="other"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME?\r\n', '+CWHOSTNAME:ESP-C09001\r\n\r\nOK\r\n');
  });
});
