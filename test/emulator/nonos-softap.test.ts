/**
 * NonOS AT 1.7.4's softAP commands with a second module that joins (ESP8266_NONOS_SDK v3.0.4 libat.a
 * at_wifiCmd.o): AT+CWSAP_CUR/_DEF (`%s:"%s","%s",%d,%d,%d,%d\r\n`, at most 8 stations), AT+CIPAP_CUR/_DEF
 * (`%s:ip:"%d.%d.%d.%d"` …), AT+CWDHCPS_CUR/_DEF (`%s:%u,%d.%d.%d.%d,%d.%d.%d.%d` with no CR LF of its own)
 * and AT+CWLIF (`%d.%d.%d.%d,%02x:…\r\n`, no prefix).
 */
import { afterEach, describe, it } from 'vitest';
import { startModules } from '../../emulator/modules.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup, TestHost } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const WORLD = parseWorldConfig({ timing: { scale: 0.01 }, modules: [{}, {}] });

async function startPair(): Promise<{ ap: TestHost; sta: TestHost }> {
  const modules = await startModules({
    world: WORLD,
    count: 2,
    profile: 'esp8266-at-1.7',
    network: { lookup: async (name) => Promise.reject(new Error(`no real DNS in tests (${name})`)) },
  });
  for (const module of modules) cleanup.add(() => module.close());
  const [ap, sta] = modules.map((module) => new TestHost(module.host!));
  await ap.expect('\r\nready\r\n');
  await sta.expect('\r\nready\r\n');
  await ap.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  await sta.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return { ap, sta };
}

describe('NonOS 1.7: the softAP (two modules)', () => {
  it('configures the softAP by _CUR/_DEF names, leases to a station, lists it without a prefix', async () => {
    const { ap, sta } = await startPair();
    await ap.exchange('AT+CWSAP_CUR?\r\n', '\r\nERROR\r\n');
    await ap.exchange('AT+CWMODE_CUR=2\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CWSAP_CUR="pair-ap","pairkey123",5,3,9\r\n', '\r\nERROR\r\n');
    await ap.exchange('AT+CWSAP_CUR="pair-ap","pairkey123",5,3,8\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CWSAP_CUR?\r\n', '+CWSAP_CUR:"pair-ap","pairkey123",5,3,8,0\r\n\r\nOK\r\n');
    await ap.exchange(
      'AT+CIPAP_CUR?\r\n',
      '+CIPAP_CUR:ip:"192.168.4.1"\r\n+CIPAP_CUR:gateway:"192.168.4.1"\r\n+CIPAP_CUR:netmask:"255.255.255.0"\r\n\r\nOK\r\n',
    );
    await ap.exchange('AT+CWDHCPS_CUR?\r\n', '+CWDHCPS_CUR:120,192.168.4.2,192.168.4.101\r\nOK\r\n');
    await ap.exchange('AT+CWDHCPS_CUR=1,60,"192.168.4.10","192.168.4.20"\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CWDHCPS_CUR?\r\n', '+CWDHCPS_CUR:60,192.168.4.10,192.168.4.20\r\nOK\r\n');
    await sta.exchange('AT+CWMODE_CUR=1\r\n', '\r\nOK\r\n');
    await sta.exchange('AT+CWJAP_CUR="pair-ap","pairkey123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await ap.expect('+STA_CONNECTED:"24:0a:c4:c0:90:05"\r\n+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.10"\r\n');
    await ap.exchange('AT+CWLIF\r\n', '192.168.4.10,24:0a:c4:c0:90:05\r\n\r\nOK\r\n');
  });
});
