/**
 * AT+CIPSENDL on an "SSL" link: the long send goes through the module's TLS to a verified echo peer
 * while the echo comes back (passive receive holds it), and ends in SEND OK.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench, setModuleClock } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

describe('AT+CIPSENDL over SSL', () => {
  it('sends 64 KiB through TLS while the echo comes back, then SEND OK', async () => {
    const peer = await TlsPeer.start({ identity: pki.server });
    cleanup.add(() => peer.close());
    const store = tlsWorld({ caCerts: [pki.ca.cert] });
    cleanup.add(() => store.dispose());
    const { host } = await startBench(cleanup, { world: { ...store.world, hosts: { ...store.world.hosts, 'peer.lab': '127.0.0.1' } } });
    await joinLab(host);
    await setModuleClock(host);
    await host.exchange('AT+CIPRECVMODE=1\r\n', '\r\nOK\r\n');
    await host.exchange('AT+CIPSSLCCONF=2,0\r\n', '\r\nOK\r\n');
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${peer.port}\r\n`, 'CONNECT\r\n\r\nOK\r\n', 10_000);
    await host.exchange('AT+CIPSENDLCFG=65536,2920\r\n', '\r\nOK\r\n');
    const data = Buffer.alloc(65536, 0x41);
    await host.exchange('AT+CIPSENDL=65536\r\n', '\r\nOK\r\n\r\n>');
    host.send(data);
    await host.readThrough('SEND OK\r\n', 10_000);
    expect(peer.receivedBytes()).toBe(65536);
  });
});
