import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestPki, tlsWorld } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench } from './harness.js';

/**
 * AT+CIPSSLCPSK (TCP-IP_AT_Commands.rst v2.4.2.0) and 4.1's AT+CIPSSLCPSKHEX: an SSL link that
 * authenticates with a pre-shared key against a loopback TLS server that knows only PSK suites.
 * The `<"psk">` is the key, the `<"hint">` the identity sent (esp-tls's mbedtls_ssl_conf_psk).
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';

interface PskServer {
  readonly port: number;
  readonly identities: string[];
  readonly ciphers: string[];
}

/** A TLS 1.2 server with no certificate: only PSK cipher suites, the key for `identity` only; it echoes. */
async function pskServer(identity: string, key: Buffer): Promise<PskServer> {
  const identities: string[] = [];
  const ciphers: string[] = [];
  const server: Server = createServer(
    {
      ciphers: 'PSK',
      maxVersion: 'TLSv1.2',
      pskCallback: (_socket: TLSSocket, seen: string) => {
        identities.push(seen);
        return seen === identity ? key : null;
      },
    },
    (socket) => {
      ciphers.push(socket.getCipher().name);
      socket.on('error', () => undefined);
      socket.pipe(socket);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, identities, ciphers };
}

describe('SSL links with a pre-shared key', () => {
  it('AT+CIPSSLCPSK: set, query (unquoted, per link), connect with the key, echo; "" clears it', async () => {
    const server = await pskServer('copro-device', Buffer.from('s3cret-key'));
    const { host } = await startBench(cleanup);
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPSSLCPSK?\r\n', OK);
    await host.exchange('AT+CIPSSLCPSK=1,"s3cret-key","copro-device"\r\n', OK);
    await host.exchange('AT+CIPSSLCPSK?\r\n', `+CIPSSLCPSK:1,s3cret-key,copro-device\r\n${OK}`);
    await host.exchange(`AT+CIPSTART=1,"SSL","127.0.0.1",${server.port}\r\n`, `1,CONNECT\r\n${OK}`, 10_000);
    expect(server.identities).toEqual(['copro-device']);
    expect(server.ciphers[0]).toMatch(/PSK/);
    await host.exchange('AT+CIPSEND=1,4\r\n', `${OK}\r\n>`);
    await host.exchange('ping', '\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n');
    await host.expect('\r\n+IPD,1,4:ping');
    // Connected: the link's settings cannot change under it.
    await host.exchange('AT+CIPSSLCPSK=1,"other","id"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPCLOSE=1\r\n', `1,CLOSED\r\n${OK}`);
    // Link 0 has no key: the server, which has only PSK suites, refuses the handshake.
    await host.exchange(`AT+CIPSTART=0,"SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n', 10_000);
    await host.exchange('AT+CIPSSLCPSK=5,"wrong-key","copro-device"\r\n', OK);
    await host.exchange('AT+CIPSSLCPSK?\r\n', `${[0, 1, 2, 3, 4].map((id) => `+CIPSSLCPSK:${id},wrong-key,copro-device\r\n`).join('')}${OK}`);
    await host.exchange(`AT+CIPSTART=2,"SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n', 10_000);
    await host.exchange('AT+CIPSSLCPSK=5,"",""\r\n', OK);
    await host.exchange('AT+CIPSSLCPSK?\r\n', OK);
    await host.exchange(`AT+CIPSSLCPSK=0,"${'k'.repeat(33)}","id"\r\n`, '\r\nERROR\r\n');
  });

  it('a PSK is not used where the server is verified (esp-tls takes the CA branch first)', async () => {
    const server = await pskServer('copro-device', Buffer.from('s3cret-key'));
    const pki = await makeTestPki();
    const store = tlsWorld({ caCerts: [pki.ca.cert] });
    cleanup.add(() => store.dispose());
    const { host } = await startBench(cleanup, { world: store.world });
    await joinLab(host);
    await host.exchange('AT+CIPSSLCPSK="s3cret-key","copro-device"\r\n', OK);
    await host.exchange('AT+CIPSSLCPSK?\r\n', `+CIPSSLCPSK:0,s3cret-key,copro-device\r\n${OK}`);
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', OK);
    // No PSK offered: the server, which has nothing else, ends the handshake.
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n', 10_000);
    expect(server.identities).toEqual([]);
    await host.exchange('AT+CIPSSLCCONF=0\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    expect(server.identities).toEqual(['copro-device']);
  });

  it('ESP-AT 4.1: AT+CIPSSLCPSKHEX takes the key in hexadecimal, 0x00 bytes included', async () => {
    const key = Buffer.from([0x00, 0x01, 0xfe, 0x70, 0x73, 0x6b]);
    const server = await pskServer('myhint', key);
    const { host } = await startBench(cleanup, { profile: 'esp32c3-at-4.1' });
    await joinLab(host);
    await host.exchange('AT+CIPSSLCPSKHEX="0001fe70736b","myhint"\r\n', OK);
    await host.exchange('AT+CIPSSLCPSKHEX?\r\n', `+CIPSSLCPSKHEX:0,0001fe70736b,myhint\r\n${OK}`);
    await host.exchange('AT+CIPSSLCPSKHEX="0g","x"\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCPSKHEX="abc","x"\r\n', '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    expect(server.identities).toEqual(['myhint']);
    const esp32 = await startBench(cleanup);
    await esp32.host.exchange('AT+CIPSSLCPSKHEX?\r\n', 'AT+CIPSSLCPSKHEX?\r\r\n\r\nERROR\r\n');
  });
});
