import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseWorldConfig, type WorldConfig } from '../../emulator/world-config.js';
import { linkLocalAddress, slaacAddress } from '../../emulator/network/ipv6-address.js';
import { makeTestPki, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, LAB, LAB_AP, startBench, waitUntil, type TestHost } from './harness.js';

/**
 * AT+CIPV6 and IPv6 links (TCP-IP_AT_Commands.rst v2.4.2.0): the station's link-local and SLAAC
 * addresses (the world's AP advertises a prefix), `WIFI GOT IPv6 LL/GL`, CIPSTA?/CIFSR's IPv6 lines,
 * and "TCPv6", "UDPv6", "SSLv6" links to peers on the IPv6 loopback, ::1.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';
const PREFIX = '2001:db8:10::';

function world(prefix: string | null): WorldConfig {
  return parseWorldConfig({
    timing: { scale: 0.01 },
    accessPoints: [{ ...LAB_AP, ...(prefix ? { ipv6Prefix: prefix } : {}) }],
  });
}

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A module with IPv6 on, joined, both addresses announced; returns its station MAC too. */
async function joinedWithIpv6(prefix: string | null = PREFIX): Promise<{ host: TestHost; mac: string }> {
  const { host } = await startBench(cleanup, { world: world(prefix) });
  await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
  await host.exchange('AT+CWMODE=1\r\n', OK);
  await host.exchange('AT+CIPV6?\r\n', `+CIPV6:0\r\n${OK}`);
  await host.exchange('AT+CIPV6=1\r\n', OK);
  await host.exchange('AT+CIPV6?\r\n', `+CIPV6:1\r\n${OK}`);
  await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
  await host.expect('WIFI GOT IPv6 LL\r\n', 2000);
  if (prefix) await host.expect('WIFI GOT IPv6 GL\r\n', 2000);
  host.send('AT+CIPSTAMAC?\r\n');
  const mac = /\+CIPSTAMAC:"([0-9a-f:]{17})"/.exec(await host.readThrough(OK))?.[1] ?? '';
  return { host, mac };
}

describe('IPv6 addresses (AT+CIPV6)', () => {
  it('announces the link-local then the SLAAC address and shows them in AT+CIPSTA? and AT+CIFSR', async () => {
    const { host, mac } = await joinedWithIpv6();
    const ll = linkLocalAddress(mac);
    const gl = slaacAddress(PREFIX, mac);
    // lwIP's text (upper case), as a real module prints it (espressif/esp-at issue 530).
    expect([mac, ll, gl]).toEqual(['24:0a:c4:c0:90:01', 'FE80::260A:C4FF:FEC0:9001', '2001:DB8:10:0:260A:C4FF:FEC0:9001']);
    await host.exchange(
      'AT+CIPSTA?\r\n',
      `+CIPSTA:ip:"192.168.10.42"\r\n+CIPSTA:gateway:"192.168.10.1"\r\n+CIPSTA:netmask:"255.255.255.0"\r\n+CIPSTA:ip6ll:"${ll}"\r\n+CIPSTA:ip6gl:"${gl}"\r\n${OK}`,
    );
    await host.exchange('AT+CIFSR\r\n', `+CIFSR:STAIP,"192.168.10.42"\r\n+CIFSR:STAIP6LL,"${ll}"\r\n+CIFSR:STAIP6GL,"${gl}"\r\n+CIFSR:STAMAC,"${mac}"\r\n${OK}`);
    // Off: the addresses go.
    await host.exchange('AT+CIPV6=0\r\n', OK);
    await host.exchange('AT+CIFSR\r\n', `+CIFSR:STAIP,"192.168.10.42"\r\n+CIFSR:STAMAC,"${mac}"\r\n${OK}`);
  });

  it('has only the link-local address where no router advertises a prefix; none before IPv6 is on', async () => {
    const { host, mac } = await joinedWithIpv6(null);
    await host.expectSilence(40);
    await host.exchange('AT+CIFSR\r\n', `+CIFSR:STAIP,"192.168.10.42"\r\n+CIFSR:STAIP6LL,"${linkLocalAddress(mac)}"\r\n+CIFSR:STAMAC,"${mac}"\r\n${OK}`);
    const plain = await startBench(cleanup, { world: world(PREFIX) });
    await plain.host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await plain.host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
    await plain.host.expectSilence(60);
    await plain.host.exchange('AT+CIPSTART="TCPv6","::1",80\r\n', '\r\nERROR\r\n');
  });
});

describe('IPv6 links to ::1', () => {
  it('TCPv6: connects, shows the link as TCPv6 in AT+CIPSTATE?, and echoes both ways', async () => {
    const sockets: Socket[] = [];
    const port = await listen(createServer((socket) => {
      sockets.push(socket);
      socket.pipe(socket);
    }));
    const { host } = await joinedWithIpv6();
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    // The IPv4 type does not take an IPv6 address, nor the IPv6 type a name.
    await host.exchange(`AT+CIPSTART=0,"TCP","::1",${port}\r\n`, '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCPv6","peer.lab",${port}\r\n`, '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART=0,"TCPv6","::1",${port}\r\n`, `0,CONNECT\r\n${OK}`);
    await waitUntil(() => sockets.length === 1, 'the connection');
    const localPort = sockets[0].remotePort;
    await host.exchange('AT+CIPSTATE?\r\n', `+CIPSTATE:0,"TCPv6","::1",${port},${localPort},0\r\n${OK}`);
    await host.exchange('AT+CIPSEND=0,5\r\n', `${OK}\r\n>`);
    await host.exchange('hello', '\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n');
    await host.expect('\r\n+IPD,0,5:hello');
    await host.exchange('AT+CIPCLOSE=0\r\n', `0,CLOSED\r\n${OK}`);
  });

  it('UDPv6: datagrams both ways, the sender shown with AT+CIPDINFO=1', async () => {
    const peer: UdpSocket = createSocket('udp6');
    await new Promise<void>((resolve) => peer.bind(0, '::1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => peer.close(() => resolve())));
    const got: { text: string; port: number; address: string }[] = [];
    peer.on('message', (data, from) => {
      got.push({ text: data.toString(), port: from.port, address: from.address });
      peer.send(Buffer.from('pong'), from.port, from.address);
    });
    const { host } = await joinedWithIpv6();
    await host.exchange('AT+CIPDINFO=1\r\n', OK);
    const port = peer.address().port;
    await host.exchange(`AT+CIPSTART="UDPv6","::1",${port}\r\n`, `CONNECT\r\n${OK}`);
    await host.exchange('AT+CIPSEND=4\r\n', `${OK}\r\n>`);
    await host.exchange('ping', '\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n');
    await host.expect(`\r\n+IPD,4,"::1",${port}:pong`);
    expect(got.map((g) => [g.text, g.address])).toEqual([['ping', '::1']]);
    await host.exchange('AT+CIPSTATE?\r\n', `+CIPSTATE:0,"UDPv6","::1",${port},${got[0].port},0\r\n${OK}`);
  });

  it('SSLv6: a TLS link over IPv6 (server not verified)', async () => {
    const port = await listen(createTlsServer({ cert: pki.server.cert, key: pki.server.key }, (socket) => socket.pipe(socket)));
    const { host } = await joinedWithIpv6();
    await host.exchange(`AT+CIPSTART="SSLv6","::1",${port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    await host.exchange('AT+CIPSEND=3\r\n', `${OK}\r\n>`);
    await host.exchange('tls', '\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n');
    await host.expect('\r\n+IPD,3:tls');
  });
});

describe("the softAP's IPv6 link-local address (AT+CIPAP? ip6ll, AT+CIFSR APIP6LL)", () => {
  const AP = '+CIPAP:ip:"192.168.4.1"\r\n+CIPAP:gateway:"192.168.4.1"\r\n+CIPAP:netmask:"255.255.255.0"\r\n';
  const AP_LL = 'FE80::260A:C4FF:FEC0:9002';

  it('comes when the softAP starts with IPv6 on (no URC), after DAD; goes with AT+CIPV6=0', async () => {
    const { host } = await startBench(cleanup, { world: world(null) });
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+CIPV6=1\r\n', OK);
    await host.exchange('AT+CWMODE=2\r\n', OK);
    await host.expectSilence(40);
    await host.exchange('AT+CIPAP?\r\n', `${AP}+CIPAP:ip6ll:"${AP_LL}"\r\n${OK}`);
    await host.exchange('AT+CIFSR\r\n', `+CIFSR:APIP,"192.168.4.1"\r\n+CIFSR:APIP6LL,"${AP_LL}"\r\n+CIFSR:APMAC,"24:0a:c4:c0:90:02"\r\n${OK}`);
    await host.exchange('AT+CIPV6=0\r\n', OK);
    await host.exchange('AT+CIPAP?\r\n', `${AP}${OK}`);
  });

  it('is made only at the AP start: a softAP already up when IPv6 is turned on has none until it restarts', async () => {
    const { host } = await startBench(cleanup, { world: world(null) });
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+CWMODE=2\r\n', OK);
    await host.exchange('AT+CIPV6=1\r\n', OK);
    await host.expectSilence(40);
    await host.exchange('AT+CIPAP?\r\n', `${AP}${OK}`);
    await host.exchange('AT+CWMODE=1\r\n', OK);
    await host.exchange('AT+CWMODE=2\r\n', OK);
    await host.expectSilence(40);
    await host.exchange('AT+CIPAP?\r\n', `${AP}+CIPAP:ip6ll:"${AP_LL}"\r\n${OK}`);
  });
});
