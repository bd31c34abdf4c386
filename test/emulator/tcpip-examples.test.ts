import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/emulator.js';
import { parseWorldConfig, type WorldConfig } from '../../emulator/world-config.js';
import { sntpAnswer } from '../../firmware-protocol/sntp.js';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { startModules } from '../../emulator/modules.js';
import { Cleanup, sleep, startBench, TestHost, waitUntil, type Bench } from './harness.js';

/**
 * Espressif's TCP/IP example page (espressif/esp-at v2.4.2.0 docs/en/AT_Command_Examples/
 * TCP-IP_AT_Examples.rst), replayed byte for byte: the page's router ("espressif", the lease
 * 192.168.3.112), its commands and answers, with its PC on the router (192.168.3.102, .103) replaced
 * by peers on 127.0.0.1 and its PC on the softAP (192.168.4.2) by a second module that joins it. The TCP client and fixed-remote UDP sections are the transcripts in
 * test/transcripts/ (copro verify). Where the page leaves out a line the firmware prints (the
 * `0,CONNECT` of a client of the module's server) or shows one it cannot (CIPCLOSE without an id in
 * multi-link mode), the comment says so. The page's openssl s_client is a node:tls client.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

const ROUTER = parseWorldConfig({
  accessPoints: [
    {
      ssid: 'espressif',
      password: '1234567890',
      rssi: -40,
      channel: 6,
      bssid: 'c6:93:d9:f0:2e:11',
      ip: '192.168.3.112',
      gateway: '192.168.3.1',
      netmask: '255.255.255.0',
    },
  ],
}).accessPoints;

/** The page's world: its router, the test PKI as the module's store, and `ntp` names if given. */
function pageWorld(ntp: WorldConfig['ntp'] = {}): WorldConfig {
  const store = tlsWorld({ caCerts: [pki.ca.cert], clientCerts: [pki.client], server: pki.server, serverCa: pki.ca.cert });
  cleanup.add(() => store.dispose());
  return { ...store.world, accessPoints: ROUTER, ntp };
}

async function module(world: WorldConfig = pageWorld()): Promise<Bench> {
  const bench = await startBench(cleanup, { world });
  // The page shows no echo: echo off first (ATE0 itself is still echoed).
  await bench.host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
  return bench;
}

/** The page's first steps in station mode: mode, join, the lease. */
async function joinRouter(host: TestHost): Promise<void> {
  await host.exchange('AT+CWMODE=1\r\n', OK);
  await host.exchange('AT+CWJAP="espressif","1234567890"\r\n', `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
  await host.exchange('AT+CIPSTA?\r\n', `+CIPSTA:ip:"192.168.3.112"\r\n+CIPSTA:gateway:"192.168.3.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n${OK}`);
}

/** The PC's "network tool" as a TCP client of the module's server. */
async function dial(emu: RunningEmulator): Promise<{ socket: Socket; received: () => string }> {
  const { ip, port } = emu.stack.openServers[0].hostEndpoint;
  const socket = connect({ host: ip, port });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  cleanup.add(() => socket.destroy());
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, received: () => received };
}

/** The page's `openssl s_client`: verifies the module's certificate; `mutual` presents the client certificate. */
async function sslClient(emu: RunningEmulator, mutual = false): Promise<{ socket: TLSSocket; received: () => string }> {
  const { ip, port } = emu.stack.openServers[0].hostEndpoint;
  const identity = mutual ? { cert: pki.client.cert, key: pki.client.key } : {};
  const socket = tlsConnect({ host: ip, port, ca: [pki.ca.cert], servername: 'peer.lab', ...identity });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  cleanup.add(() => socket.destroy());
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  return { socket, received: () => received };
}

/** The PC's TCP server (the page's 192.168.3.102:8080). */
async function tcpServer(): Promise<{ port: number; sockets: Socket[]; received: () => string }> {
  const sockets: Socket[] = [];
  let received = '';
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanup.add(() => sockets.forEach((socket) => socket.destroy()));
  return { port: (server.address() as AddressInfo).port, sockets, received: () => received };
}

/** A UDP endpoint of the PC's. */
async function udpPeer(): Promise<{ socket: UdpSocket; port: number; got: { text: string; port: number }[] }> {
  const socket = createSocket('udp4');
  const got: { text: string; port: number }[] = [];
  socket.on('message', (data, from) => got.push({ text: data.toString('latin1'), port: from.port }));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { socket, port: socket.address().port, got };
}

/** `test` sent with AT+CIPSEND[=<id>,]4 as the page shows it. */
async function sendTest(host: TestHost, command: string): Promise<void> {
  await host.exchange(`${command}\r\n`, `${OK}\r\n>`);
  await host.exchange('test', '\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n');
}

/** The page's steps with a client of the module's server on link 0: `test` each way, then AT+CIPCLOSE=0. */
async function testBothWaysThenClose(host: TestHost, pc: { socket: Socket | TLSSocket; received: () => string }): Promise<void> {
  await sendTest(host, 'AT+CIPSEND=0,4');
  await waitUntil(() => pc.received() === 'test', 'the client to get test');
  pc.socket.write('test');
  await host.expect('\r\n+IPD,0,4:test');
  await host.exchange('AT+CIPCLOSE=0\r\n', `0,CLOSED\r\n${OK}`);
}

/** `+++` alone, with the guard time around it (world-scaled: 1 s at scale 1), then the page's wait. */
async function leavePassthrough(host: TestHost): Promise<void> {
  await sleep(60);
  host.send('+++');
  await sleep(60);
}

describe("TCP-IP_AT_Examples.rst (v2.4.2.0), replayed", () => {
  it('ESP32 as a TCP server in multiple connections (softAP mode)', async () => {
    const { emu, host } = await module();
    await host.exchange('AT+CWMODE=2\r\n', OK);
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    await host.exchange('AT+CWSAP="ESP32_softAP","1234567890",5,3\r\n', OK);
    await host.exchange('AT+CIPAP?\r\n', `+CIPAP:ip:"192.168.4.1"\r\n+CIPAP:gateway:"192.168.4.1"\r\n+CIPAP:netmask:"255.255.255.0"\r\n${OK}`);
    // "the default port is 333".
    await host.exchange('AT+CIPSERVER=1\r\n', OK);
    await host.exchange('AT+CIPSERVER?\r\n', `+CIPSERVER:1,333,"TCP",0\r\n${OK}`);
    const pc = await dial(emu);
    // The page leaves it out; the firmware announces the client.
    await host.expect('0,CONNECT\r\n');
    await testBothWaysThenClose(host, pc);
  });

  it('UDP transmission with changeable remote IP address and port (mode 2)', async () => {
    const pc = await udpPeer();
    const other = await udpPeer();
    const { host } = await module();
    await joinRouter(host);
    await host.exchange('AT+CIPMUX=0\r\n', OK);
    await host.exchange(`AT+CIPSTART="UDP","127.0.0.1",${pc.port},1112,2\r\n`, `CONNECT\r\n${OK}`);
    await sendTest(host, 'AT+CIPSEND=4');
    await waitUntil(() => pc.got.length === 1, 'the datagram at the PC');
    // "send data to any other UDP terminal": the page's 192.168.3.103:1000.
    await sendTest(host, `AT+CIPSEND=4,"127.0.0.1",${other.port}`);
    await waitUntil(() => other.got.length === 1, 'the datagram at the other terminal');
    expect([pc.got[0].text, other.got[0].text]).toEqual(['test', 'test']);
    pc.socket.send('test', pc.got[0].port, '127.0.0.1');
    await host.expect('\r\n+IPD,4:test');
    await host.exchange('AT+CIPCLOSE\r\n', `CLOSED\r\n${OK}`);
  });

  it('ESP32 as an SSL client in single connection', async () => {
    const server = await TlsPeer.start({ identity: pki.server, echo: false });
    cleanup.add(() => server.close());
    const { host } = await module();
    await joinRouter(host);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    await sendTest(host, 'AT+CIPSEND=4');
    await waitUntil(() => server.visits[0]?.received.toString() === 'test', 'the SSL server to get test');
    server.visits[0].socket.write('test');
    await host.expect('\r\n+IPD,4:test');
  });

  it('ESP32 as an SSL client with mutual authentication: SNTP first, then CIPSSLCCONF=3', async () => {
    const ntp = createSocket('udp4');
    ntp.on('message', (_request, from) => ntp.send(sntpAnswer(Date.now()), from.port, from.address));
    await new Promise<void>((resolve) => ntp.bind(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => ntp.close(() => resolve())));
    const server = await TlsPeer.start({ identity: pki.server, requireClientCa: pki.ca.cert, echo: false });
    cleanup.add(() => server.close());
    const { host } = await module(pageWorld({ 'cn.ntp.org.cn': { host: '127.0.0.1', port: ntp.address().port } }));
    await host.exchange('AT+CWMODE=1\r\n', OK);
    await host.exchange('AT+CWJAP="espressif","1234567890"\r\n', `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
    await host.exchange('AT+CIPSNTPCFG=1,8,"cn.ntp.org.cn","ntp.sjtu.edu.cn"\r\n', OK);
    // The page's "Mon Oct 18 20:12:27 2021": here this machine's time, at UTC+8 (bounded wait for the exchange).
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    let answer = '';
    for (let i = 0; i < 100 && !answer.includes(String(year)); i++) {
      host.send('AT+CIPSNTPTIME?\r\n');
      answer = await host.readThrough(OK);
      if (!answer.includes(String(year))) await sleep(20);
    }
    expect(answer).toMatch(new RegExp(`^\\+CIPSNTPTIME:[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} ${year}\\r\\n${OK.replace(/\r\n/g, '\\r\\n')}$`));
    await host.exchange('AT+CIPSTA?\r\n', `+CIPSTA:ip:"192.168.3.112"\r\n+CIPSTA:gateway:"192.168.3.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n${OK}`);
    // (The page's "Response on the ESP32: CONNECT" after starting openssl s_server is a slip: nothing
    // reaches the module before its CIPSTART.)
    await host.exchange('AT+CIPSSLCCONF=3,0,0\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    await sendTest(host, 'AT+CIPSEND=4');
    await waitUntil(() => server.visits[0]?.received.toString() === 'test', 'the SSL server to get test');
    expect(server.visits[0].clientCn).toBe('copro-module');
    server.visits[0].socket.write('test');
    await host.expect('\r\n+IPD,4:test');
  });

  it('ESP32 as an SSL server in multiple connections (softAP mode)', async () => {
    const { emu, host } = await module();
    await host.exchange('AT+CWMODE=2\r\n', OK);
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    await host.exchange('AT+CWSAP="ESP32_softAP","1234567890",5,3\r\n', OK);
    await host.exchange('AT+CIPAP?\r\n', `+CIPAP:ip:"192.168.4.1"\r\n+CIPAP:gateway:"192.168.4.1"\r\n+CIPAP:netmask:"255.255.255.0"\r\n${OK}`);
    await host.exchange('AT+CIPSERVER=1,8070,"SSL"\r\n', OK);
    const pc = await sslClient(emu);
    // The page shows a bare CONNECT; in multi-link mode the firmware prints the id.
    await host.expect('0,CONNECT\r\n');
    await testBothWaysThenClose(host, pc);
  });

  it('ESP32 as an SSL server with mutual authentication (<CA enable> 1)', async () => {
    const { emu, host } = await module();
    await joinRouter(host);
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    await host.exchange('AT+CIPSERVER=1,8070,"SSL",1\r\n', OK);
    const pc = await sslClient(emu, true);
    await host.expect('0,CONNECT\r\n');
    await testBothWaysThenClose(host, pc);
    await host.exchange('AT+CIPSERVER=0\r\n', OK);
  });

  it('UART Wi-Fi passthrough as a TCP client in single connection', async () => {
    const pc = await tcpServer();
    const { host } = await module();
    await joinRouter(host);
    await host.exchange(`AT+CIPSTART="TCP","127.0.0.1",${pc.port}\r\n`, `CONNECT\r\n${OK}`);
    await host.exchange('AT+CIPMODE=1\r\n', OK);
    await host.exchange('AT+CIPSEND\r\n', `${OK}\r\n>`);
    host.send('raw bytes, no +IPD');
    await waitUntil(() => pc.received() === 'raw bytes, no +IPD', 'the PC to get the bytes');
    pc.sockets[0].write('and back');
    await host.expect('and back');
    await leavePassthrough(host);
    await host.exchange('AT+CIPMODE=0\r\n', OK);
    await host.exchange('AT+CIPCLOSE\r\n', `CLOSED\r\n${OK}`);
  });

  it('UART Wi-Fi passthrough as a TCP server (one connection)', async () => {
    const { emu, host } = await module();
    await host.exchange('AT+CWMODE=1\r\n', OK);
    await host.exchange('AT+CWJAP="espressif","1234567890"\r\n', `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    await host.exchange('AT+CIPSERVERMAXCONN=1\r\n', OK);
    await host.exchange('AT+CIPSERVER=1,8080\r\n', OK);
    await host.exchange('AT+CIPSTA?\r\n', `+CIPSTA:ip:"192.168.3.112"\r\n+CIPSTA:gateway:"192.168.3.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n${OK}`);
    const pc = await dial(emu);
    await host.expect('0,CONNECT\r\n');
    await host.exchange('AT+CIPMODE=1\r\n', OK);
    await host.exchange('AT+CIPSEND\r\n', `${OK}\r\n>`);
    host.send('to the client');
    await waitUntil(() => pc.received() === 'to the client', 'the PC to get the bytes');
    pc.socket.write('from the client');
    await host.expect('from the client');
    await leavePassthrough(host);
    await host.exchange('AT+CIPMODE=0\r\n', OK);
    // The page closes with a bare AT+CIPCLOSE; in multi-link mode the link id is needed.
    await host.exchange('AT+CIPCLOSE=0\r\n', `0,CLOSED\r\n${OK}`);
  });

  it('UART Wi-Fi passthrough as a softAP in UDP transparent transmission (the PC: a second module on the softAP)', async () => {
    // The page's PC joins the softAP and gets 192.168.4.2: here a second module of the same daemon does.
    const modules = await startModules({
      world: parseWorldConfig({ timing: { scale: 0.01 }, modules: [{}, {}] }),
      count: 2,
      network: { lookup: async (name) => Promise.reject(new Error(`no real DNS in tests (${name})`)) },
    });
    for (const one of modules) cleanup.add(() => one.close());
    const [host, pc] = modules.map((one) => new TestHost(one.host!));
    await host.expect('\r\nready\r\n');
    await pc.expect('\r\nready\r\n');
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await pc.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+CWMODE=2\r\n', OK);
    await host.exchange('AT+CWSAP="ESP32_softAP","1234567890",5,3\r\n', OK);
    await pc.exchange('AT+CWMODE=1\r\n', OK);
    await pc.exchange('AT+CWJAP="ESP32_softAP","1234567890"\r\n', `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
    // (The softAP's station events, not on the page, come as the firmware prints them.)
    await host.expect('+STA_CONNECTED:"24:0a:c4:c0:90:05"\r\n+DIST_STA_IP:"24:0a:c4:c0:90:05","192.168.4.2"\r\n');
    // The PC's UDP endpoint: 192.168.4.2, port 8080, talking to the module's 2233.
    await pc.exchange('AT+CIPSTART="UDP","192.168.4.1",2233,8080,0\r\n', `CONNECT\r\n${OK}`);
    await host.exchange('AT+CIPSTART="UDP","192.168.4.2",8080,2233,0\r\n', `CONNECT\r\n${OK}`);
    await host.exchange('AT+CIPMODE=1\r\n', OK);
    await host.exchange('AT+CIPSEND\r\n', `${OK}\r\n>`);
    host.send('datagram');
    await pc.expect('\r\n+IPD,8:datagram');
    await pc.exchange('AT+CIPSEND=5\r\n', `${OK}\r\n>`);
    await pc.exchange('reply', '\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n');
    await host.expect('reply');
    await leavePassthrough(host);
    await host.exchange('AT+CIPMODE=0\r\n', OK);
    await host.exchange('AT+CIPCLOSE\r\n', `CLOSED\r\n${OK}`);
  });
});
