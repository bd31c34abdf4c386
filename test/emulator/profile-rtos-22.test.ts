import { afterEach, describe, expect, it } from 'vitest';
import { ESP8266_RTOS_AT_22 } from '../../firmware-protocol/at/profiles.js';
import { Cleanup, TcpPeer, joinLab, startBench } from './harness.js';

/** ESP8266 RTOS AT 2.2 (tag v2.2.2.0_esp8266): the 2.x wire forms within the ESP8266's limits. */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const V22 = { profile: 'esp8266-rtos-at-2.2' } as const;

describe('ESP8266 RTOS AT 2.2', () => {
  it('answers AT+GMR with its version lines and the 2.x basic replies', async () => {
    const { host } = await startBench(cleanup, V22);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+GMR\r\n', `${ESP8266_RTOS_AT_22.gmrLines.map((line) => `${line}\r\n`).join('')}\r\nOK\r\n`);
    await host.exchange('AT+SYSSTORE?\r\n', '+SYSSTORE:1\r\n\r\nOK\r\n');
    // The RTOS SDK's integer divider: 80 MHz / 694 = 115273; RTS flow control from Kconfig.
    await host.exchange('AT+UART_CUR?\r\n', '+UART_CUR:115273,8,1,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_DEF?\r\n', '+UART_DEF:115200,8,1,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+UART_CUR=4500001,8,1,0,0\r\n', '\r\nERROR\r\n');
  });

  it("reports the ESP8266 driver's RF power levels, Wi-Fi only (`%s:%d`)", async () => {
    const { host } = await startBench(cleanup, V22);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:82\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=50\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:48\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=83\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+RFPOWER=60,1,1,1\r\n', '\r\nERROR\r\n');
  });

  it('lists its own partition table and answers an unknown command as 2.x does', async () => {
    const { host } = await startBench(cleanup, V22);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    host.send('AT+SYSFLASH?\r\n');
    const text = await host.readThrough('\r\nOK\r\n');
    expect(text.startsWith('+SYSFLASH:"factory_param",64,8,0xf1000,0x1000\r\n+SYSFLASH:"server_cert",64,2,0xf2000,0x2000\r\n')).toBe(true);
    expect(text.includes('ble_data')).toBe(false);
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    // NonOS names are no commands of this firmware.
    await host.exchange('AT+CWMODE_CUR?\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLSIZE=4096\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
  });

  it('takes at most 2048 bytes per CIPSEND (TCP-IP_AT_Commands.rst v2.2)', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, V22);
    await joinLab(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=2049\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSEND=2048\r\n', '\r\nOK\r\n\r\n>');
    host.send(Buffer.alloc(2048, 0x61));
    await host.expect('\r\nRecv 2048 bytes\r\n\r\nSEND OK\r\n');
    expect((await peer.waitForBytes(0, 2048)).length).toBe(2048);
  });
});
