import { afterEach, describe, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/**
 * AT+WPS (Wi-Fi_AT_Commands.rst; at_setup_cmd_wps / at_wps_event_handler print only to the
 * console): `OK`, then the join's URCs when an AP's push button is pressed; nothing at all when
 * none is within ESP-IDF's 2-minute walk time. On fake time.
 */

const LAB = { ssid: 'copro-lab', password: 'labpass123', rssi: -45, channel: 6, bssid: 'ca:d7:19:d8:a6:44', ip: '192.168.10.42', gateway: '192.168.10.1', netmask: '255.255.255.0' };
const OFFICE = { ssid: 'office', password: 'officepass', rssi: -60, channel: 1, bssid: '02:00:00:00:00:07', ip: '10.0.0.9', gateway: '10.0.0.1', netmask: '255.255.255.0' };
const TIMING = { scale: 1, associateMs: 400, dhcpMs: 200, wrongPasswordMs: 4000, noApMs: 2500, scanMs: 1500 };

async function bench(accessPoints: unknown[]) {
  const { host } = await startBench(cleanup, { world: parseWorldConfig({ accessPoints, timing: TIMING }), clock: new ManualClock() });
  await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return host;
}

describe('AT+WPS', () => {
  it('with an AP whose button is pressed: OK, then WIFI CONNECTED / WIFI GOT IP with its credentials, kept for AT+CWJAP', async () => {
    const host = await bench([LAB, { ...OFFICE, wpsButton: true }]);
    await host.exchange('AT+CWLAPOPT=0,2047\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWLAP="office"\r\n', '+CWLAP:(3,"office",-60,"02:00:00:00:00:07",1,-1,-1,4,4,7,1)\r\n\r\nOK\r\n', 5000);
    await host.exchange('AT+WPS=1\r\n', '\r\nOK\r\n');
    await host.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n', 10_000);
    await host.exchange('AT+CWJAP?\r\n', '+CWJAP:"office","02:00:00:00:00:07",1,-60,0,0,3,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWQAP\r\n', '\r\nOK\r\nWIFI DISCONNECT\r\n');
    await host.exchange('AT+CWJAP\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n', 10_000);
  });

  it('without one: OK and then silence, past the 2-minute walk time; AT+WPS=0 stops a session', async () => {
    const host = await bench([LAB]);
    await host.exchange('AT+WPS=1\r\n', '\r\nOK\r\n');
    await host.expectSilence(130_000);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:0,""\r\n\r\nOK\r\n');
    await host.exchange('AT+WPS=1,3\r\n', '\r\nOK\r\n');
    await host.exchange('AT+WPS=0\r\n', '\r\nOK\r\n');
    await host.expectSilence(130_000);
  });

  it('two pressed buttons are a push-button overlap: no join', async () => {
    const host = await bench([{ ...LAB, wpsButton: true }, { ...OFFICE, wpsButton: true }]);
    await host.exchange('AT+WPS=1\r\n', '\r\nOK\r\n');
    await host.expectSilence(10_000);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:0,""\r\n\r\nOK\r\n');
  });

  it('bad input: enable 0/1, auth floor 0..7; station mode required', async () => {
    const host = await bench([{ ...LAB, wpsButton: true }]);
    await host.exchange('AT+WPS=2\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+WPS=1,8\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+WPS\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+WPS=1\r\n', '\r\nERROR\r\n');
    await host.expectSilence(5000);
  });
});
