import { afterEach, describe, it } from 'vitest';
import { startEmulator } from '../../emulator/emulator.js';
import { MdnsRegistry } from '../../emulator/network/mdns-registry.js';
import { Cleanup, FAST_WORLD, TestHost, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** AT+MDNS (Wi-Fi_AT_Commands.rst; the firmware's at_setup_cmd_mdns): `<hostname>.local` for the world's modules. */

const noDns = async (name: string): Promise<string> => Promise.reject(new Error(`no real DNS in tests (${name})`));

async function moduleOn(registry: MdnsRegistry): Promise<TestHost> {
  const emu = await startEmulator({ world: FAST_WORLD, network: { lookup: noDns, mdns: registry } });
  cleanup.add(() => emu.close());
  const host = new TestHost(emu.host!);
  await host.expect('\r\nready\r\n');
  return host;
}

describe('AT+MDNS', () => {
  it('announces <hostname>.local: the module itself and another module of the world resolve it; AT+MDNS=0 stops it', async () => {
    const registry = new MdnsRegistry();
    const a = await moduleOn(registry);
    const b = await moduleOn(registry);
    await joinLab(a);
    await joinLab(b);
    await b.exchange('AT+CIPDOMAIN="espressif.local"\r\n', '\r\nERROR\r\n');
    await a.exchange('AT+MDNS=1,"espressif","_iot",8080\r\n', '\r\nOK\r\n');
    await a.exchange('AT+CIPDOMAIN="espressif.local"\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
    await b.exchange('AT+CIPDOMAIN="ESPRESSIF.local"\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
    // Off the network, the responder is silent.
    await a.exchange('AT+CWQAP\r\n', '\r\nOK\r\nWIFI DISCONNECT\r\n');
    await b.exchange('AT+CIPDOMAIN="espressif.local"\r\n', '\r\nERROR\r\n');
    await a.exchange('AT+CWJAP\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await b.exchange('AT+CIPDOMAIN="espressif.local"\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
    await a.exchange('AT+MDNS=0\r\n', '\r\nOK\r\n');
    await b.exchange('AT+CIPDOMAIN="espressif.local"\r\n', '\r\nERROR\r\n');
  });

  it('a reset stops the responder', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+MDNS=1,"board","_http",80\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPDOMAIN="board.local"\r\n', '+CIPDOMAIN:"127.0.0.1"\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await joinLab(host);
    await host.exchange('AT+CIPDOMAIN="board.local"\r\n', '\r\nERROR\r\n');
  });

  it('numbers the parameter it refuses in ERR CODE, as the firmware does', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+MDNS=1\r\n', 'ERR CODE:0x01070002\r\n\r\nERROR\r\n');
    await host.exchange('AT+MDNS=1,"board"\r\n', 'ERR CODE:0x01070003\r\n\r\nERROR\r\n');
    await host.exchange('AT+MDNS=1,"board","_http"\r\n', 'ERR CODE:0x01070004\r\n\r\nERROR\r\n');
    await host.exchange('AT+MDNS=1,"board","_http",0\r\n', 'ERR CODE:0x01070004\r\n\r\nERROR\r\n');
    await host.exchange('AT+MDNS=2\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+MDNS=0\r\n', '\r\nOK\r\n');
  });

  it('NonOS 1.7 has no AT+MDNS', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await host.exchange('AT+MDNS=0\r\n', 'AT+MDNS=0\r\r\n\r\nERROR\r\n');
  });
});
