import { afterEach, describe, expect, it } from 'vitest';
import { ESP32C3_AT_41 } from '../../firmware-protocol/at/profiles.js';
import { Cleanup, TcpPeer, joinLab, startBench } from './harness.js';

/** ESP-AT 4.1 on the ESP32-C3 (tag v4.1.1.0): AT+CIPRECVTYPE, the C3's radio, its partition table. */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const C3 = { profile: 'esp32c3-at-4.1' } as const;

describe('ESP-AT 4.1 on the ESP32-C3', () => {
  it('answers AT+GMR with its version lines; C3 RF power reads back as set, BLE levels 0..15', async () => {
    const { host } = await startBench(cleanup, C3);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+GMR\r\n', `${ESP32C3_AT_41.gmrLines.map((line) => `${line}\r\n`).join('')}\r\nOK\r\n`);
    await host.exchange('AT+UART_CUR?\r\n', '+UART_CUR:115201,8,1,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:80,12,12,12\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=43,15,0,7\r\n', '\r\nOK\r\n');
    await host.exchange('AT+RFPOWER?\r\n', '+RFPOWER:43,15,0,7\r\n\r\nOK\r\n');
    await host.exchange('AT+RFPOWER=60,16,0,0\r\n', '\r\nERROR\r\n');
  });

  it('lists module_esp32c3_default/at_customize.csv', async () => {
    const { host } = await startBench(cleanup, C3);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange(
      'AT+SYSFLASH?\r\n',
      '+SYSFLASH:"mfg_nvs",1,2,0x1f000,0x1f000\r\n+SYSFLASH:"fatfs",1,129,0x47000,0x19000\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+SYSFLASH=0,"mfg_nvs"\r\n', '\r\nOK\r\n');
  });

  it('AT+CIPRECVTYPE=<mode> switches a single link to passive receive (TCP-IP_AT_Commands.rst v4.1)', async () => {
    const peer = await TcpPeer.start(cleanup);
    const { host } = await startBench(cleanup, C3);
    await joinLab(host);
    await host.exchange('AT+CIPRECVTYPE?\r\n', '+CIPRECVTYPE:0,0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPRECVTYPE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPRECVTYPE?\r\n', '+CIPRECVTYPE:0,1\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await peer.waitForClients(1);
    peer.sockets[0].write('hello');
    await host.expect('\r\n+IPD,5\r\n');
    await host.exchange('AT+CIPRECVDATA=5\r\n', '+CIPRECVDATA:5,hello\r\nOK\r\n');
  });

  it('takes link ID 5 (every link) with several links; one link alone is not emulated', async () => {
    const { host } = await startBench(cleanup, C3);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPRECVTYPE=5,1\r\n', '\r\nOK\r\n');
    await host.exchange(
      'AT+CIPRECVTYPE?\r\n',
      '+CIPRECVTYPE:0,1\r\n+CIPRECVTYPE:1,1\r\n+CIPRECVTYPE:2,1\r\n+CIPRECVTYPE:3,1\r\n+CIPRECVTYPE:4,1\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+CIPRECVTYPE=0,0\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPRECVTYPE=6,0\r\n', '\r\nERROR\r\n');
  });

  it('is a command only this firmware has: ESP-AT 2.4 answers it as an unknown command', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPRECVTYPE?\r\n', 'ERR CODE:0x01090000\r\n\r\nERROR\r\n');
    expect(ESP32C3_AT_41.versions.chip).toBe('ESP32C3');
  });
});
