import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, LAB, startBench, type Bench, setModuleClock } from './harness.js';

/**
 * AT+HTTPCFG on ESP-AT 4.1 (HTTP_AT_Commands.rst v4.1.1.0; at_setup_cmd_httpcfg in the core
 * library): the HTTP client's TLS authentication, read from the manufacturing NVS's https_*
 * namespaces, checked against loopback TLS servers.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

const OK = '\r\nOK\r\n';
const ERROR = '\r\nERROR\r\n';
const C3 = 'esp32c3-at-4.1' as const;
const BODY = 'hello';
const RESPONSE = `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY}`;

/** A C3 module on the lab network with the module clock set, echo off. */
async function module(): Promise<Bench> {
  const store = tlsWorld({});
  cleanup.add(() => store.dispose());
  const bench = await startBench(cleanup, { profile: C3, world: store.world });
  const { host } = bench;
  await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
  await host.exchange('AT+CWMODE=1\r\n', OK);
  await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
  await setModuleClock(host);
  return bench;
}

/** AT+SYSMFG=2 of a blob: the prompt, the bytes, OK. */
async function write(bench: Bench, namespace: string, key: string, text: string): Promise<void> {
  await bench.host.exchange(`AT+SYSMFG=2,"${namespace}","${key}",8,${Buffer.byteLength(text)}\r\n`, `${OK}\r\n>`);
  await bench.host.exchange(text, OK);
}

/** A loopback HTTPS server answering every request with RESPONSE. */
async function httpsPeer(identity: TestPki['server'], requireClientCa?: string): Promise<TlsPeer> {
  const peer = await TlsPeer.start({ identity, echo: false, greeting: RESPONSE, ...(requireClientCa ? { requireClientCa } : {}) });
  cleanup.add(() => peer.close());
  return peer;
}

const GOT = `+HTTPCLIENT:${BODY.length},${BODY}\r\n${OK}`;
const get = (port: number): string => `AT+HTTPCLIENT=2,0,"https://peer.lab:${port}/",,,2\r\n`;

describe('AT+HTTPCFG: the HTTP client authentication (ESP-AT 4.1)', () => {
  it('answers its forms with the firmware bytes, and the ERR CODE under AT+SYSLOG=1', async () => {
    const { host } = await startBench(cleanup, { profile: C3 });
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+HTTPCFG=0\r\n', OK);
    await host.exchange('AT+HTTPCFG=2,0,0\r\n', `NO CA FOUND\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG=1,0,0\r\n', `NO CERT FOUND\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG=3,0,0\r\n', `NO CERT FOUND\r\n${ERROR}`);
    await host.exchange('AT+SYSLOG=1\r\n', OK);
    await host.exchange('AT+HTTPCFG=4\r\n', `ERR CODE:0x01070000${'\r\n'}${ERROR}`);
    await host.exchange('AT+HTTPCFG=-1\r\n', `ERR CODE:0x01070000\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG=2,-1,0\r\n', `ERR CODE:0x01070000\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG="0"\r\n', `ERR CODE:0x01050000\r\n${ERROR}`);
    // Mode 0 takes no numbers; 1..3 take both (the firmware reads three parameters).
    await host.exchange('AT+HTTPCFG=0,0,0\r\n', `ERR CODE:0x01060000\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG=2,0\r\n', `ERR CODE:0x01060000\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG=2\r\n', `ERR CODE:0x01060000\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG=2,0,0\r\n', `NO CA FOUND\r\nERR CODE:0x010a0000\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG?\r\n', ERROR);
    await host.exchange('AT+HTTPCFG\r\n', ERROR);
  });

  it('is only in the 4.x firmware: ESP32 2.x answers it as an unknown command', async () => {
    const { host } = await startBench(cleanup, { profile: 'esp32-at-2.x' });
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange('AT+HTTPCFG=0\r\n', ERROR);
  });

  it('mode 2 verifies the server with https_ca and the URL host; mode 0 takes any server', async () => {
    const good = await httpsPeer(pki.server);
    const rogue = await httpsPeer(pki.rogueServer);
    const bench = await module();
    const { host } = bench;
    await host.exchange(get(rogue.port), GOT, 10_000);
    await write(bench, 'https_ca', 'https_ca.0', pki.ca.cert);
    await host.exchange('AT+HTTPCFG=2,0,1\r\n', `NO CA FOUND\r\n${ERROR}`);
    await host.exchange('AT+HTTPCFG=2,0,0\r\n', OK);
    await host.exchange(get(good.port), GOT, 10_000);
    await host.exchange(get(rogue.port), ERROR, 10_000);
    // The name must match too: the same server by its IP address fails the check.
    await host.exchange(`AT+HTTPCLIENT=2,0,"https://127.0.0.1:${good.port}/",,,2\r\n`, ERROR, 10_000);
    // The CA erased after AT+HTTPCFG: the request fails before any handshake.
    const visits = good.visits.length;
    await host.exchange('AT+SYSMFG=0,"https_ca","https_ca.0"\r\n', OK);
    await host.exchange(get(good.port), ERROR, 10_000);
    expect(good.visits).toHaveLength(visits);
    await write(bench, 'https_ca', 'https_ca.0', pki.ca.cert);
    await host.exchange('AT+HTTPCFG=0\r\n', OK);
    await host.exchange(get(rogue.port), GOT, 10_000);
    // RAM only: a reset forgets it.
    await host.exchange('AT+HTTPCFG=2,0,0\r\n', OK);
    await host.exchange('AT+RST\r\n', OK);
    await host.expect('\r\nready\r\n', 10_000);
    await host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await host.exchange(`AT+CWJAP="${LAB.ssid}","${LAB.password}"\r\n`, `WIFI CONNECTED\r\nWIFI GOT IP\r\n${OK}`);
    await setModuleClock(host);
    await host.exchange(get(rogue.port), GOT, 10_000);
  });

  it('mode 1 presents https_cert and https_key, which the server requires', async () => {
    const server = await httpsPeer(pki.server, pki.ca.cert);
    const bench = await module();
    const { host } = bench;
    await host.exchange(get(server.port), ERROR, 10_000);
    await write(bench, 'https_cert', 'https_cert.0', pki.client.cert);
    await host.exchange('AT+HTTPCFG=1,0,0\r\n', `NO PRVT_KEY FOUND\r\n${ERROR}`);
    await write(bench, 'https_key', 'https_key.0', pki.client.key);
    await host.exchange('AT+HTTPCFG=1,0,0\r\n', OK);
    await host.exchange(get(server.port), GOT, 10_000);
    expect(server.visits.at(-1)?.clientCn).toBe('copro-module');
  });
});
