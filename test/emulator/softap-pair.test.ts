import { connect, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startModules } from '../../emulator/modules.js';
import { parseWorldConfig } from '../../emulator/world-config.js';
import { Cleanup, TestHost } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const WORLD = parseWorldConfig({ timing: { scale: 0.01 }, modules: [{}, {}] });

/** Two modules in one process sharing the air; each host is a TestHost on its module's UART. */
async function startPair(): Promise<{ ap: TestHost; sta: TestHost; ports: () => number[] }> {
  const modules = await startModules({
    world: WORLD,
    count: 2,
    network: { lookup: async (name) => Promise.reject(new Error(`no real DNS in tests (${name})`)) },
  });
  for (const module of modules) cleanup.add(() => module.close());
  const [ap, sta] = modules.map((module) => new TestHost(module.host!));
  await ap.expect('\r\nready\r\n');
  await sta.expect('\r\nready\r\n');
  await ap.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  await sta.exchange('ATE0\r\n', 'ATE0\r\r\n\r\nOK\r\n');
  return { ap, sta, ports: () => modules[0].stack.openServers.map((server) => server.hostEndpoint.port) };
}

/** Module 1 runs a WPA2 softAP; module 2 joins it. */
async function joinPair(ap: TestHost, sta: TestHost): Promise<void> {
  await ap.exchange('AT+CWMODE=2\r\n', '\r\nOK\r\n');
  await ap.exchange('AT+CWSAP="pair-ap","pairkey123",5,3\r\n', '\r\nOK\r\n');
  await sta.exchange('AT+CWJAP="pair-ap","pairkey123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
  await ap.expect('+STA_CONNECTED:"24:0a:c4:c0:90:05"\r\n+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.2"\r\n');
}

function dialHost(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
    cleanup.add(() => socket.destroy());
  });
}

describe('two modules in one daemon: a softAP and a station that joins it', () => {
  it('module 2 scans module 1 softAP, refuses a wrong key, joins, gets a lease; module 1 lists and kicks it', async () => {
    const { ap, sta } = await startPair();
    await sta.exchange('AT+CWLAP\r\n', '+CWLAP:(3,"copro-lab",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0)\r\n\r\nOK\r\n');
    await ap.exchange('AT+CWMODE=3\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CWSAP="pair-ap","pairkey123",5,3\r\n', '\r\nOK\r\n');
    await sta.exchange(
      'AT+CWLAP\r\n',
      '+CWLAP:(3,"pair-ap",-30,"24:0a:c4:c0:90:02",5,-1,-1,4,4,7,0)\r\n+CWLAP:(3,"copro-lab",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0)\r\n\r\nOK\r\n',
    );
    await sta.exchange('AT+CWJAP="pair-ap","wrongkey99"\r\n', '+CWJAP:2\r\n\r\nERROR\r\n');
    await sta.exchange('AT+CWJAP="pair-ap","pairkey123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await ap.expect('+STA_CONNECTED:"24:0a:c4:c0:90:05"\r\n+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.2"\r\n');
    await sta.exchange('AT+CWJAP?\r\n', '+CWJAP:"pair-ap","24:0a:c4:c0:90:02",5,-30,0,1,3,0,1\r\n\r\nOK\r\n');
    await sta.exchange(
      'AT+CIPSTA?\r\n',
      '+CIPSTA:ip:"192.168.4.2"\r\n+CIPSTA:gateway:"192.168.4.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n\r\nOK\r\n',
    );
    await ap.exchange('AT+CWLIF\r\n', '+CWLIF:192.168.4.2,24:0a:c4:c0:90:05\r\n\r\nOK\r\n');
    // A kicked station would rejoin after its reconn_interval (the join's default 1 s); stop that first.
    await sta.exchange('AT+CWRECONNCFG=0,0\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CWQIF="24:0A:C4:C0:90:05"\r\n', '\r\nOK\r\n+STA_DISCONNECTED:"24:0a:c4:c0:90:05"\r\n');
    await sta.expect('WIFI DISCONNECT\r\n');
    await ap.exchange('AT+CWLIF\r\n', '\r\nOK\r\n');
    // AT+CIPAPMAC gives the softAP a new MAC: the other module's next scan shows it.
    await ap.exchange('AT+CIPAPMAC="24:0a:c4:c0:90:22"\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CIPAPMAC?\r\n', '+CIPAPMAC:"24:0a:c4:c0:90:22"\r\n\r\nOK\r\n');
    await sta.exchange('AT+CWLAP="pair-ap"\r\n', '+CWLAP:(3,"pair-ap",-30,"24:0a:c4:c0:90:22",5,-1,-1,4,4,7,0)\r\n\r\nOK\r\n');
    // A hidden softAP is not in scans but can be joined by name; a full one refuses the next station.
    await ap.exchange('AT+CWSAP="pair-ap","pairkey123",5,3,1,1\r\n', '\r\nOK\r\n');
    await sta.exchange('AT+CWLAP\r\n', '+CWLAP:(3,"copro-lab",-45,"ca:d7:19:d8:a6:44",6,-1,-1,4,4,7,0)\r\n\r\nOK\r\n');
    await sta.exchange('AT+CWJAP="pair-ap","pairkey123"\r\n', 'WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n');
    await ap.expect('+STA_CONNECTED:"24:0a:c4:c0:90:05"\r\n+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.2"\r\n');
    // The softAP goes down with AT+CWMODE=1: its station is let go.
    await ap.exchange('AT+CWMODE=1\r\n', '\r\nOK\r\n+STA_DISCONNECTED:"24:0a:c4:c0:90:05"\r\n');
    await sta.expect('WIFI DISCONNECT\r\n');
  });

  it('module 2 opens TCP to module 1 server at 192.168.4.1; each sees the other at its softAP-network address', async () => {
    const { ap, sta, ports } = await startPair();
    await joinPair(ap, sta);
    await ap.exchange('AT+CIPMUX=1\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CIPSERVER=1,333\r\n', '\r\nOK\r\n');
    await sta.exchange('AT+CIPSTART="TCP","192.168.4.1",333\r\n', 'CONNECT\r\n\r\nOK\r\n');
    await ap.expect('0,CONNECT\r\n');
    await sta.exchange('AT+CIPSEND=4\r\n', '\r\nOK\r\n\r\n>');
    await sta.exchange('ping', '\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n');
    await ap.expect('\r\n+IPD,0,4:ping');
    await ap.exchange('AT+CIPSEND=0,4\r\n', '\r\nOK\r\n\r\n>');
    await ap.exchange('pong', '\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n');
    await sta.expect('\r\n+IPD,4:pong');
    ap.send('AT+CIPSTATUS\r\n');
    expect(await ap.readThrough('\r\nOK\r\n')).toMatch(/\+CIPSTATUS:0,"TCP","192\.168\.4\.2",\d+,333,1\r\n/);
    sta.send('AT+CIPSTATUS\r\n');
    expect(await sta.readThrough('\r\nOK\r\n')).toMatch(/^STATUS:3\r\n\+CIPSTATUS:0,"TCP","192\.168\.4\.1",333,\d+,0\r\n\r\nOK\r\n$/);
    // The host still reaches module 1's server as before.
    const [hostPort] = ports();
    const viaHost = await dialHost(hostPort);
    await ap.expect('1,CONNECT\r\n');
    viaHost.write('host');
    await ap.expect('\r\n+IPD,1,4:host');
    // Closing, then nothing listening on 334: the connect fails as the firmware's does.
    await sta.exchange('AT+CIPCLOSE\r\n', 'CLOSED\r\n\r\nOK\r\n');
    await ap.expect('0,CLOSED\r\n');
    await sta.exchange('AT+CIPSTART="TCP","192.168.4.1",334\r\n', '\r\nERROR\r\n');
    // A station on a softAP reaches nothing beyond it (an ESP softAP routes nowhere).
    await sta.exchange('AT+CIPSTART="TCP","127.0.0.1",' + String(hostPort) + '\r\n', '\r\nERROR\r\n');
  });

  it('UDP between the modules: each sees the other at its softAP-network address and module port', async () => {
    const { ap, sta } = await startPair();
    await joinPair(ap, sta);
    await ap.exchange('AT+CIPMUX=1\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CIPDINFO=1\r\n', '\r\nOK\r\n');
    await ap.exchange('AT+CIPSTART=0,"UDP","192.168.4.2",6000,5000,2\r\n', '0,CONNECT\r\n\r\nOK\r\n');
    await sta.exchange('AT+CIPSTART="UDP","192.168.4.1",5000,6000,0\r\n', 'CONNECT\r\n\r\nOK\r\n');
    await sta.exchange('AT+CIPSEND=5\r\n', '\r\nOK\r\n\r\n>');
    await sta.exchange('hello', '\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n');
    await ap.expect('\r\n+IPD,0,5,"192.168.4.2",6000:hello');
    await ap.exchange('AT+CIPSEND=0,3\r\n', '\r\nOK\r\n\r\n>');
    await ap.exchange('bye', '\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n');
    await sta.expect('\r\n+IPD,3:bye');
    // The host can still send to module 1's UDP link on its host port.
    const host = createSocket('udp4');
    cleanup.add(() => new Promise<void>((resolve) => host.close(() => resolve())));
    await new Promise<void>((resolve) => host.bind(0, '127.0.0.1', () => resolve()));
    host.send('abc', 5000, '127.0.0.1');
    const from = await ap.readThrough(':abc');
    expect(from).toMatch(/^\r\n\+IPD,0,3,"127\.0\.0\.1",\d+:abc$/);
  });
});
