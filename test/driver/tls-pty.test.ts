/**
 * A TLS socket through a real PTY (serialport on the host side, the emulator on the master):
 * verified, with the getaddrinfo name as SNI, 256 KiB each way intact.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { makeTestPki } from '../helpers/tls-lab.js';
import { stopAll } from './emulator-harness.js';
import { echoThrough, sha256, stopTls, tlsPeer, tlsRig } from './tls-helpers.js';

afterEach(async () => {
  await stopAll();
  await stopTls();
});

it('verifies the server and moves data both ways through a PTY', async () => {
  const pki = await makeTestPki();
  const server = await tlsPeer({ identity: pki.server, alpn: ['copro-echo'] });
  const rig = await tlsRig({ caCerts: [pki.ca.cert] }, 'pty');
  const { usocket, ssl } = rig.copro;
  const s = ssl.wrap_socket(usocket.socket(), { cert_reqs: ssl.CERT_REQUIRED, alpn: ['copro-echo'] });
  await s.connect((await usocket.getaddrinfo('peer.lab', server.port))[0][4]);
  const payload = randomBytes(256 * 1024);
  const back = await echoThrough(s, payload);
  expect(sha256(back)).toBe(sha256(payload));
  expect(server.receivedDigest()).toBe(sha256(payload));
  expect(server.visits.map((v) => [v.servername, v.alpn])).toEqual([['peer.lab', 'copro-echo']]);
  await s.close();
}, 60_000);
