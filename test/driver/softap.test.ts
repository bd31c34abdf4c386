import { afterEach, describe, expect, it } from 'vitest';
import { startModules } from '../../emulator/modules.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { hostPortOnPair } from '../../src/host-port/emu-port.js';
import { open, type Coprocessor } from '../../src/open.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const WORLD = parseWorldConfig({ timing: { scale: 0.01 }, modules: [{}, {}] });

/** Two modules sharing the air, a driver on each (in-process pairs). */
async function openPair(profile?: 'esp8266-at-1.7'): Promise<[Coprocessor, Coprocessor]> {
  const modules = await startModules({
    world: WORLD,
    count: 2,
    ...(profile ? { profile } : {}),
    network: { lookup: async (name) => Promise.reject(new Error(`no real DNS in tests (${name})`)) },
  });
  const drivers: Coprocessor[] = [];
  for (const [index, module] of modules.entries()) {
    const copro = await open(hostPortOnPair(`emu:${index}`, module.host!, () => module.close()));
    cleanups.push(() => copro.close());
    drivers.push(copro);
  }
  return [drivers[0], drivers[1]];
}

describe('driver: network.WLAN(AP_IF) on ESP-AT 2.4', () => {
  it('brings the access point up, configures it, sees the second module join, serves it over TCP', async () => {
    const [first, second] = await openPair();
    expect(await first.ap.active()).toBe(false);
    await first.ap.active(true);
    expect(await first.ap.active()).toBe(true);
    expect(await first.ap.config('essid')).toBe('ESP_C09002');
    await first.ap.config({ essid: 'board-net', key: 'boardkey99', channel: 6 });
    expect(await first.ap.config('essid')).toBe('board-net');
    expect(await first.ap.config('security')).toBe(first.ap.AUTH_WPA2_PSK);
    expect(await first.ap.config('channel')).toBe(6);
    expect(await first.ap.ifconfig()).toEqual(['192.168.4.1', '255.255.255.0', '192.168.4.1', '192.168.4.1']);
    expect(await first.ap.status('stations')).toEqual([]);
    expect(await first.ap.isconnected()).toBe(false);

    const seen = await second.wlan.scan();
    expect(seen.map((ap) => ap[0])).toContain('board-net');
    await second.wlan.connect('board-net', 'boardkey99');
    expect((await second.wlan.ifconfig())[0]).toBe('192.168.4.2');
    expect(await first.ap.status('stations')).toEqual([['24:0a:c4:c0:90:05', '192.168.4.2']]);
    expect(await first.ap.isconnected()).toBe(true);

    const server = first.usocket.socket();
    await server.bind(['0.0.0.0', 8080]);
    await server.listen(1);
    const client = second.usocket.socket();
    await client.connect(['192.168.4.1', 8080]);
    const [peer, address] = await server.accept();
    expect(address[0]).toBe('192.168.4.2');
    await client.send(new TextEncoder().encode('over the softAP'));
    expect(new TextDecoder().decode(await peer.recv(64))).toBe('over the softAP');
    await client.close();
    await peer.close();
    await server.close();

    await first.ap.active(false);
    expect(await first.ap.active()).toBe(false);
  });

  it('on NonOS 1.7 (AT+CWSAP_CUR, AT+CIPAP_CUR, AT+CWLIF without a prefix): up, configured, a station listed', async () => {
    const [first, second] = await openPair('esp8266-at-1.7');
    await first.ap.active(true);
    expect(await first.ap.active()).toBe(true);
    await first.ap.config({ essid: 'board-net', key: 'boardkey99', channel: 6 });
    expect(await first.ap.config('essid')).toBe('board-net');
    expect(await first.ap.ifconfig()).toEqual(['192.168.4.1', '255.255.255.0', '192.168.4.1', '192.168.4.1']);
    await second.wlan.connect('board-net', 'boardkey99');
    expect(await first.ap.status('stations')).toEqual([['24:0a:c4:c0:90:05', '192.168.4.2']]);
  });
});
