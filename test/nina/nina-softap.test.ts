import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { moduleWorld } from '../../emulator/modules.js';
import { RadioAir } from '../../emulator/network/radio-air.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ConnectionStatus, ninaFields as f } from '../../firmware-protocol/nina/index.js';
import { NinaHostSession } from '../helpers/nina-host-session.js';
import { TestHost } from '../emulator/harness.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const WORLD = parseWorldConfig({ timing: { scale: 0.01 }, modules: [{}, {}] });
const NO_DNS = { lookup: async (name: string) => Promise.reject(new Error(`no real DNS in tests (${name})`)) };

describe('NINA: WiFi.beginAP (SET_AP_NET / SET_AP_PASSPHRASE) and an AT module joining it', () => {
  it('starts the access point, reports AP_LISTENING and its address, AP_CONNECTED while a station is joined', async () => {
    const air = new RadioAir();
    const nina = await startEmulator({ protocol: 'nina', world: moduleWorld(WORLD, 0), network: { ...NO_DNS, air } });
    stops.push(() => nina.close());
    const at = await startEmulator({ world: moduleWorld(WORLD, 1), network: { ...NO_DNS, air } });
    stops.push(() => at.close());
    const link = nina.host!;
    const h = new NinaHostSession({ write: (b) => link.write(b), onData: (l) => link.onData(l) });
    const station = new TestHost(at.host!);
    await station.expect('\r\nready\r\n');

    expect(await h.byte('SET_AP_PASSPHRASE', [f.textBytes('nina-ap'), f.textBytes('short'), f.u8(6)])).toBe(0);
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.AP_FAILED);
    expect(await h.byte('SET_AP_PASSPHRASE', [f.textBytes('nina-ap'), f.textBytes('ninakey123'), f.u8(6)])).toBe(1);
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.AP_LISTENING);
    const [ip] = await h.call('GET_IPADDR', [f.u8(0xff)]);
    expect([...ip].join('.')).toBe('192.168.4.1');

    await station.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await station.exchange('AT+CWJAP="nina-ap","ninakey123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.AP_CONNECTED);
    await station.exchange('AT+CWQAP\r\n', '\r\nOK\r\nWIFI DISCONNECT\r\n');
    expect(await h.byte('GET_CONN_STATUS')).toBe(ConnectionStatus.AP_LISTENING);
  });
});
