import { afterEach, describe, expect, it } from 'vitest';
import { commandListing } from '../../firmware-protocol/at/command-listing.js';
import { commandsOf } from '../../firmware-protocol/at/command-table.js';
import { ESP32_AT_2X } from '../../firmware-protocol/at/profiles.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Cleanup, LAB, TcpPeer, joinLab, startBench } from './harness.js';

/** ESP-AT v2.4.2.0 Basic_AT_Commands.rst, replies in the core library's formats, byte for byte. */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function quietBench(clock?: ManualClock) {
  const bench = await startBench(cleanup, clock ? { clock } : {});
  await bench.host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return bench;
}

describe('AT+CMD?', () => {
  it('lists every command of the profile with its forms, from the command table', async () => {
    const { host } = await quietBench();
    host.send('AT+CMD?\r\n');
    const text = await host.readThrough('\r\nOK\r\n');
    const lines = text.split('\r\n').filter((line) => line.startsWith('+CMD:'));
    expect(lines.length).toBe(commandsOf(ESP32_AT_2X).length);
    expect(lines).toContain('+CMD:0,"AT",0,0,0,1');
    expect(lines).toContain(`+CMD:${commandListing(ESP32_AT_2X).find((row) => row.name === 'AT+UART_CUR')!.index},"AT+UART_CUR",0,1,1,0`);
    expect(lines.find((line) => line.includes('"AT+CWMODE"'))).toMatch(/^\+CMD:\d+,"AT\+CWMODE",0,1,1,0$/);
    expect(lines.find((line) => line.includes('"AT+CIPSEND"'))).toMatch(/^\+CMD:\d+,"AT\+CIPSEND",0,0,1,1$/);
    expect(text.endsWith('\r\n\r\nOK\r\n')).toBe(true);
  });
});

describe('AT+GSLP', () => {
  it('prints <time> and OK, stays silent and deaf for the time, then boots with ready', async () => {
    const clock = new ManualClock();
    const { host } = await quietBench(clock);
    await host.exchange('AT+GSLP=5000\r\n', '5000\r\n\r\nOK\r\n');
    host.send('AT\r\n');
    await clock.advance(4000);
    expect(host.pending.length).toBe(0);
    host.send('AT+GMR\r\n');
    await host.expect('\r\nready\r\n', 10_000);
    // Echo is back on after the boot, and the lines sent while asleep were never answered.
    await host.exchange('AT\r\n', 'AT\r\r\n\r\nOK\r\n');
  });

  it('AT+GSLP=0 restarts at once; out-of-range and malformed forms get the firmware ERR CODEs', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+GSLP=-1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+GSLP=2147483648\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+GSLP="1"\r\n', 'ERR CODE:0x01050000\r\n\r\nERROR\r\n');
    await host.exchange('AT+GSLP=1,2\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+GSLP=0\r\n', '0\r\n\r\nOK\r\n\r\nready\r\n');
  });

  it('delivers the network data it had already passed to the UART before sleeping', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    peer.sockets[0].write('hello');
    await host.expect('\r\n+IPD,5:hello');
    await host.exchange('AT+GSLP=0\r\n', '0\r\n\r\nOK\r\n\r\nready\r\n');
  });
});

describe('AT+SLEEP, AT+SLEEPWKCFG', () => {
  it('reports Active mode after boot, takes 0..3 in station mode, refuses the rest', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+SLEEP?\r\n', '+SLEEP:0\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEP?\r\n', '+SLEEP:1\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP=4\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEP=2\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEP=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEP?\r\n', '+SLEEP:2\r\n\r\nOK\r\n');
  });

  it('takes the docs examples and refuses the reserved source', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEPWKCFG=0,1000\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEPWKCFG=2,12,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SLEEPWKCFG=1,5\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+SLEEPWKCFG=2,12\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+SLEEPWKCFG=0\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
  });
});

describe('sleep_at_examples.rst (v2.4.2.0), Wi-Fi mode, replayed', () => {
  it('Modem-sleep: AT+CWMODE=1, AT+CWJAP, AT+SLEEP=1', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP=1\r\n', '\r\nOK\r\n');
  });

  it('Light-sleep: AT+CWMODE=1, AT+CWJAP with listen interval 3, AT+SLEEP=2', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}",,,,3\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+SLEEP=2\r\n', '\r\nOK\r\n');
  });
});

describe('AT+SYSTIMESTAMP', () => {
  it('starts at the epoch at boot, runs on the module clock, takes the docs example, forgets it at reset', async () => {
    const clock = new ManualClock();
    const { host } = await quietBench(clock);
    await clock.advance(2500);
    await host.exchange('AT+SYSTIMESTAMP?\r\n', '+SYSTIMESTAMP:2\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSTIMESTAMP=1565853509\r\n', '\r\nOK\r\n');
    await clock.advance(61_000);
    await host.exchange('AT+SYSTIMESTAMP?\r\n', '+SYSTIMESTAMP:1565853570\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSTIMESTAMP=-5\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSTIMESTAMP?\r\n', '+SYSTIMESTAMP:0\r\n\r\nOK\r\n');
  });
});

describe('AT+RFPOWER', () => {
  it("reports the ESP32 driver's level for a set value (the docs' table) and the BLE levels as set", async () => {
    const { host } = await quietBench();
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:78,5,5,5\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=43\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:34,5,5,5\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=70,0,1,7\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:66,0,1,7\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=84\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:78,0,1,7\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=39\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+RFPOWER=85\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+RFPOWER=60,1\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+RFPOWER=60,1,2,8\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
  });
});

describe('AT+SYSREG, AT+SYSROLLBACK', () => {
  it('reads 0 from a register never written, reads back a write as %x, checks the parameter count', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+SYSREG=0,1072955392\r\n', '+SYSREG:0x0\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSREG=1,1072955392,48879\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSREG=0,1072955392\r\n', '+SYSREG:0xbeef\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSREG=1,1072955392\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+SYSREG=0,1072955392,1\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+SYSREG=2,0\r\n', '\r\nERROR\r\n');
  });

  it('refuses to roll back when the other OTA partition holds no firmware', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSROLLBACK\r\n', 'ERR CODE:0x010a0000\r\n\r\nERROR\r\n');
  });
});

describe('AT+UART (2.x): queries as UART_CUR, sets as UART_DEF', () => {
  it('answers under its own name and stores what it sets', async () => {
    const { host } = await quietBench();
    host.send('AT+UART?\r\n');
    expect(await host.readThrough('\r\nOK\r\n')).toMatch(/^\+UART:\d+,8,1,0,\d\r\n\r\nOK\r\n$/);
    await host.exchange('AT+UART=115200,8,1,2,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+UART_DEF?\r\n', '+UART_DEF:115200,8,1,2,0\r\n\r\nOK\r\n');
  });
});

describe('AT+SYSFLASH', () => {
  it("lists the user partitions of ESP-AT 2.4's at_customize.csv as %s:\"%s\",%d,%d,0x%x,0x%x", async () => {
    const { host } = await quietBench();
    host.send('AT+SYSFLASH?\r\n');
    const text = await host.readThrough('\r\nOK\r\n');
    expect(text.startsWith('+SYSFLASH:"ble_data",64,1,0x21000,0x3000\r\n+SYSFLASH:"server_cert",64,2,0x24000,0x2000\r\n')).toBe(true);
    expect(text.endsWith('+SYSFLASH:"mqtt_ca",64,14,0x3b000,0x2000\r\n\r\nOK\r\n')).toBe(true);
    expect(text.split('\r\n').filter((line) => line.startsWith('+SYSFLASH:')).length).toBe(14);
  });

  it('erases, writes after the prompt, reads back raw; flash survives a reset', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+SYSFLASH=2,"ble_data",100,4\r\n', '+SYSFLASH:4,\xff\xff\xff\xff\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=1,"ble_data",100,10\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('0123456789', '\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=2,"ble_data",98,14\r\n', '+SYSFLASH:14,\xff\xff0123456789\xff\xff\r\nOK\r\n');
    // Flash bits only clear: writing over unerased bytes ANDs them.
    await host.exchange('AT+SYSFLASH=1,"ble_data",100,1\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('\x0f', '\r\nOK\r\n');
    await host.exchange('AT+RST\r\n', '\r\nOK\r\n\r\nready\r\n');
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=2,"ble_data",100,2\r\n', '+SYSFLASH:2,\x001\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=0,"ble_data",0,4096\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=2,"ble_data",100,2\r\n', '+SYSFLASH:2,\xff\xff\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=1,"ble_data",0,3\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('abc', '\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=0,"ble_data"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=2,"ble_data",0,3\r\n', '+SYSFLASH:3,\xff\xff\xff\r\nOK\r\n');
  });

  it('refuses unknown partitions, unaligned erases, ranges past the end and missing lengths', async () => {
    const { host } = await quietBench();
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+SYSFLASH=2,"nope",0,4\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+SYSFLASH=0,"ble_data",100,4096\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+SYSFLASH=2,"ble_data",12280,10\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange('AT+SYSFLASH=2,"ble_data"\r\n', 'ERR CODE:0x01060000\r\n\r\nERROR\r\n');
    await host.exchange('AT+SYSFLASH=3,"ble_data",0,1\r\n', 'ERR CODE:0x01070000\r\n\r\nERROR\r\n');
    await host.exchange(`AT+SYSFLASH=2,"${'x'.repeat(17)}",0,1\r\n`, 'ERR CODE:0x01040000\r\n\r\nERROR\r\n');
  });
});
