/**
 * TLS on the emulated ESP8266 NonOS AT 1.7: the bit-mask CIPSSLCCONF, CIPSSLSIZE, one SSL link at
 * a time, no SNI/ALPN/name check, and a failed handshake reported as `<id>,CLOSED` then OK.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errno } from '../../src/errors.js';
import { makeTestPki } from '../helpers/tls-lab.js';
import type { TestPki } from '../helpers/tls-lab.js';
import { echoServer, stopAll, until } from './emulator-harness.js';
import { errOf, stopTls, tlsPeer, tlsRig } from './tls-helpers.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});
afterEach(async () => {
  await stopAll();
  await stopTls();
});

describe('TLS sockets on the emulated ESP8266 AT 1.7', () => {
  it('connects verified with CA 0, one SSL link at a time, and reports a failed handshake', async () => {
    const server = await tlsPeer({ identity: pki.server });
    const rogue = await tlsPeer({ identity: pki.rogueServer });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] }, 'pair', 'esp8266-at-1.7');
    const { usocket, ssl } = rig.copro;
    const verified = () => ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });

    const s = verified();
    const mark = rig.sent().length;
    await s.connect((await usocket.getaddrinfo('peer.lab', server.port))[0][4]);
    expect(rig.sent().slice(mark)).toEqual([
      'AT+CIPDOMAIN="peer.lab"',
      'AT+CIPSSLSIZE=4096',
      'AT+CIPSSLCCONF=2',
      `AT+CIPSTART=0,"SSL","127.0.0.1",${server.port}`,
    ]);
    expect(rig.trace.some((l) => l.includes('NonOS AT 1.7 sends no SNI'))).toBe(true);
    await s.write('one');
    expect(Buffer.from((await s.read(3))!).toString()).toBe('one');
    expect(server.visits.map((v) => v.servername)).toEqual([null]);

    // A second SSL link while one is open: refused before anything is sent; TCP still works.
    const second = await errOf(verified().connect(['127.0.0.1', server.port]));
    expect(second.errno).toBe(errno.ENFILE);
    expect(second.message).toContain('one SSL link at a time');
    const { port: tcpPort } = await echoServer();
    const t = usocket.socket();
    await t.connect(['127.0.0.1', tcpPort]);
    await t.close();
    await s.close();

    // The module says `0,CLOSED` then OK for a handshake that failed: not a connection.
    const failed = await errOf(verified().connect(['127.0.0.1', rogue.port]));
    expect(failed.errno).toBe(errno.ECONNABORTED);
    expect(failed.message).toContain('TLS handshake with 127.0.0.1');
    expect(rig.sent().filter((l) => l.startsWith('AT+CIPSSLCCONF'))).toEqual(['AT+CIPSSLCCONF=2']);

    // Afterwards the one SSL slot is free again.
    const again = verified();
    await again.connect(['127.0.0.1', server.port]);
    await until(() => server.visits.length === 2);
    await again.close();
  });

  it('refuses what NonOS AT cannot do: ALPN, store entries other than 0', async () => {
    const server = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] }, 'pair', 'esp8266-at-1.7');
    const { usocket, ssl } = rig.copro;
    const alpn = await errOf(ssl.wrap_socket(usocket.socket(), { alpn: ['h2'] }).connect(['127.0.0.1', server.port]));
    expect(alpn.errno).toBe(errno.EOPNOTSUPP);
    const ca1 = await errOf(ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED, ca_certs: 1 }).connect(['127.0.0.1', server.port]));
    expect(ca1.errno).toBe(errno.EINVAL);
    // No client certificate in the store: the module refuses the bit.
    const noCert = await errOf(ssl.wrap_socket(usocket.socket(), { certfile: 0 }).connect(['127.0.0.1', server.port]));
    expect(noCert.errno).toBe(errno.ENOENT);
    expect(noCert.message).toContain('client certificate 0');
    expect(server.visits).toEqual([]);
  });
});
