/**
 * TLS sockets through the whole driver (usocket → AT engine → in-process pair) against the
 * emulator, whose module holds a certificate store, talking to loopback node:tls servers with a
 * PKI made at test time. The driver has no transparent mode: TLS over the module's transparent
 * mode is covered by the emulator's own tests (test/emulator/tls-modes.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AtBackend } from '../../src/at/at-backend.js';
import { errno } from '../../src/errors.js';
import { makeTestPki } from '../helpers/tls-lab.js';
import type { TestPki } from '../helpers/tls-lab.js';
import { stopAll, until } from './emulator-harness.js';
import { echoThrough, errOf, sha256, stopTls, tlsPeer, tlsRig } from './tls-helpers.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});
afterEach(async () => {
  await stopAll();
  await stopTls();
});

const text = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString());

describe('TLS sockets on the emulated ESP-AT 2.x', () => {
  it('verifies the server, sends as SNI the name given to getaddrinfo, and echoes through passive receive', async () => {
    const server = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const addr = (await usocket.getaddrinfo('peer.lab', server.port))[0][4];
    expect(addr).toEqual(['127.0.0.1', server.port]);
    const s = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });
    expect(s.proto).toBe(usocket.IPPROTO_SEC);
    await s.connect(addr); // by sockaddr: the name is remembered from getaddrinfo()
    await s.write('ping\n');
    expect(text(await s.readline())).toBe('ping\n');
    expect(server.visits.map((v) => v.servername)).toEqual(['peer.lab']);
    expect((rig.copro.backend as AtBackend).facts?.passive).toBe(true);
    expect(rig.sent().some((l) => l.startsWith('AT+CIPRECVDATA=0,'))).toBe(true);
    await s.close();
  });

  it('maps the options onto CIPSSLCCONF/CCN/CSNI/CALPN and does not repeat what the module holds', async () => {
    const server = await tlsPeer({ identity: pki.server, alpn: ['copro-echo'] });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const start = `AT+CIPSTART=0,"SSL","127.0.0.1",${server.port}`;

    // A plain IPPROTO_SEC socket to a bare address: no verification (MicroPython's default), no name
    // known (so SNI and CN are cleared), ALPN offered.
    const c = ssl.wrap_socket(usocket.socket(usocket.AF_INET, usocket.SOCK_STREAM, usocket.IPPROTO_SEC), { alpn: ['copro-echo'] });
    let mark = rig.sent().length;
    await c.connect(['127.0.0.1', server.port]);
    expect(rig.sent().slice(mark)).toEqual([
      'AT+CIPSSLCCONF=0,0,0,0',
      'AT+CIPSSLCCN=0,""',
      'AT+CIPSSLCSNI=0,""',
      'AT+CIPSSLCALPN=0,1,"copro-echo"',
      start,
    ]);
    await c.close();

    const addr = (await usocket.getaddrinfo('peer.lab', server.port))[0][4];
    const a = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED, ca_certs: 0 });
    mark = rig.sent().length;
    await a.connect(addr);
    // Verifying: the module's mbedTLS checks dates by its clock, 1970 after boot: the driver sets it first.
    expect(rig.sent().slice(mark)).toEqual([
      'AT+SYSTIMESTAMP?',
      expect.stringMatching(/^AT\+SYSTIMESTAMP=\d{10}$/),
      'AT+CIPSSLCCONF=0,2,0,0',
      'AT+CIPSSLCCN=0,"peer.lab"',
      'AT+CIPSSLCSNI=0,"peer.lab"',
      'AT+CIPSSLCALPN=0,0',
      start,
    ]);
    await a.close();

    // Same settings on the same id: only CIPSTART (CIPSSLCCONF is saved to flash; not rewritten each time),
    // after asking the module's time (a reset may have taken it), which it still has.
    // 127.0.0.1 was resolved from peer.lab meanwhile, so the bare address now carries that name.
    const b = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });
    mark = rig.sent().length;
    await b.connect(['127.0.0.1', server.port]);
    expect(rig.sent().slice(mark)).toEqual(['AT+SYSTIMESTAMP?', start]);
    await b.close();
    expect(server.visits.map((v) => [v.servername, v.alpn])).toEqual([
      [null, 'copro-echo'],
      ['peer.lab', null],
      ['peer.lab', null],
    ]);
  });

  it('fails with ECONNABORTED naming the cause when the CA is unknown, the name is wrong, or the certificate expired', async () => {
    const rogue = await tlsPeer({ identity: pki.rogueServer });
    const expired = await tlsPeer({ identity: pki.expired });
    const good = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const verified = () => ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });

    for (const server of [rogue, expired]) {
      const err = await errOf(verified().connect((await usocket.getaddrinfo('peer.lab', server.port))[0][4]));
      expect(err.errno).toBe(errno.ECONNABORTED);
      expect(err.message).toContain('TLS handshake failed (certificate not trusted, name mismatch, or the server refused us)');
      expect(err.message).toContain('server verified with CA 0');
    }

    // other.lab is the same address, but the certificate is for peer.lab.
    const wrongName = await errOf(verified().connect((await usocket.getaddrinfo('other.lab', good.port))[0][4]));
    expect(wrongName.errno).toBe(errno.ECONNABORTED);
    expect(wrongName.message).toContain('name "other.lab"');
    expect(good.sniSeen).toContain('other.lab');

    // Not verifying, the same three connect (a socket after a failure works as well).
    for (const port of [rogue.port, expired.port, good.port]) {
      const s = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_NONE });
      await s.connect(['127.0.0.1', port]);
      await s.close();
    }
  });

  it('lets an explicit server_hostname win over the name behind the address', async () => {
    const server = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    // The address was resolved from other.lab; the application says it is peer.lab.
    const addr = (await usocket.getaddrinfo('other.lab', server.port))[0][4];
    const s = ssl.wrap_socket(usocket.socket(), { server_hostname: 'peer.lab', cert_reqs: ssl.CERT_REQUIRED });
    await s.connect(addr);
    await s.close();
    // Two names for one address: the one resolved last is the one sent.
    await usocket.getaddrinfo('peer.lab', server.port);
    await usocket.getaddrinfo('other.lab', server.port);
    const t = ssl.wrap_socket(usocket.socket());
    await t.connect(addr);
    await t.close();
    expect(server.visits.map((v) => v.servername)).toEqual(['peer.lab', 'other.lab']);
  });

  it('negotiates ALPN with the server', async () => {
    const server = await tlsPeer({ identity: pki.server, alpn: ['h2', 'copro-echo'] });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const s = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED, alpn: ['copro-echo', 'http/1.1'] });
    await s.connect((await usocket.getaddrinfo('peer.lab', server.port))[0][4]);
    await until(() => server.visits.length > 0);
    expect(server.visits[0].alpn).toBe('copro-echo');
    await s.close();
  });

  it('moves 1 MiB both ways intact', async () => {
    const server = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const s = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });
    await s.connect((await usocket.getaddrinfo('peer.lab', server.port))[0][4]);
    const payload = randomBytes(1 << 20);
    const back = await echoThrough(s, payload);
    expect(server.receivedBytes()).toBe(payload.length);
    expect(server.receivedDigest()).toBe(sha256(payload));
    expect(back.length).toBe(payload.length);
    expect(sha256(back)).toBe(sha256(payload));
    await s.close();
  }, 60_000);

  it('presents the client certificate a server requires, and fails without it', async () => {
    const server = await tlsPeer({ identity: pki.server, requireClientCa: pki.ca.cert });
    const rig = await tlsRig({ caCerts: [pki.ca.cert], clientCerts: [pki.client] });
    const { usocket, ssl } = rig.copro;
    const addr = (await usocket.getaddrinfo('peer.lab', server.port))[0][4];
    const mutual = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED, ca_certs: 0, certfile: 0, keyfile: 0 });
    const mark = rig.sent().length;
    await mutual.connect(addr);
    expect(rig.sent().slice(mark)).toContain('AT+CIPSSLCCONF=0,3,0,0');
    await mutual.write('hi');
    expect(text(await mutual.read(2))).toBe('hi');
    expect(server.visits.map((v) => v.clientCn)).toEqual(['copro-module']);
    await mutual.close();

    const anonymous = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });
    const err = await errOf(anonymous.connect(addr));
    expect(err.errno).toBe(errno.ECONNABORTED);
    expect(server.visits).toHaveLength(1);
  });

  it('says which store entry is missing (ENOENT) without touching the network', async () => {
    const server = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const addr = (await usocket.getaddrinfo('peer.lab', server.port))[0][4];
    const noCa = await errOf(ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED, ca_certs: 3 }).connect(addr));
    expect(noCa.errno).toBe(errno.ENOENT);
    expect(noCa.message).toContain('no CA 3 (NO CA FOUND)');
    const noCert = await errOf(ssl.wrap_socket(usocket.socket(), { certfile: 0 }).connect(addr));
    expect(noCert.errno).toBe(errno.ENOENT);
    expect(noCert.message).toContain('no client certificate 0 (NO CERT FOUND)');
    expect(server.visits).toEqual([]);
    expect(rig.sent().filter((l) => l.startsWith('AT+CIPSTART'))).toEqual([]);
  });

  it('connects in the background when non-blocking, like TCP', async () => {
    const server = await tlsPeer({ identity: pki.server });
    const rig = await tlsRig({ caCerts: [pki.ca.cert] });
    const { usocket, ssl } = rig.copro;
    const s = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED });
    s.setblocking(false);
    const inProgress = await errOf(s.connect((await usocket.getaddrinfo('peer.lab', server.port))[0][4]));
    expect(inProgress.errno).toBe(errno.EINPROGRESS);
    s.settimeout(10);
    expect(await s.write('later')).toBe(5);
    expect(text(await s.read(5))).toBe('later');
    await s.close();
  });
});
