import { afterEach, describe, it } from 'vitest';
import { startModules } from '../../emulator/modules.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, LAB, LAB_AP, TestHost, TcpPeer, joinLab, startBench } from './harness.js';

/**
 * ESP-AT 4.1's AT+CWCONFIG and AT+CWINIT (Wi-Fi_AT_Commands.rst v4.1.1.0; the checks and formats of
 * libesp32c3_at_core.a: `%s:%d,%d,%d\r\n`, `%s:%d\r\n`), byte for byte, on fake time.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const C3 = 'esp32c3-at-4.1' as const;

/** The lab AP at realistic timing, with outages as given. */
function world(outages: ReadonlyArray<Record<string, unknown>> = []) {
  return parseWorldConfig({
    accessPoints: [LAB_AP],
    timing: { scale: 1, associateMs: 400, dhcpMs: 200, wrongPasswordMs: 4000, noApMs: 2500, scanMs: 1500 },
    outages,
  });
}

describe('AT+CWCONFIG (ESP-AT 4.1)', () => {
  it('reports the documented defaults, keeps omitted values, refuses values out of the firmware\'s ranges', async () => {
    const { host } = await startBench(cleanup, { profile: C3, world: world(), clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:300,6,3\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=60,,10\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:60,6,10\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=,20\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:60,20,10\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=9\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG=3601\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG=,2\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG=,601\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG=,,0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG=,,101\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG=10,3,1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:10,3,1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=3600,600,100\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:3600,600,100\r\n\r\nOK\r\n');
  });

  it('shares the listen interval with AT+CWJAP: the last one set shows in both queries', async () => {
    const { host } = await startBench(cleanup, { profile: C3, world: world(), clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}",,,,7\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:300,6,7\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=,,9\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJAP?\r\n', '+CWJAP:"copro-lab","ca:d7:19:d8:a6:44",6,-45,0,1,9,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:300,6,9\r\n\r\nOK\r\n');
  });

  it('sta_inactive_time: an AP off the air for less keeps the association; longer, WIFI DISCONNECT after that time', async () => {
    const outages = [
      { ssid: LAB.ssid, atMs: 10_000, forMs: 3000 },
      { ssid: LAB.ssid, atMs: 30_000 },
    ];
    const { host } = await startBench(cleanup, { profile: C3, world: world(outages), clock: new ManualClock() });
    await joinLab(host);
    await host.exchange('AT+CWCONFIG=,5\r\n', '\r\nOK\r\n');
    // The 3 s outage at 10 s passes unnoticed: the station is still associated at 25 s.
    await host.expectSilence(25_000);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:2,"copro-lab"\r\n\r\nOK\r\n');
    // The AP leaves for good at 30 s: the station gives it up 5 s later.
    await host.expectSilence(9000);
    await host.expect('WIFI DISCONNECT\r\n', 1500);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"copro-lab"\r\n\r\nOK\r\n');
  });
});

describe('AT+CWCONFIG, AT+SYSSTORE and AT+RESTORE', () => {
  it('is saved with AT+SYSSTORE=1 (the station applies it again after a reset), kept in RAM with 0', async () => {
    const outages = [{ ssid: LAB.ssid, atMs: 20_000 }];
    const clock = new ManualClock();
    const start = clock.now();
    const { host } = await startBench(cleanup, { profile: C3, world: world(outages), clock });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=,4\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSSTORE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=100\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:100,4,3\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.readThrough('\r\nready\r\n', 5000);
    await joinLab(host);
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:300,4,3\r\n\r\nOK\r\n');
    // The AP leaves at 20 s (since the stack started); the saved 4 s hold the association until 24 s.
    await host.expectSilence(start + 23_900 - clock.now());
    await host.expect('WIFI DISCONNECT\r\n', 500);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"copro-lab"\r\n\r\nOK\r\n');
  });

  it('AT+RESTORE forgets it: the defaults show, and a lost AP is dropped at once again', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const { host } = await startBench(cleanup, { profile: C3, world: world([{ ssid: LAB.ssid, atMs: 20_000 }]), clock });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG=,5\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RESTORE\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await joinLab(host);
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:300,6,3\r\n\r\nOK\r\n');
    await host.expectSilence(start + 19_900 - clock.now());
    await host.expect('WIFI DISCONNECT\r\n', 200);
  });
});

describe('AT+CWINIT (ESP-AT 4.1)', () => {
  it('deinit drops the association (WIFI DISCONNECT); Wi-Fi commands answer ERROR until init', async () => {
    const { host } = await startBench(cleanup, { profile: C3, world: world(), clock: new ManualClock() });
    await joinLab(host);
    await host.exchange('AT+CWINIT?\r\n', '+CWINIT:1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWINIT=0\r\n', '\r\nOK\r\nWIFI DISCONNECT\r\n');
    await host.exchange('AT+CWINIT?\r\n', '+CWINIT:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CWINIT=0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CWLAP\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWSAP?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:0,0,0\r\n\r\nOK\r\n');
    await host.exchange('AT+CWINIT=2\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWINIT=1\r\n', '\r\nOK\r\n');
    await host.expectSilence(5000);
    await host.exchange('AT+CWMODE?\r\n', '+CWMODE:1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', '+CWCONFIG:300,6,3\r\n\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
  });

  it('deinit closes the links after WIFI DISCONNECT, as any loss of the AP does', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, { profile: C3, world: world(), clock: new ManualClock() });
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CWINIT=0\r\n', '\r\nOK\r\nWIFI DISCONNECT\r\nCLOSED\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
  });

  it('deinit takes the softAP down (+STA_DISCONNECTED; its station loses it); init brings it back', async () => {
    const modules = await startModules({
      world: parseWorldConfig({ timing: { scale: 0.01 }, modules: [{}, {}] }),
      count: 2,
      profile: C3,
      network: { lookup: async (name) => Promise.reject(new Error(`no real DNS in tests (${name})`)) },
    });
    for (const module of modules) cleanup.add(() => module.close());
    const [ap, sta] = modules.map((module) => new TestHost(module.host!));
    await ap.expect('\r\nready\r\n');
    await sta.expect('\r\nready\r\n');
    await ap.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await sta.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await ap.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CWSAP="pair-ap","pairkey123",5,3\r\n', '\r\nOK\r\n');
    await sta.exchange('AT+CWJAP="pair-ap","pairkey123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await ap.expect('+STA_CONNECTED:"24:0a:c4:c0:90:05"\r\n+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.2"\r\n');
    await ap.exchange('AT+CWINIT=0\r\n', '\r\nOK\r\n+STA_DISCONNECTED:"24:0a:c4:c0:90:05"\r\n');
    await sta.expect('WIFI DISCONNECT\r\n');
    await ap.exchange('AT+CWSAP?\r\n', '\r\nERROR\r\n');
    // Back up: the station's reconnection (a join's reconn_interval, 1 s scaled) finds it again.
    await ap.exchange('AT+CWINIT=1\r\n', '\r\nOK\r\n');
    await sta.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n');
    await ap.expect('+STA_CONNECTED:"24:0a:c4:c0:90:05"\r\n+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.2"\r\n');
  });

  it('is not saved: a reset brings the driver back', async () => {
    const { host } = await startBench(cleanup, { profile: C3, world: world(), clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWINIT=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.readThrough('\r\nready\r\n', 5000);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWINIT?\r\n', '+CWINIT:1\r\n\r\nOK\r\n');
  });
});

describe('other firmware', () => {
  it('ESP-AT 2.4 answers AT+CWINIT and AT+CWCONFIG as unknown commands', async () => {
    const { host } = await startBench(cleanup, { clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWINIT?\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWINIT=0\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG?\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWCONFIG=60,6,3\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
  });
});
