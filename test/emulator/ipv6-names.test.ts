import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { formatIpv6, linkLocalAddress } from '../../emulator/network/ipv6-address.js';
import { parseWorldConfig, type WorldConfig } from '../../emulator/world-config.js';
import { ipv6LoopbackAvailable } from '../helpers/ipv6-loopback.js';
import { Cleanup, LAB, LAB_AP, startBench, waitUntil, type TestHost } from './harness.js';

/**
 * Names over IPv6 (TCP-IP_AT_Commands.rst v2.4.2.0): the world's hosts give a name an IPv6 address or
 * one of each family; AT+CIPDOMAIN's `<ip network>` (1 IPv4 preferred, 2 IPv4 only, 3 IPv6 only);
 * TCPv6 links to a name; AT+PING to an IPv6 address or a name with only IPv6. How the firmware picks
 * the family is its at_hostname_to_ipaddr (read off the 2.4 and 4.1 core libraries): a literal as it is, else
 * getaddrinfo with AF_UNSPEC (1, and PING), AF_INET (2) or AF_INET6 (3, and the v6 link types).
 */

const HAS_IPV6 = await ipv6LoopbackAvailable();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';
const ERROR = '\r\nERROR\r\n';

const HOSTS = {
  'peer.lab': '127.0.0.1',
  'v6.lab': '::1',
  'both.lab': ['127.0.0.1', '::1'],
  'far6.lab': '2001:0db8:0:0:1:0:0:1',
};

function world(): WorldConfig {
  return parseWorldConfig({
    timing: { scale: 0.01 },
    accessPoints: [{ ...LAB_AP, ipv6Prefix: '2001:db8:10::' }],
    hosts: HOSTS,
    ping: { defaultMs: 5, hosts: { 'v6.lab': 9, 'both.lab': 3 } },
  });
}

async function joined(options: { ipv6: boolean; profile?: 'esp8266-at-1.7' | 'esp32c3-at-4.1' }): Promise<TestHost> {
  const { host } = await startBench(cleanup, { world: world(), ...(options.profile ? { profile: options.profile } : {}) });
  await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
  const nonos = options.profile === 'esp8266-at-1.7';
  if (!nonos) await host.exchange('AT+CWMODE=1\r\n', OK);
  if (options.ipv6) await host.exchange('AT+CIPV6=1\r\n', OK);
  const join = nonos ? `AT+CWJAP_CUR="${LAB.ssid}","${LAB.password}"\r\n` : `AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`;
  await host.exchange(join, `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
  if (options.ipv6) {
    await host.expect('WIFI GOT IPv6 LL\r\n', 2000);
    await host.expect('WIFI GOT IPv6 GL\r\n', 2000);
  }
  return host;
}

describe('IPv6 text and the world hosts table', () => {
  it('prints addresses as lwIP does: upper case, the first run of zero groups as ::', () => {
    // A real module: +CIPSTA:ip6ll,"FE80::260A:C4FF:FE81:D8D0" (espressif/esp-at issue 530).
    expect(linkLocalAddress('24:0a:c4:81:d8:d0')).toBe('FE80::260A:C4FF:FE81:D8D0');
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:DB8::1:0:0:1');
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1');
    expect(formatIpv6([1, 0, 0, 0, 0, 0, 0, 0])).toBe('1::');
    expect(formatIpv6([1, 0, 2, 0, 3, 0, 4, 0])).toBe('1:0:2:0:3:0:4:0');
  });

  it('maps a name to one address of either family or to one of each; old worlds stay valid', () => {
    const parsed = world();
    expect(parsed.hosts).toMatchObject({ 'peer.lab': '127.0.0.1', 'both.lab': '127.0.0.1' });
    expect(parsed.hostsIpv6).toEqual({ 'v6.lab': '::1', 'both.lab': '::1', 'far6.lab': '2001:0db8:0:0:1:0:0:1' });
    expect(parseWorldConfig({ hosts: { 'peer.lab': '127.0.0.1' } }).hostsIpv6).toBeUndefined();
    expect(() => parseWorldConfig({ hosts: { 'two.lab': ['127.0.0.1', '127.0.0.2'] } })).toThrow(/one per family/);
    expect(() => parseWorldConfig({ hosts: { 'bad.lab': 'not-an-address' } })).toThrow(/IPv6 one like "::1"/);
    expect(() => parseWorldConfig({ hosts: { 'many.lab': ['127.0.0.1', '::1', '::2'] } })).toThrow(/one IPv4 and one IPv6/);
    expect(() => parseWorldConfig({ hosts: { 'none.lab': [] } })).toThrow(/one IPv4 and one IPv6/);
  });
});

describe('AT+CIPDOMAIN <ip network>', () => {
  it('1 prefers the A record, 2 takes only A, 3 only AAAA; the answer in lwIP text', async () => {
    const host = await joined({ ipv6: false });
    await host.exchange('AT+CIPDOMAIN="both.lab"\r\n', `+CIPDOMAIN:"127.0.0.1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="both.lab",1\r\n', `+CIPDOMAIN:"127.0.0.1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="both.lab",2\r\n', `+CIPDOMAIN:"127.0.0.1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="both.lab",3\r\n', `+CIPDOMAIN:"::1"\r\n${OK}`);
    // Only an AAAA record: 1 falls back to it, 2 fails.
    await host.exchange('AT+CIPDOMAIN="v6.lab"\r\n', `+CIPDOMAIN:"::1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="v6.lab",2\r\n', ERROR);
    await host.exchange('AT+CIPDOMAIN="far6.lab",3\r\n', `+CIPDOMAIN:"2001:DB8::1:0:0:1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="peer.lab",3\r\n', ERROR);
    await host.exchange('AT+CIPDOMAIN="nowhere.invalid",3\r\n', ERROR);
    // A literal answers itself, whatever the network (ipaddr_aton comes first).
    await host.exchange('AT+CIPDOMAIN="::1",2\r\n', `+CIPDOMAIN:"::1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="localhost",3\r\n', `+CIPDOMAIN:"::1"\r\n${OK}`);
  });

  it('refuses a network outside 1..3 and a non-number (ERR CODEs with AT+SYSLOG=1)', async () => {
    const host = await joined({ ipv6: false });
    await host.exchange('AT+CIPDOMAIN="both.lab",4\r\n', ERROR);
    await host.exchange('AT+CIPDOMAIN="both.lab",0\r\n', ERROR);
    await host.exchange('AT+SYSLOG=1\r\n', OK);
    await host.exchange('AT+CIPDOMAIN="both.lab",4\r\n', `ERR CODE:0x01070000\r\n${ERROR}`);
    await host.exchange('AT+CIPDOMAIN="both.lab","3"\r\n', `ERR CODE:0x01050000\r\n${ERROR}`);
    await host.exchange('AT+CIPDOMAIN="both.lab",3,1\r\n', `ERR CODE:0x01060000\r\n${ERROR}`);
  });

  it('4.1 adds [,<timeout>] in ms, 0..60000', async () => {
    const host = await joined({ ipv6: false, profile: 'esp32c3-at-4.1' });
    await host.exchange('AT+CIPDOMAIN="both.lab",3,5000\r\n', `+CIPDOMAIN:"::1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="both.lab",2,0\r\n', `+CIPDOMAIN:"127.0.0.1"\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="both.lab",1,60001\r\n', ERROR);
  });

  it('NonOS 1.7 has no <ip network> and no IPv6 names', async () => {
    const host = await joined({ ipv6: false, profile: 'esp8266-at-1.7' });
    await host.exchange('AT+CIPDOMAIN="both.lab"\r\n', `+CIPDOMAIN:127.0.0.1\r\n${OK}`);
    await host.exchange('AT+CIPDOMAIN="v6.lab"\r\n', `DNS Fail\r\n${ERROR}`);
    await host.exchange('AT+CIPDOMAIN="both.lab",3\r\n', ERROR);
  });
});

async function listen6(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe.skipIf(!HAS_IPV6)('TCPv6 links to names (needs ::1 on this machine)', () => {
  it('resolves the AAAA record; a name with only an A record is ERROR as an unknown name is', async () => {
    const sockets: Socket[] = [];
    const port = await listen6(createServer((socket) => {
      sockets.push(socket);
      socket.pipe(socket);
    }));
    const host = await joined({ ipv6: true });
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    await host.exchange(`AT+CIPSTART=0,"TCPv6","peer.lab",${port}\r\n`, ERROR);
    await host.exchange(`AT+CIPSTART=0,"TCPv6","nowhere.invalid",${port}\r\n`, ERROR);
    await host.exchange(`AT+CIPSTART=0,"TCPv6","v6.lab",${port}\r\n`, `0,CONNECT\r\n${OK}`);
    await host.exchange(`AT+CIPSTART=1,"TCPv6","both.lab",${port}\r\n`, `1,CONNECT\r\n${OK}`);
    await waitUntil(() => sockets.length === 2, 'both connections');
    const ports = sockets.map((socket) => socket.remotePort);
    await host.exchange(
      'AT+CIPSTATE?\r\n',
      `+CIPSTATE:0,"TCPv6","::1",${port},${ports[0]},0\r\n+CIPSTATE:1,"TCPv6","::1",${port},${ports[1]},0\r\n${OK}`,
    );
    await host.exchange('AT+CIPSEND=1,2\r\n', `${OK}\r\n>`);
    await host.exchange('v6', '\r\nRecv 2 bytes\r\n\r\nSEND OK\r\n');
    await host.expect('\r\n+IPD,1,2:v6');
  });
});

describe('AT+PING over IPv6', () => {
  it('pings an IPv6 address or a name with only IPv6 once IPv6 is up; the A record first for a name with both', async () => {
    const host = await joined({ ipv6: true });
    await host.exchange('AT+PING="v6.lab"\r\n', `+PING:9\r\n${OK}`);
    await host.exchange('AT+PING="::1"\r\n', `+PING:9\r\n${OK}`);
    await host.exchange('AT+PING="2001:db8::7"\r\n', `+PING:5\r\n${OK}`);
    await host.exchange('AT+PING="both.lab"\r\n', `+PING:3\r\n${OK}`);
  });

  it('without AT+CIPV6=1 an IPv6 echo cannot go out: +PING:TIMEOUT then ERROR', async () => {
    const host = await joined({ ipv6: false });
    await host.exchange('AT+PING="v6.lab"\r\n', `+PING:TIMEOUT\r\n${ERROR}`);
    await host.exchange('AT+PING="::1"\r\n', `+PING:TIMEOUT\r\n${ERROR}`);
    await host.exchange('AT+PING="both.lab"\r\n', `+PING:3\r\n${OK}`);
  });
});

describe.skipIf(!HAS_IPV6)('AT+SAVETRANSLINK "TCPv6" to a name (needs ::1 on this machine)', () => {
  it('boots into passthrough to the AAAA address of the saved name', async () => {
    const sockets: Socket[] = [];
    const port = await listen6(createServer((socket) => sockets.push(socket)));
    const host = await joined({ ipv6: true });
    await host.exchange(`AT+SAVETRANSLINK=1,"v6.lab",${port},"TCPv6"\r\n`, OK);
    await host.exchange('AT+RST\r\n', OK);
    await host.expect('\r\nready\r\n', 5000);
    await waitUntil(() => sockets.length === 1, 'the saved link to ::1');
    expect(sockets[0].remoteAddress).toBe('::1');
    let got = '';
    sockets[0].on('data', (data: Buffer) => (got += data.toString()));
    host.send('over v6');
    await waitUntil(() => got === 'over v6', 'the bytes at the peer');
  });
});
