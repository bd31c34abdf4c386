import { afterEach, describe, expect, it } from 'vitest';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup, LAB, joinLab, startBench } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Two APs; joins slow enough (associate 50 ms) that a test can talk in the middle of one. */
const TWO_AP_WORLD = parseWorldConfig({
  accessPoints: [
    { ssid: 'copro-lab', password: 'labpass123', rssi: -45, channel: 6, bssid: 'ca:d7:19:d8:a6:44', ip: '192.168.10.42', gateway: '192.168.10.1', netmask: '255.255.255.0' },
    { ssid: 'cafe', password: '', rssi: -70, channel: 11, bssid: '02:00:00:00:00:02', ip: '10.0.0.7', gateway: '10.0.0.1', netmask: '255.0.0.0' },
  ],
  timing: { scale: 0.1, associateMs: 500, dhcpMs: 200, wrongPasswordMs: 300, noApMs: 200, scanMs: 200 },
});

describe('Wi-Fi (esp-at.md §3)', () => {
  it('joins: WIFI CONNECTED, WIFI GOT IP, OK; queries report the AP and the address', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CWJAP?\r\n', '+CWJAP:"copro-lab","ca:d7:19:d8:a6:44",6,-45,0,1,3,0,1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:2,"copro-lab"\r\n\r\nOK\r\n');
    await host.exchange(
      'AT+CIFSR\r\n',
      '+CIFSR:STAIP,"192.168.10.42"\r\n+CIFSR:STAMAC,"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n',
    );
    await host.exchange(
      'AT+CIPSTA?\r\n',
      '+CIPSTA:ip:"192.168.10.42"\r\n+CIPSTA:gateway:"192.168.10.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+CIPSTATUS\r\n', 'STATUS:2\r\n\r\nOK\r\n');
  });

  it('answers busy p... to every line completed while CWJAP runs, and never queues them', async () => {
    const { host } = await startBench(cleanup, { world: TWO_AP_WORLD });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    host.send(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\nAT\r\n`);
    await host.expect('\r\nbusy p...\r\n');
    await host.exchange('AT+GMR\r\n', '\r\nbusy p...\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nbusy p...\r\n');
    await host.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    // SYSLOG=1 was discarded, so the next error has no ERR CODE line.
    await host.exchange('AT+FAKE\r\n', '\r\nERROR\r\n');
  });

  it('precedes busy p... with ERR CODE:0x010b0000 when SYSLOG=1', async () => {
    const { host } = await startBench(cleanup, { world: TWO_AP_WORLD });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+SYSLOG=1\r\n', '\r\nOK\r\n');
    host.send(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n\r\n`);
    await host.expect('ERR CODE:0x010b0000\r\n\r\nbusy p...\r\n');
    await host.expect('WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
  });

  it('fails a wrong password with +CWJAP:2 and an unknown SSID with +CWJAP:3', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP="copro-lab","wrongpass"\r\n', '+CWJAP:2\r\n\r\nERROR\r\n');
    await host.exchange('AT+CWJAP="nobody","whatever1"\r\n', '+CWJAP:3\r\n\r\nERROR\r\n');
    // The firmware `puts` "No AP" to its console (UART0): only OK reaches the AT port.
    await host.exchange('AT+CWJAP?\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"nobody"\r\n\r\nOK\r\n');
  });

  it('ends a failed 1.7 join with FAIL', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp8266-at-1.7' });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP_CUR="copro-lab","wrongpass"\r\n', '+CWJAP_CUR:2\r\n\r\nFAIL\r\n');
    await host.exchange(`AT+CWJAP_CUR="${LAB.ssid}","${LAB.password}"\r\n`, 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await host.exchange('AT+CWJAP_CUR?\r\n', '+CWJAP_CUR:"copro-lab","ca:d7:19:d8:a6:44",6,-45\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE_CUR?\r\n', '+CWMODE_CUR:1\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=?\r\n', '+CWMODE:(1-3)\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTA_CUR?\r\n', '+CIPSTA_CUR:ip:"192.168.10.42"\r\n+CIPSTA_CUR:gateway:"192.168.10.1"\r\n+CIPSTA_CUR:netmask:"255.255.255.0"\r\n\r\nOK\r\n');
  });

  it('leaves the AP: OK then WIFI DISCONNECT; station commands need station mode', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CWQAP\r\n', '\r\nOK\r\nWIFI DISCONNECT\r\n');
    await host.exchange('AT+CWQAP\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIFSR\r\n', '+CIFSR:STAIP,"0.0.0.0"\r\n+CIFSR:STAMAC,"24:0a:c4:c0:90:01"\r\n\r\nOK\r\n');
    await host.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, '\r\nERROR\r\n');
    await host.exchange('AT+CWLAP\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIFSR\r\n', '+CIFSR:APIP,"192.168.4.1"\r\n+CIFSR:APMAC,"24:0a:c4:c0:90:02"\r\n\r\nOK\r\n');
  });

  it('lists access points strongest first, with filters and CWLAPOPT masks', async () => {
    const { host } = await startBench(cleanup, { world: TWO_AP_WORLD });
    await host.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
    await host.exchange(
      'AT+CWLAP\r\n',
      '+CWLAP:(3,"copro-lab",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0)\r\n' +
        '+CWLAP:(0,"cafe",-70,"02:00:00:00:00:02",11,-1,-1,0,0,7,0)\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+CWLAP="cafe"\r\n', '+CWLAP:(0,"cafe",-70,"02:00:00:00:00:02",11,-1,-1,0,0,7,0)\r\n\r\nOK\r\n');
    await host.exchange('AT+CWLAPOPT=1,31\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWLAP=,,6\r\n', '+CWLAP:(3,"copro-lab",-45,"ca:d7:19:d8:a6:44",6)\r\n\r\nOK\r\n');
  });

  it('reports WIFI DISCONNECT then CLOSED for every link when the AP goes away', async () => {
    const { emu, host } = await startBench(cleanup);
    const { TcpPeer } = await import('./harness.js');
    const peer = await TcpPeer.start(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange(`AT+CIPSTART=0,"TCP","127.0.0.1",${peer.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=1,"TCP","127.0.0.1",${peer.port}\r\n`, '1,CONNECT\r\n\r\nOK\r\n');
    // No reconnection (wifi-station.test.ts covers it), so the state after the loss stays.
    await host.exchange('AT+CWRECONNCFG=0,0\r\n', '\r\nOK\r\n');
    expect(emu.stack.station.dropAssociation()).toBe(true);
    await host.expect('WIFI DISCONNECT\r\n0,CLOSED\r\n1,CLOSED\r\n');
    await host.exchange('AT+CWSTATE?\r\n', '+CWSTATE:4,"copro-lab"\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTATUS\r\n', 'STATUS:5\r\n\r\nOK\r\n');
  });

  it('sets a static address with CIPSTA and reports it', async () => {
    const { host } = await startBench(cleanup);
    await joinLab(host);
    await host.exchange('AT+CIPSTA="192.168.10.99"\r\n', '\r\nOK\r\n');
    await host.exchange(
      'AT+CIPSTA?\r\n',
      '+CIPSTA:ip:"192.168.10.99"\r\n+CIPSTA:gateway:"192.168.10.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n\r\nOK\r\n',
    );
    await host.exchange('AT+CWDHCP?\r\n', '+CWDHCP:2\r\n\r\nOK\r\n');
    await host.exchange('AT+CWDHCP=1,1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CWDHCP?\r\n', '+CWDHCP:3\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSTA="300.1.1.1"\r\n', '\r\nERROR\r\n');
  });
});
