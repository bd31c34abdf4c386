import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/emulator.js';
import { parseWorldConfig, type WorldConfig } from '../../emulator/world-config.js';
import { ipv6LoopbackAvailable } from '../helpers/ipv6-loopback.js';
import { makeTestPki, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, LAB, startBench, waitUntil, type TestHost } from './harness.js';

/**
 * IPv6 servers (TCP-IP_AT_Commands.rst v2.4.2.0, AT+CIPSERVER: `<"type">` "TCP", "TCPv6", "SSL" or
 * "SSLv6"; "set AT+CIPV6=1 first, and obtain an IPv6 address"). The host reaches a v6 server on ::1 at
 * the port the world's `ports` maps the module's to, as a v4 server on 127.0.0.1; clients show as
 * TCPv6/SSLv6 links in AT+CIPSTATE? and AT+CIPSTATUS.
 */

const HAS_IPV6 = await ipv6LoopbackAvailable();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';
const ERROR = '\r\nERROR\r\n';

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

const WORLD = parseWorldConfig({ timing: { scale: 0.01 }, ports: { '8080': 0 } });

/** Joined with IPv6 on (link-local address announced), multiple links. */
async function ready(world: WorldConfig = WORLD): Promise<{ emu: RunningEmulator; host: TestHost }> {
  const bench = await startBench(cleanup, { world });
  const { host } = bench;
  await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
  await host.exchange('AT+CWMODE=1\r\n', OK);
  await host.exchange('AT+CIPMUX=1\r\n', OK);
  await host.exchange('AT+CIPV6=1\r\n', OK);
  await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
  await host.expect('WIFI GOT IPv6 LL\r\n', 2000);
  return bench;
}

interface Client {
  readonly socket: Socket;
  received: string;
}

async function dial(emu: RunningEmulator): Promise<Client> {
  const { ip, port } = emu.stack.openServers[0].hostEndpoint;
  const socket = connect({ host: ip, port });
  const client: Client = { socket, received: '' };
  socket.on('data', (chunk: Buffer) => (client.received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  cleanup.add(() => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return client;
}

describe.skipIf(!HAS_IPV6)('AT+CIPSERVER "TCPv6" / "SSLv6" (needs ::1 on this machine)', () => {
  it('TCPv6: listens on ::1 at the mapped port; its client is a TCPv6 link (tetype 1)', async () => {
    const { emu, host } = await ready();
    await host.exchange('AT+CIPSERVER=1,8080,"TCPv6"\r\n', OK);
    await host.exchange('AT+CIPSERVER?\r\n', `+CIPSERVER:1,8080,"TCPv6",0\r\n${OK}`);
    const endpoint = emu.stack.openServers[0].hostEndpoint;
    expect(endpoint.ip).toBe('::1');
    expect(endpoint.port).not.toBe(8080);
    const pc = await dial(emu);
    await host.expect('0,CONNECT\r\n');
    const port = pc.socket.localPort;
    await host.exchange('AT+CIPSTATE?\r\n', `+CIPSTATE:0,"TCPv6","::1",${port},8080,1\r\n${OK}`);
    await host.exchange('AT+CIPSTATUS\r\n', `STATUS:3\r\n+CIPSTATUS:0,"TCPv6","::1",${port},8080,1\r\n${OK}`);
    pc.socket.write('hi6');
    await host.expect('\r\n+IPD,0,3:hi6');
    await host.exchange('AT+CIPDINFO=1\r\n', OK);
    pc.socket.write('again');
    await host.expect(`\r\n+IPD,0,5,"::1",${port}:again`);
    await host.exchange('AT+CIPSEND=0,2\r\n', `${OK}\r\n>`);
    await host.exchange('ok', '\r\nRecv 2 bytes\r\n\r\nSEND OK\r\n');
    await waitUntil(() => pc.received === 'ok', 'the reply at the client');
    await host.exchange('AT+CIPSERVER=0,1\r\n', `0,CLOSED\r\n${OK}`);
  });

  it('with AT+SYSMSG bit 1 the client comes as +LINK_CONN with type "TCPv6"', async () => {
    const { emu, host } = await ready();
    await host.exchange('AT+SYSMSG=2\r\n', OK);
    await host.exchange('AT+CIPSERVER=1,8080,"TCPv6"\r\n', OK);
    const pc = await dial(emu);
    await host.expect(`+LINK_CONN:0,0,"TCPv6",1,"::1",${pc.socket.localPort},8080\r\n`);
  });

  it('SSLv6: a TLS server on ::1 with the module certificate', async () => {
    const store = tlsWorld({ server: pki.server });
    cleanup.add(() => store.dispose());
    const { emu, host } = await ready(store.world);
    await host.exchange('AT+CIPSERVER=1,8443,"SSLv6",0\r\n', OK);
    await host.exchange('AT+CIPSERVER?\r\n', `+CIPSERVER:1,8443,"SSLv6",0\r\n${OK}`);
    const { ip, port } = emu.stack.openServers[0].hostEndpoint;
    expect(ip).toBe('::1');
    const socket: TLSSocket = tlsConnect({ host: ip, port, ca: [pki.ca.cert], servername: 'peer.lab' });
    socket.on('error', () => undefined);
    cleanup.add(() => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    await host.expect('0,CONNECT\r\n');
    await host.exchange('AT+CIPSTATE?\r\n', `+CIPSTATE:0,"SSLv6","::1",${socket.localPort},8443,1\r\n${OK}`);
    socket.write('tls6');
    await host.expect('\r\n+IPD,0,4:tls6');
  });
});

describe('IPv6 servers need IPv6 first', () => {
  it('refuses "TCPv6" before AT+CIPV6=1 or before the IPv6 address; a v4 server is still fine', async () => {
    const { host } = await startBench(cleanup, { world: WORLD });
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+CWMODE=1\r\n', OK);
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
    await host.exchange('AT+CIPSERVER=1,8080,"TCPv6"\r\n', ERROR);
    await host.exchange('AT+CIPSERVER=1,8080,"SSLv6"\r\n', ERROR);
    await host.exchange('AT+CIPSERVER=1,8080,"UDPv6"\r\n', ERROR);
    await host.exchange('AT+CIPSERVER=1,8080,"TCP"\r\n', OK);
    await host.exchange('AT+CIPSERVER?\r\n', `+CIPSERVER:1,8080,"TCP",0\r\n${OK}`);
  });
});
