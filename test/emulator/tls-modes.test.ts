import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { PROFILES } from '../../firmware-protocol/at/profiles.js';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, sleep, startBench, waitUntil, type TestHost, setModuleClock } from './harness.js';

/**
 * An SSL link is a TCP link to the rest of the front end: passive receive, transparent
 * transmission, CIPSTARTEX. And the NonOS 1.7 profile's SSL, which differs.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function echoServer(): Promise<TlsPeer> {
  const server = await TlsPeer.start({ identity: pki.server });
  cleanup.add(() => server.close());
  return server;
}

async function module(profile: ProfileId = 'esp32-at-2.x', mux = false): Promise<{ host: TestHost; notes: string[] }> {
  const world = tlsWorld({ caCerts: [pki.ca.cert], clientCerts: [pki.client] });
  cleanup.add(() => world.dispose());
  const notes: string[] = [];
  const { host } = await startBench(cleanup, {
    profile,
    world: world.world,
    trace: { fromHost() {}, toHost() {}, note: (text) => notes.push(text) },
  });
  await joinLab(host, { mux });
  if (PROFILES[profile].ssl.certificateClock === 'module') await setModuleClock(host);
  return { host, notes };
}

describe('SSL links in the front end (ESP-AT 2.x)', () => {
  it('carries transparent transmission (CIPMODE=1) both ways and leaves it on +++', async () => {
    const server = await echoServer();
    const { host } = await module();
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCN="peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND\r\n', '\r\nOK\r\n\r\n>');
    host.send('through TLS, raw');
    // The echo comes back raw: no +IPD in passthrough.
    await host.expect('through TLS, raw');
    await waitUntil(() => server.visits[0]?.received.toString() === 'through TLS, raw', 'the server to get the bytes');
    expect(server.visits[0].servername).toBe('peer.lab');
    await sleep(60);
    host.send('+++');
    await sleep(60);
    await host.exchange('AT+CIPMODE=0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPCLOSE\r\n', 'CLOSED\r\n\r\nOK\r\n');
  });

  it('buffers SSL data in passive mode, notifies once, and withholds CLOSED until it is read', async () => {
    const server = await echoServer();
    const { host } = await module('esp32-at-2.x', true);
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTARTEX="SSL","127.0.0.1",${server.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=0,6\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('secret', '\r\nRecv 6 bytes\r\n\r\nSEND OK\r\n');
    await host.expect('\r\n+IPD,0,6\r\n');
    await waitUntil(() => server.visits.length === 1, 'the TLS client');
    server.visits[0].socket.end();
    await host.expectSilence(40);
    await host.exchange('AT+CIPRECVDATA=0,100\r\n', '+CIPRECVDATA:6,secret\r\nOK\r\n0,CLOSED\r\n');
  });

  it('delivers what a server sends right after the handshake (it speaks first) after CONNECT', async () => {
    const server = await TlsPeer.start({ identity: pki.server, greeting: '220 hello\r\n' });
    cleanup.add(() => server.close());
    const { host } = await module('esp32-at-2.x', true);
    await host.exchange(`AT+CIPSTART=4,"SSL","127.0.0.1",${server.port}\r\n`, '4,CONNECT\r\n\r\nOK\r\n');
    await host.expect('\r\n+IPD,4,11:220 hello\r\n');
  });

  it('answers a refused connect with plain ERROR', async () => {
    const server = await echoServer();
    const port = server.port;
    await server.close();
    const { host, notes } = await module();
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${port}\r\n`, '\r\nERROR\r\n');
    expect(notes.some((note) => note.includes('SSL connect failed') && note.includes('ECONNREFUSED'))).toBe(true);
  });
});

describe('SSL on the NonOS 1.7 profile', () => {
  it('takes the bit-mask CIPSSLCCONF and CIPSSLSIZE, verifies with CA 0, and has no SNI command', async () => {
    const server = await echoServer();
    const { host } = await module('esp8266-at-1.7');
    await host.exchange('AT+CIPSSLSIZE=4096\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLSIZE=1024\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCCONF?\r\n', '+CIPSSLCCONF:0\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=2\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF?\r\n', '+CIPSSLCCONF:2\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=4\r\n', '\r\nERROR\r\n');
    await host.exchange('AT+CIPSSLCSNI="peer.lab"\r\n', '\r\nERROR\r\n');
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await waitUntil(() => server.visits.length === 1, 'the TLS client');
    // axTLS sends no SNI.
    expect(server.visits[0].servername).toBeNull();
    await host.exchange('AT+CIPSSLSIZE=2048\r\n', '\r\nERROR\r\n');
    // No transparent transmission over SSL on NonOS.
    await host.exchange('AT+CIPMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSEND\r\n', '\r\nERROR\r\n');
  });

  it('allows one SSL link at a time, and reports a failed handshake as CLOSED then OK', async () => {
    const good = await echoServer();
    const rogue = await TlsPeer.start({ identity: pki.rogueServer });
    cleanup.add(() => rogue.close());
    const { host, notes } = await module('esp8266-at-1.7', true);
    await host.exchange('AT+CIPSSLCCONF=2\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=1,"SSL","127.0.0.1",${rogue.port}\r\n`, '1,CLOSED\r\n\r\nOK\r\n');
    expect(notes.some((note) => note.includes('unknown CA'))).toBe(true);
    await host.exchange(`AT+CIPSTART=1,"SSL","127.0.0.1",${good.port}\r\n`, '1,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=2,"SSL","127.0.0.1",${good.port}\r\n`, '\r\nERROR\r\n');
    // Link 1 only (the local port is the kernel's).
    host.send('AT+CIPSTATUS\r\n');
    const status = await host.readThrough('\r\nOK\r\n');
    expect(status).toMatch(/^STATUS:3\r\n\+CIPSTATUS:1,"SSL","127\.0\.0\.1",\d+,\d+,0\r\n\r\nOK\r\n$/);
  });
});
