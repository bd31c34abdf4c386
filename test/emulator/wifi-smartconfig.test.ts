import { afterEach, describe, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/**
 * AT+CWSTARTSMART / AT+CWSTOPSMART: the lines at_smartconfig_event_handler and the got-IP handler
 * print on the AT port, from a phone in the world; silence without one. On fake time.
 */

const OFFICE = { ssid: 'office', password: 'officepass', rssi: -60, channel: 1, bssid: '02:00:00:00:00:07', ip: '10.0.0.9', gateway: '10.0.0.1', netmask: '255.255.255.0' };
const TIMING = { scale: 1, associateMs: 400, dhcpMs: 200, wrongPasswordMs: 4000, noApMs: 2500, scanMs: 1500 };

async function bench(phone?: Record<string, unknown>) {
  const world = parseWorldConfig({ accessPoints: [OFFICE], timing: TIMING, ...(phone ? { smartConfigPhone: phone } : {}) });
  const { host } = await startBench(cleanup, { world, clock: new ManualClock() });
  await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return host;
}

describe('AT+CWSTARTSMART', () => {
  it('ESP-Touch phone: type, "Smart get wifi info", ssid, password, the join, "smartconfig connected wifi"', async () => {
    const host = await bench({ protocol: 'esptouch', ssid: 'office', password: 'officepass', afterMs: 4000 });
    await host.exchange('AT+CWSTARTSMART\r\n', '\r\nOK\r\n');
    await host.expectSilence(3900);
    await host.expect(
      'smartconfig type:ESPTOUCH\r\nSmart get wifi info\r\nssid:office\r\npassword:officepass\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\nsmartconfig connected wifi\r\n',
      5000,
    );
    await host.exchange('AT+CWSTOPSMART\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJAP?\r\n', '+CWJAP:"office","02:00:00:00:00:07",1,-60,0,0,3,0,1\r\n\r\nOK\r\n');
  });

  it('ESP-Touch v2 with reserved data: +SCRD:<len>,<data>', async () => {
    const host = await bench({ protocol: 'esptouch-v2', ssid: 'office', password: 'officepass', reservedData: 'room-12', afterMs: 1000 });
    await host.exchange('AT+CWSTARTSMART=4,0,"0123456789abcdef"\r\n', '\r\nOK\r\n');
    await host.expect(
      'smartconfig type:ESPTOUCH_V2\r\nSmart get wifi info\r\nssid:office\r\npassword:officepass\r\n+SCRD:7,room-12\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\nsmartconfig connected wifi\r\n',
      5000,
    );
  });

  it('no phone, or one the type does not listen for: OK and silence until AT+CWSTOPSMART', async () => {
    const host = await bench({ protocol: 'airkiss', ssid: 'office', password: 'officepass', afterMs: 1000 });
    await host.exchange('AT+CWSTARTSMART=1\r\n', '\r\nOK\r\n');
    await host.expectSilence(120_000);
    await host.exchange('AT+CWSTOPSMART\r\n', '\r\nOK\r\n');
    const lonely = await bench();
    await lonely.exchange('AT+CWSTARTSMART\r\n', '\r\nOK\r\n');
    await lonely.expectSilence(120_000);
    await lonely.exchange('AT+CWSTATE?\r\n', '+CWSTATE:0,""\r\n\r\nOK\r\n');
  });

  it('AT+CWSTOPSMART before the phone speaks: nothing arrives', async () => {
    const host = await bench({ protocol: 'airkiss', ssid: 'office', password: 'officepass', afterMs: 2000 });
    await host.exchange('AT+CWSTARTSMART=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSTOPSMART\r\n', '\r\nOK\r\n');
    await host.expectSilence(10_000);
  });

  it('bad input: type 1..4, auth floor 0..7, a 16-byte v2 key; station mode required', async () => {
    const host = await bench();
    await host.exchange('AT+CWSTARTSMART=5\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWSTARTSMART=1,8\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWSTARTSMART=4,0,"short"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWSTOPSMART=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSTARTSMART\r\n', '\r\nERROR\r\n');
  });
});
