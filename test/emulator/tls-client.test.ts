import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Tracer } from '../../emulator/trace.js';
import type { ProfileId } from '../../firmware-protocol/at/profile.js';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki, type TlsPeerOptions } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench, waitUntil, type Bench, setModuleClock } from './harness.js';

/**
 * AT+CIPSTART="SSL" against loopback node:tls servers with certificates made at test time: what
 * connects, what fails and why (the trace names the cause), what the server saw (SNI, ALPN, client
 * certificate). ESP-AT 2.x wire format throughout.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

function noteCollector(): { tracer: Tracer; notes: string[] } {
  const notes: string[] = [];
  return { notes, tracer: { fromHost() {}, toHost() {}, note: (text) => notes.push(text) } };
}

async function peer(options: TlsPeerOptions): Promise<TlsPeer> {
  const started = await TlsPeer.start(options);
  cleanup.add(() => started.close());
  return started;
}

/**
 * A joined module whose store holds the test CA (CA 0) and the module's client certificate (PKI 0),
 * its clock set (unless `clock` is false: then it reads 1970, as after every boot).
 */
async function module(mux = false, options: { clock?: boolean; profile?: ProfileId } = {}): Promise<Bench & { notes: string[] }> {
  const store = tlsWorld({ caCerts: [pki.ca.cert], clientCerts: [pki.client] });
  cleanup.add(() => store.dispose());
  const { tracer, notes } = noteCollector();
  const bench = await startBench(cleanup, { world: store.world, trace: tracer, profile: options.profile });
  await joinLab(bench.host, { mux });
  if (options.clock !== false) await setModuleClock(bench.host);
  return { ...bench, notes };
}

describe('certificate dates by the module clock (mbedTLS with MBEDTLS_HAVE_TIME_DATE)', () => {
  it('refuses a valid server while the module clock reads 1970, and accepts it once the clock is set', async () => {
    const server = await peer({ identity: pki.server });
    const { host, notes } = await module(false, { clock: false });
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCN="peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, '\r\nERROR\r\n');
    expect(notes.some((note) => /not valid yet at the module's time 1970-01-01T/.test(note))).toBe(true);
    // Not verifying the server, no date matters.
    await host.exchange('AT+CIPSSLCCONF=0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPCLOSE\r\n', 'CLOSED\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await setModuleClock(host);
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
  });

  it('refuses a server whose certificate has expired by the module clock though not by this machine', async () => {
    const server = await peer({ identity: pki.server });
    const { host, notes } = await module(false, { clock: false });
    // Three years on: the test certificates (valid for one) have expired by then.
    const later = Math.floor(Date.now() / 1000) + 3 * 365 * 86_400;
    await host.exchange(`AT+SYSTIMESTAMP=${later}\r\n`, '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n');
    const year = new Date(later * 1000).getUTCFullYear();
    expect(notes.some((note) => note.includes(`has expired at the module's time ${year}-`))).toBe(true);
  });

  it('ESP8266 RTOS AT 2.2 does not say it checks dates: copro checks them by this machine only', async () => {
    const server = await peer({ identity: pki.server });
    const { host } = await module(false, { clock: false, profile: 'esp8266-rtos-at-2.2' });
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
  });
});

describe('AT+CIPSTART="SSL": server verification (AT+CIPSSLCCONF auth_mode 2)', () => {
  it('connects to a server whose certificate the store CA issued, and carries data both ways', async () => {
    const server = await peer({ identity: pki.server });
    const { host, notes } = await module();
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI="peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await host.exchange('AT+CIPSEND=5\r\n', '\r\nOK\r\n\r\n>');
    await host.exchange('hello', '\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n');
    await host.expect('\r\n+IPD,5:hello');
    const localPort = server.visits[0].socket.remotePort;
    await host.exchange('AT+CIPSTATUS\r\n', `STATUS:3\r\n+CIPSTATUS:0,"SSL","127.0.0.1",${server.port},${localPort},0\r\n\r\nOK\r\n`);
    await host.exchange('AT+CIPCLOSE\r\n', 'CLOSED\r\n\r\nOK\r\n');
    expect(server.visits[0].servername).toBe('peer.lab');
    expect(notes.some((note) => /TLSv1\.2 .*server CN=peer\.lab \(verified\)/.test(note))).toBe(true);
  });

  it('fails with ERROR when the server certificate comes from a CA the module does not have (unknown CA)', async () => {
    const server = await peer({ identity: pki.rogueServer });
    const { host, notes } = await module();
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n');
    expect(notes.some((note) => note.includes('SSL connect failed') && note.includes('unknown CA'))).toBe(true);
    // The id is free again and nothing is left open.
    await host.exchange('AT+CIPSTATE?\r\n', '\r\nOK\r\n');
    await host.expectSilence(30);
  });

  it('fails on a self-signed server certificate', async () => {
    const server = await peer({ identity: pki.selfSigned });
    const { host, notes } = await module();
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n');
    expect(notes.some((note) => note.includes('self-signed'))).toBe(true);
  });

  it('fails on a host-name mismatch with AT+CIPSSLCCN, and explains it in the trace', async () => {
    const server = await peer({ identity: pki.server });
    const { host, notes } = await module();
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCN="other.lab"\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, '\r\nERROR\r\n');
    expect(notes.some((note) => note.includes('host name mismatch') && note.includes('other.lab'))).toBe(true);
    // Without AT+CIPSSLCSNI the SNI is the common name (esp-tls uses one name for both).
    expect(server.sniSeen).toEqual(['other.lab']);
  });

  it('fails on an expired server certificate', async () => {
    const server = await peer({ identity: pki.expired });
    const { host, notes } = await module();
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, '\r\nERROR\r\n');
    expect(notes.some((note) => note.includes('expired'))).toBe(true);
  });

  it('with auth_mode 0 accepts any certificate (the factory setting)', async () => {
    const server = await peer({ identity: pki.rogueServer });
    const { host, notes } = await module(true);
    await host.exchange('AT+CIPSTART=3,"SSL","127.0.0.1",' + server.port + '\r\n', '3,CONNECT\r\n\r\nOK\r\n');
    expect(notes.some((note) => note.includes('(not verified)'))).toBe(true);
    await host.exchange('AT+CIPCLOSE=3\r\n', '3,CLOSED\r\n\r\nOK\r\n');
  });
});

describe('SNI and ALPN', () => {
  it('sends the AT+CIPSSLCSNI name, and no SNI at all when none is set (not the CIPSTART host)', async () => {
    const server = await peer({ identity: pki.server });
    const { host } = await module(true);
    await host.exchange('AT+CIPSSLCSNI=1,"api.peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=1,"SSL","peer.lab",${server.port}\r\n`, '1,CONNECT\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=2,"SSL","peer.lab",${server.port}\r\n`, '2,CONNECT\r\n\r\nOK\r\n');
    await waitUntil(() => server.visits.length === 2, 'two TLS clients');
    expect(server.visits.map((visit) => visit.servername)).toEqual(['api.peer.lab', null]);
    expect(server.sniSeen).toEqual(['api.peer.lab']);
  });

  it('offers the AT+CIPSSLCALPN list and the server picks from it', async () => {
    const server = await peer({ identity: pki.server, alpn: ['http/1.1'] });
    const { host, notes } = await module();
    await host.exchange('AT+CIPSSLCALPN=2,"h2","http/1.1"\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCALPN?\r\n', '+CIPSSLCALPN:0,h2,http/1.1\r\n\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n');
    await waitUntil(() => server.visits.length === 1, 'the TLS client');
    expect(server.visits[0].alpn).toBe('http/1.1');
    expect(notes.some((note) => note.includes('ALPN http/1.1'))).toBe(true);
  });
});

describe('client certificates (auth_mode 1 and 3)', () => {
  it('is accepted by a server that requires one issued by its CA, and refused without one', async () => {
    const server = await peer({ identity: pki.server, requireClientCa: pki.ca.cert });
    const { host, notes } = await module(true);
    await host.exchange('AT+CIPSSLCCONF=0,3,0,0\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCSNI=0,"peer.lab"\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=0,"SSL","peer.lab",${server.port}\r\n`, '0,CONNECT\r\n\r\nOK\r\n');
    await waitUntil(() => server.visits.length === 1, 'the TLS client');
    expect(server.visits[0].clientCn).toBe('copro-module');
    // Link 1 only verifies the server: it has no certificate to show.
    await host.exchange('AT+CIPSSLCCONF=1,2,0,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART=1,"SSL","peer.lab",${server.port}\r\n`, '\r\nERROR\r\n');
    expect(notes.some((note) => note.includes('link 1 SSL connect failed') && note.includes('client certificate'))).toBe(true);
    expect(server.visits).toHaveLength(1);
  });
});
