import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki, type TlsWorld } from '../helpers/tls-lab.js';
import { echoThroughPassive, joinAndPrepare, pseudoRandomBytes, sha256, startPtyModule, type PtyModule } from './fixtures.js';

/**
 * TLS end to end: a host on a real PTY (serialport) drives an emulated ESP-AT 2.x module through a
 * verified SSL connection to a loopback node:tls echo server, 1 MiB each way through passive receive.
 */
describe('virtual module on a PTY: an SSL link to a TLS echo server', () => {
  let pki: TestPki;
  let mod: PtyModule | undefined;
  let server: TlsPeer | undefined;
  let store: TlsWorld | undefined;
  beforeAll(async () => {
    pki = await makeTestPki();
  });
  afterEach(async () => {
    await mod?.close();
    await server?.close();
    store?.dispose();
    mod = undefined;
    server = undefined;
    store = undefined;
  });

  it('verifies the server, sends SNI and ALPN, and moves 1 MiB both ways intact in passive mode', async () => {
    server = await TlsPeer.start({ identity: pki.server, alpn: ['copro-echo'] });
    store = tlsWorld({ caCerts: [pki.ca.cert] });
    mod = await startPtyModule('esp32-at-2.x', store.world);
    const h = mod.host;
    await joinAndPrepare(h, 1);
    // ESP-AT's mbedTLS checks certificate dates by the module's clock (1970 after boot).
    await h.ok(`AT+SYSTIMESTAMP=${Math.floor(Date.now() / 1000)}`);
    await h.ok('AT+CIPSSLCCONF=0,2,0,0');
    await h.ok('AT+CIPSSLCSNI=0,"peer.lab"');
    await h.ok('AT+CIPSSLCALPN=0,1,"copro-echo"');
    await h.ok('AT+CIPRECVMODE=1');
    const start = await h.command(`AT+CIPSTART=0,"SSL","peer.lab",${server.port}`, 15_000);
    expect(start.final).toBe('OK');
    expect(start.events).toContainEqual({ type: 'urc', urc: { kind: 'connect', link: 0 } });
    for (let i = 0; i < 100 && server.visits.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.visits.map((visit) => [visit.servername, visit.alpn])).toEqual([['peer.lab', 'copro-echo']]);

    const payload = pseudoRandomBytes(1024 * 1024, 0x7157);
    const back = await echoThroughPassive(h, payload);
    expect(server.receivedBytes()).toBe(payload.length);
    expect(server.receivedDigest()).toBe(sha256(payload));
    expect(back.length).toBe(payload.length);
    expect(sha256(back)).toBe(sha256(payload));
    const close = await h.command('AT+CIPCLOSE=0');
    expect(close.final).toBe('OK');
    expect(close.events).toContainEqual({ type: 'urc', urc: { kind: 'closed', link: 0 } });
  }, 60_000);
});
