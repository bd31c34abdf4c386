import { afterEach, describe, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, LAB, TcpPeer, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/**
 * The station commands of ESP-AT 2.4 (Wi-Fi_AT_Commands.rst), byte for byte as the firmware's
 * format strings print them (libesp32_at_core.a), and the Wi-Fi wire fixes of issue 13.
 */

const LAB_BSSID = 'ca:d7:19:d8:a6:44';

/** The lab AP and an open café, at realistic timing (the tests run on fake time). */
function worldWith(extra: Record<string, unknown> = {}) {
  return parseWorldConfig({
    accessPoints: [
      { ssid: 'copro-lab', password: 'labpass123', rssi: -45, channel: 6, bssid: LAB_BSSID, ip: '192.168.10.42', gateway: '192.168.10.1', netmask: '255.255.255.0' },
      { ssid: 'cafe', password: '', rssi: -70, channel: 11, bssid: '02:00:00:00:00:02', ip: '10.0.0.7', gateway: '10.0.0.1', netmask: '255.0.0.0' },
    ],
    timing: { scale: 1, associateMs: 400, dhcpMs: 200, wrongPasswordMs: 4000, noApMs: 2500, scanMs: 1500 },
    ...extra,
  });
}

describe('Wi-Fi wire fixes (issue 13)', () => {
  it('AT+CWJAP="ssid" without the password\'s comma is a parameter-count ERROR; "ssid", joins an open AP', async () => {
    const { host } = await startBench(cleanup, { world: worldWith(), clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP="cafe"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWJAP="cafe"\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJAP="cafe",\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP?\r\n', '+CWJAP:"cafe","02:00:00:00:00:02",11,-70,0,1,3,0,1\r\n\r\nOK\r\n');
  });

  it('AT+CWLAP="","<bssid>": the empty SSID is no filter', async () => {
    const { host } = await startBench(cleanup, { world: worldWith(), clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWLAPOPT=0,31\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWLAP="","${LAB_BSSID}"\r\n`, `+CWLAP:(3,"copro-lab",-45,"${LAB_BSSID}",6)\r\n\r\nOK\r\n`);
    await host.exchange('AT+CWLAP=""\r\n', `+CWLAP:(3,"copro-lab",-45,"${LAB_BSSID}",6)\r\n+CWLAP:(0,"cafe",-70,"02:00:00:00:00:02",11)\r\n\r\nOK\r\n`);
  });

  it('No AP and ALREADY CONNECTED are console output: the ESP32 AT port shows OK / ERROR only', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await host.exchange('AT+CWJAP?\r\n', 'AT+CWJAP?\r\r\n\r\nOK\r\n');
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, '\r\nERROR\r\n');
  });

  it('NonOS 1.7, whose AT port is its console, prints both', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP_CUR?\r\n', 'No AP\r\n\r\nOK\r\n');
    await host.exchange(`AT+CWJAP_CUR="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'ALREADY CONNECTED\r\n\r\nERROR\r\n');
  });
});

describe('AT+CWAUTOCONN?', () => {
  it('prints "%s:%d" with no CR LF of its own, and keeps the setting across a reset', async () => {
    const { host } = await startBench(cleanup, { clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWAUTOCONN?\r\n', '+CWAUTOCONN:1\r\nOK\r\n');
    await host.exchange('AT+CWAUTOCONN=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWAUTOCONN?\r\n', '+CWAUTOCONN:0\r\nOK\r\n');
    await host.exchange('AT+CWAUTOCONN=2\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('AT+CWAUTOCONN?\r\n', 'AT+CWAUTOCONN?\r\r\n+CWAUTOCONN:0\r\nOK\r\n');
  });

  it('NonOS 1.7.4 has the same query (libat.a at_queryCmdCwAutoConn, "%s:%d")', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWAUTOCONN=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWAUTOCONN?\r\n', '+CWAUTOCONN:0\r\nOK\r\n');
  });
});

describe('AT+CWRECONNCFG and the reconnection after a loss', () => {
  it('defaults to 0,0; a join sets the interval (reconn_interval, default 1); the set form checks ranges', async () => {
    const { host } = await startBench(cleanup, { world: worldWith(), clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWRECONNCFG?\r\n', '+CWRECONNCFG:0,0\r\n\r\nOK\r\n');
    await host.exchange('AT+CWRECONNCFG=5,100\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CWRECONNCFG?\r\n', '+CWRECONNCFG:1,100\r\n\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}",,,30\r\n`, 'WIFI DISCONNECT\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CWRECONNCFG?\r\n', '+CWRECONNCFG:30,100\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP?\r\n', `+CWJAP:"copro-lab","${LAB_BSSID}",6,-45,0,30,3,0,1\r\n\r\nOK\r\n`);
    await host.exchange('AT+CWRECONNCFG=7201,0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWRECONNCFG=1,1001\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWRECONNCFG=1\r\n', '\r\nERROR\r\n');
  });

  it('an AP that goes away on the world\'s schedule and comes back is rejoined at the interval', async () => {
    const world = worldWith({ outages: [{ ssid: 'copro-lab', atMs: 10_000, forMs: 3000 }] });
    const { host } = await startBench(cleanup, { world, clock: new ManualClock() });
    await joinLab(host);
    await host.expect('WIFI DISCONNECT\r\n', 15_000);
    // Waiting for the first attempt (1 s): disconnected; the attempts print nothing.
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"copro-lab"\r\n\r\nOK\r\n');
    await host.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n', 15_000);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:2,"copro-lab"\r\n\r\nOK\r\n');
  });

  it('gives up after repeat_count attempts', async () => {
    const world = worldWith({ outages: [{ ssid: 'copro-lab', atMs: 10_000 }] });
    const { host } = await startBench(cleanup, { world, clock: new ManualClock() });
    await joinLab(host);
    await host.exchange('AT+CWRECONNCFG=1,2\r\n', '\r\nOK\r\n');
    await host.expect('WIFI DISCONNECT\r\n', 15_000);
    // Two attempts of 1 s + 2.5 s (no AP), then nothing more.
    await host.pause(7100);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"copro-lab"\r\n\r\nOK\r\n');
    await host.expectSilence(30_000);
  });

  it('a lost AP that is back at once is rejoined after the interval; with interval 0 it is not', async () => {
    const world = worldWith({ outages: [{ ssid: 'copro-lab', atMs: 10_000, forMs: 0 }, { ssid: 'copro-lab', atMs: 20_000, forMs: 0 }] });
    const { host } = await startBench(cleanup, { world, clock: new ManualClock() });
    await joinLab(host);
    await host.expect('WIFI DISCONNECT\r\n', 15_000);
    await host.expectSilence(900);
    await host.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n', 1000);
    await host.exchange('AT+CWRECONNCFG=0,0\r\n', '\r\nOK\r\n');
    await host.expect('WIFI DISCONNECT\r\n', 15_000);
    await host.expectSilence(20_000);
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"copro-lab"\r\n\r\nOK\r\n');
  });
});

describe('AT+CWHOSTNAME, AT+CWCOUNTRY', () => {
  it('hostname: "%s:%s" unquoted, 32 bytes at most, station mode required, not kept over a reset', async () => {
    const { host } = await startBench(cleanup, { clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME?\r\n', '+CWHOSTNAME:espressif\r\n\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME="my_test"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME?\r\n', '+CWHOSTNAME:my_test\r\n\r\nOK\r\n');
    await host.exchange(`AT+CWHOSTNAME="${'h'.repeat(33)}"\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CWHOSTNAME=1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWHOSTNAME="other"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWHOSTNAME?\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('AT+CWHOSTNAME?\r\n', 'AT+CWHOSTNAME?\r\r\n+CWHOSTNAME:espressif\r\n\r\nOK\r\n');
  });

  it('country: "%s:%d,\\"%s\\",%d,%d", ESP-IDF\'s CN 1..13 first; channels past 14 are ERROR', async () => {
    const { host } = await startBench(cleanup, { clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCOUNTRY?\r\n', '+CWCOUNTRY:0,"CN",1,13\r\n\r\nOK\r\n');
    await host.exchange('AT+CWCOUNTRY=1,"US",1,11\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCOUNTRY?\r\n', '+CWCOUNTRY:1,"US",1,11\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWCOUNTRY=1,"JP",10,13\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWCOUNTRY=2,"CN",1,13\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWCOUNTRY=1,"CHNA",1,13\r\n', 'ERR CODE:0x01040000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWCOUNTRY=1,"CN",1\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWCOUNTRY?\r\n', '+CWCOUNTRY:1,"US",1,11\r\n\r\nOK\r\n');
  });
});

describe('AT+CIPSTAMAC, AT+CIPAPMAC', () => {
  it('query `%s:"%02x:..."`; the softAP\'s is the base MAC + 1; a set MAC is reported and kept (SYSSTORE=1)', async () => {
    const { host } = await startBench(cleanup, { clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC?\r\n', '+CIPSTAMAC:"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPAPMAC?\r\n', '+CIPAPMAC:"24:0a:c4:c0:90:02"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC="1A:FE:35:98:D3:7B"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC?\r\n', '+CIPSTAMAC:"1a:fe:35:98:d3:7b"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIFSR\r\n', '+CIFSR:STAIP,"0.0.0.0"\r\n+CIFSR:STAMAC,"1a:fe:35:98:d3:7b"\r\n\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC?\r\n', '+CIPSTAMAC:"1a:fe:35:98:d3:7b"\r\n\r\nOK\r\n');
    // SYSSTORE=0: RAM only, the stored one is back after a reset.
    await host.exchange('AT+SYSSTORE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC="1a:fe:35:98:d3:7c"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC?\r\n', '+CIPSTAMAC:"1a:fe:35:98:d3:7b"\r\n\r\nOK\r\n');
    await host.exchange('AT+RESTORE\r\n', '\r\nOK\r\n');
    await host.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC?\r\n', '+CIPSTAMAC:"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n');
  });

  it('refuses multicast, all-zero, all-one, malformed and the other interface\'s MAC, and an interface that is off', async () => {
    const { host } = await startBench(cleanup, { clock: new ManualClock() });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    for (const bad of ['15:fe:35:98:d3:7b', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '1a-fe-35-98-d3-7b', '1a:fe:35:98:d3']) {
      await host.exchange(`AT+CIPSTAMAC="${bad}"\r\n`, '\r\nERROR\r\n');
    }
    await host.exchange('AT+CIPSTAMAC="1a:fe:35:98:d3:7b:00"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSTAMAC="24:0a:c4:c0:90:02"\r\n', '\r\nERROR\r\n');
    // The softAP interface is off in station mode.
    await host.exchange('AT+CIPAPMAC="1a:fe:35:98:d3:7d"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC="1a:fe:35:98:d3:7b"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSTAMAC?\r\n', '+CIPSTAMAC:"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n');
  });

  it('NonOS 1.7 answers to the _CUR/_DEF names', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC_CUR?\r\n', '+CIPSTAMAC_CUR:"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC_CUR="1a:fe:35:98:d3:7b"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC_CUR?\r\n', '+CIPSTAMAC_CUR:"1a:fe:35:98:d3:7b"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTAMAC_DEF?\r\n', '+CIPSTAMAC_DEF:"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n');
    // libat.a registers the plain name too; its query is the _CUR one's (at_queryCmdCipstamac).
    await host.exchange('AT+CIPSTAMAC?\r\n', '+CIPSTAMAC:"1a:fe:35:98:d3:7b"\r\n\r\nOK\r\n');
  });
});
