/**
 * NonOS AT 1.7.4's Wi-Fi commands that differ from 2.x (ESP8266_NONOS_SDK v3.0.4: libat.a at_wifiCmd.o's
 * handlers, libmain's user_interface.o): AT+CWHOSTNAME's `%s:%s\r\n` and its default `ESP-%02X%02X%02X`;
 * SmartConfig's types 1..3 and smartconfig_done's lines; AT+WPS's lines on the AT port.
 */
import { afterEach, describe, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
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

describe('NonOS 1.7: AT+CWSTARTSMART, AT+CWSTOPSMART', () => {
  const office = { ssid: 'office', password: 'officepass', rssi: -60, channel: 1, bssid: '02:00:00:00:00:07', ip: '10.0.0.9', gateway: '10.0.0.1', netmask: '255.255.255.0' };
  const timing = { scale: 1, associateMs: 400, dhcpMs: 200, wrongPasswordMs: 4000, noApMs: 2500, scanMs: 1500 };

  it('prints smartconfig_done\'s lines for an AirKiss phone; types 1..3 only', async () => {
    const phone = { protocol: 'airkiss', ssid: 'office', password: 'officepass', afterMs: 1000 };
    const world = parseWorldConfig({ accessPoints: [office], timing, smartConfigPhone: phone });
    const { host } = await startBench(cleanup, { profile: PROFILE, world, clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSTARTSMART=4\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWSTARTSMART=2\r\n', '\r\nOK\r\n');
    await host.expect(
      'smartconfig type:AIRKISS\r\nSmart get wifi info\r\nssid:office\r\npassword:officepass\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\nsmartconfig connected wifi\r\n',
      5000,
    );
    await host.exchange('AT+CWSTOPSMART\r\n', '\r\nOK\r\n');
  });
});

describe('NonOS 1.7: AT+WPS', () => {
  const lab = { ssid: 'copro-lab', password: 'labpass123', rssi: -45, channel: 6, bssid: 'ca:d7:19:d8:a6:44', ip: '192.168.10.42', gateway: '192.168.10.1', netmask: '255.255.255.0' };
  const timing = { scale: 1, associateMs: 400, dhcpMs: 200, wrongPasswordMs: 4000, noApMs: 2500, scanMs: 1500 };

  async function bench(accessPoints: unknown[]) {
    const world = parseWorldConfig({ accessPoints, timing });
    const { host } = await startBench(cleanup, { profile: PROFILE, world, clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    return host;
  }

  it('prints its own lines on the AT port: started, success, the join; stoped; mismatch and command error', async () => {
    const host = await bench([{ ...lab, wpsButton: true }]);
    await host.exchange('AT+CWMODE_CUR=3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+WPS=1\r\n', 'opmode mismatch when wps\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+WPS=2\r\n', 'wps command error\r\n\r\nERROR\r\n');
    await host.exchange('AT+WPS=1\r\n', 'wps started\r\n\r\nOK\r\n');
    await host.expect('wps success,connecting ap ...\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\n', 10_000);
    await host.exchange('AT+WPS=0\r\n', 'wps stoped\r\n\r\nOK\r\n');
  });

  it('without a pressed button: wps fail after the walk time', async () => {
    const host = await bench([lab]);
    await host.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+WPS=1\r\n', 'wps started\r\n\r\nOK\r\n');
    await host.expect('wps fail\r\n', 130_000);
  });
});
