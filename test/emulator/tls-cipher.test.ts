import { afterEach, describe, expect, it } from 'vitest';
import { ESP_AT_41_C3_CIPHER_SUITES } from '../../firmware-protocol/at/cipher-suites.js';
import { makeTestPki, TlsPeer, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench } from './harness.js';

/**
 * AT+CIPSSLCCIPHER (ESP-AT v4.1.1.0, TCP-IP_AT_Commands.rst; formats from the core library's
 * at_query_cmd_cipher `%s:%d,0x%04X` and at_setup_cmd_cipher). The query lists the TLS library's
 * suites; the set form picks the suites a link's ClientHello offers. The servers here have the
 * test PKI's EC P-256 identity, so the ECDHE-ECDSA suites apply.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
const OK = '\r\nOK\r\n';
const ERROR = '\r\nERROR\r\n';
const PROFILE = 'esp32c3-at-4.1';

let pki: TestPki | null = null;
async function testPki(): Promise<TestPki> {
  pki ??= await makeTestPki();
  return pki;
}

async function peer(ciphers?: string): Promise<TlsPeer> {
  const server = await TlsPeer.start({ identity: (await testPki()).server, ...(ciphers !== undefined ? { ciphers } : {}) });
  cleanup.add(() => server.close());
  return server;
}

describe('AT+CIPSSLCCIPHER (ESP-AT 4.1)', () => {
  it('query: every suite of the library, `+CIPSSLCCIPHER:<idx>,0x%04X`, in mbedTLS order', async () => {
    const { host } = await startBench(cleanup, { profile: PROFILE });
    await joinLab(host);
    const expected = ESP_AT_41_C3_CIPHER_SUITES.map(
      (suite, idx) => `+CIPSSLCCIPHER:${idx},0x${suite.id.toString(16).toUpperCase().padStart(4, '0')}\r\n`,
    ).join('');
    expect(expected.startsWith('+CIPSSLCCIPHER:0,0xC02C\r\n+CIPSSLCCIPHER:1,0xC030\r\n+CIPSSLCCIPHER:2,0x009F\r\n')).toBe(true);
    expect(expected.endsWith('+CIPSSLCCIPHER:76,0x008C\r\n+CIPSSLCCIPHER:77,0xC0A8\r\n')).toBe(true);
    await host.exchange('AT+CIPSSLCCIPHER?\r\n', `${expected}${OK}`);
  });

  it('set: <counts> suites in hexadecimal or decimal; a wrong count, or no known suite, is ERROR', async () => {
    const { host } = await startBench(cleanup, { profile: PROFILE });
    await joinLab(host);
    // The docs' example: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 and TLS_ECDHE_ECDSA_WITH_AES_256_CCM.
    await host.exchange('AT+CIPSSLCCIPHER=2,0xC023,0xC0AD\r\n', OK);
    await host.exchange('AT+CIPSSLCCIPHER=1,49187\r\n', OK);
    await host.exchange('AT+CIPSSLCCIPHER=1,0Xc0ad\r\n', OK);
    // One known suite is enough: the unknown one is logged and skipped.
    await host.exchange('AT+CIPSSLCCIPHER=2,0x1234,0xC023\r\n', OK);
    await host.exchange('AT+CIPSSLCCIPHER=1,0x1234\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=2,0x1234,0x0005\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=2,0xC023\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=1,0xC023,0xC0AD\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=2,0xC023,\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=1,"0xC023"\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=-1\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=0\r\n', OK);
    await host.exchange('AT+CIPSSLCCIPHER=0,0xC023\r\n', ERROR);
    // Multiple connections: the link id first; 5 is every link; 6 does not exist.
    await host.exchange('AT+CIPMUX=1\r\n', OK);
    await host.exchange('AT+CIPSSLCCIPHER=0,2,0xC023,0xC0AD\r\n', OK);
    await host.exchange('AT+CIPSSLCCIPHER=5,1,0xC02B\r\n', OK);
    await host.exchange('AT+CIPSSLCCIPHER=6,1,0xC02B\r\n', ERROR);
    await host.exchange('AT+CIPSSLCCIPHER=2,0xC023,0xC0AD\r\n', ERROR);
  });

  it('other firmware has no AT+CIPSSLCCIPHER, and no command there takes a hexadecimal number', async () => {
    const { host } = await startBench(cleanup);
    await host.exchange('AT+CIPSSLCCIPHER?\r\n', `AT+CIPSSLCCIPHER?\r\r\n${ERROR}`);
    await host.exchange('AT+CIPSSLCCIPHER=1,0xC023\r\n', `AT+CIPSSLCCIPHER=1,0xC023\r\r\n${ERROR}`);
    const c3 = await startBench(cleanup, { profile: PROFILE });
    await joinLab(c3.host);
    await c3.host.exchange('AT+CWMODE=0x1\r\n', ERROR);
    await c3.host.exchange('AT+CWMODE=1\r\n', OK);
  });
});

describe('SSL links offer the configured suites (ESP-AT 4.1)', () => {
  it('the ClientHello offers only the configured suite: the server settles on it', async () => {
    const server = await peer();
    const { host } = await startBench(cleanup, { profile: PROFILE });
    await joinLab(host, { mux: true });
    await host.exchange('AT+CIPSSLCCIPHER=1,1,0xC023\r\n', OK);
    await host.exchange(`AT+CIPSTART=1,"SSL","127.0.0.1",${server.port}\r\n`, `1,CONNECT\r\n${OK}`, 10_000);
    expect(server.visits.map((visit) => visit.socket.getCipher().name)).toEqual(['ECDHE-ECDSA-AES128-SHA256']);
    expect(server.visits[0].socket.getProtocol()).toBe('TLSv1.2');
    await host.exchange('AT+CIPCLOSE=1\r\n', `1,CLOSED\r\n${OK}`);
    // Unconfigured link 2: the library's whole list; a node server picks by its own preference.
    await host.exchange(`AT+CIPSTART=2,"SSL","127.0.0.1",${server.port}\r\n`, `2,CONNECT\r\n${OK}`, 10_000);
    expect(server.visits[1].socket.getCipher().name).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
    await host.exchange('AT+CIPCLOSE=2\r\n', `2,CLOSED\r\n${OK}`);
    // Cleared: the library's list again.
    await host.exchange('AT+CIPSSLCCIPHER=1,0\r\n', OK);
    await host.exchange(`AT+CIPSTART=1,"SSL","127.0.0.1",${server.port}\r\n`, `1,CONNECT\r\n${OK}`, 10_000);
    expect(server.visits[2].socket.getCipher().name).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
  });

  it('a server that accepts only a suite the link does not offer fails the handshake: ERROR', async () => {
    const server = await peer('ECDHE-ECDSA-AES256-GCM-SHA384');
    const { host } = await startBench(cleanup, { profile: PROFILE });
    await joinLab(host);
    await host.exchange('AT+CIPSSLCCIPHER=2,0xC023,0xC0AD\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, ERROR, 10_000);
    expect(server.visits).toEqual([]);
    expect(server.refusals.length).toBeGreaterThan(0);
    // Offered, it is taken.
    await host.exchange('AT+CIPSSLCCIPHER=2,0xC023,0xC02C\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    expect(server.visits.map((visit) => visit.socket.getCipher().name)).toEqual(['ECDHE-ECDSA-AES256-GCM-SHA384']);
  });

  it('the docs\' example suites: an AES-256-CCM server settles on 0xC0AD', async () => {
    const server = await peer('ECDHE-ECDSA-AES256-CCM');
    const { host } = await startBench(cleanup, { profile: PROFILE });
    await joinLab(host);
    await host.exchange('AT+CIPSSLCCIPHER=2,0xC023,0xC0AD\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    expect(server.visits.map((visit) => visit.socket.getCipher().name)).toEqual(['ECDHE-ECDSA-AES256-CCM']);
  });

  it('a suite of the library that OpenSSL lacks (static ECDH) cannot be offered: the connect fails', async () => {
    const server = await peer();
    const { host } = await startBench(cleanup, { profile: PROFILE });
    await joinLab(host);
    await host.exchange('AT+CIPSSLCCIPHER=1,0xC02E\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, ERROR, 10_000);
    expect(server.visits).toEqual([]);
  });
});
