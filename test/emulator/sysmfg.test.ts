import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFlashStore } from '../../emulator/at/flash-store.js';
import { TestBroker } from '../helpers/mqtt-broker.js';
import { makeTestPki, TlsPeer, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench, type Bench, setModuleClock } from './harness.js';

/**
 * AT+SYSMFG on ESP-AT 4.1 (Basic_AT_Commands.rst v4.1.1.0): the manufacturing NVS's namespaces
 * and typed pairs, and the certificates in it that SSL links, the MQTT client and enterprise
 * joins use, provisioned by the host the way it provisions a real module.
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

/** A C3 module whose world has `store` as its flashed PKI (none by default), echo off. */
async function module(options: { caCerts?: string[]; withClient?: boolean; flash?: MemoryFlashStore } = {}): Promise<Bench> {
  const store = tlsWorld({ caCerts: options.caCerts ?? [], clientCerts: options.withClient ? [pki.client] : [] });
  cleanup.add(() => store.dispose());
  const bench = await startBench(cleanup, { profile: C3, world: store.world, ...(options.flash ? { flash: options.flash } : {}) });
  await bench.host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
  return bench;
}

/** AT+SYSMFG=2 of a string (7) or blob (8): the prompt, the bytes, OK. */
async function write(bench: Bench, namespace: string, key: string, text: string, type: 7 | 8 = 8): Promise<void> {
  const bytes = Buffer.byteLength(text);
  await bench.host.exchange(`AT+SYSMFG=2,"${namespace}","${key}",${type},${bytes}\r\n`, `${OK}\r\n>`);
  await bench.host.exchange(text, OK);
}

describe('AT+SYSMFG: the manufacturing NVS', () => {
  it("lists the factory image: the world's PKI as mfg_nvs.py names it, then factory_param", async () => {
    const bench = await module({ caCerts: [pki.ca.cert, pki.rogueServer.cert], withClient: true });
    const { host } = bench;
    const spaces = ['client_cert', 'client_key', 'client_ca', 'mqtt_cert', 'mqtt_key', 'mqtt_ca', 'factory_param'];
    const listing = `${spaces.map((name) => `+SYSMFG:"${name}"\r\n`).join('')}${OK}`;
    await host.exchange('AT+SYSMFG?\r\n', listing);
    await host.exchange('AT+SYSMFG=1\r\n', listing);
    // One file: the key is the namespace; several: <namespace>.<n>.
    await host.exchange('AT+SYSMFG=1,"client_ca"\r\n', `+SYSMFG:"client_ca","client_ca.0",8\r\n+SYSMFG:"client_ca","client_ca.1",8\r\n${OK}`);
    await host.exchange('AT+SYSMFG=1,"client_cert"\r\n', `+SYSMFG:"client_cert","client_cert",8\r\n${OK}`);
    host.send('AT+SYSMFG=1,"factory_param"\r\n');
    expect(await host.readThrough(OK)).toBe(
      [
        '"version",2', '"module_name",7', '"max_tx_power",2', '"country_code",7', '"start_channel",1', '"channel_num",1',
        '"uart_port",2', '"uart_baudrate",6', '"uart_tx_pin",6', '"uart_rx_pin",6', '"uart_cts_pin",6', '"uart_rts_pin",6',
        '"sys_store",1',
      ]
        .map((rest) => `+SYSMFG:"factory_param",${rest}\r\n`)
        .join('') + OK,
    );
  });

  it('reads integers whole and strings and blobs whole or in part, as counted raw bytes', async () => {
    const { host } = await module({ caCerts: [pki.ca.cert] });
    await host.exchange('AT+SYSMFG=1,"factory_param","uart_baudrate"\r\n', `+SYSMFG:"factory_param","uart_baudrate",6,4,115200\r\n${OK}`);
    await host.exchange('AT+SYSMFG=1,"factory_param","channel_num"\r\n', `+SYSMFG:"factory_param","channel_num",1,1,13\r\n${OK}`);
    await host.exchange('AT+SYSMFG=1,"factory_param","module_name"\r\n', `+SYSMFG:"factory_param","module_name",7,6,MINI-1${OK}`);
    await host.exchange('AT+SYSMFG=1,"factory_param","module_name",2,3\r\n', `+SYSMFG:"factory_param","module_name",7,3,NI-${OK}`);
    await host.exchange('AT+SYSMFG=1,"factory_param","module_name",4,3\r\n', ERROR);
    const pem = Buffer.from(pki.ca.cert);
    await host.exchange('AT+SYSMFG=1,"client_ca","client_ca",0,27\r\n', `+SYSMFG:"client_ca","client_ca",8,27,-----BEGIN CERTIFICATE-----${OK}`);
    await host.exchange('AT+SYSMFG=1,"client_ca","client_ca"\r\n', `+SYSMFG:"client_ca","client_ca",8,${pem.length},${pki.ca.cert}${OK}`);
  });

  it('writes each type, replaces values whatever their type, erases keys and namespaces', async () => {
    const { host } = await module();
    await host.exchange('AT+SYSMFG=2,"factory_param","max_tx_power",2,-12\r\n', OK);
    await host.exchange('AT+SYSMFG=1,"factory_param","max_tx_power"\r\n', `+SYSMFG:"factory_param","max_tx_power",2,1,-12\r\n${OK}`);
    await host.exchange('AT+SYSMFG=2,"app","count",3,65535\r\n', OK);
    await host.exchange('AT+SYSMFG=2,"app","count",3,65536\r\n', ERROR);
    await host.exchange('AT+SYSMFG=2,"app","delta",2,128\r\n', ERROR);
    await host.exchange('AT+SYSMFG=2,"app","big",5,2147483647\r\n', OK);
    await host.exchange('AT+SYSMFG=2,"app","neg",6,-2147483648\r\n', OK);
    const bench = { host } as Bench;
    await write(bench, 'app', 'greeting', 'hello,\r\n"world"', 7);
    await host.exchange('AT+SYSMFG=1,"app","greeting"\r\n', `+SYSMFG:"app","greeting",7,15,hello,\r\n"world"${OK}`);
    await host.exchange('AT+SYSMFG=2,"app","count",7,2\r\n', `${OK}\r\n>`);
    await host.exchange('42', OK);
    host.send('AT+SYSMFG=1,"app"\r\n');
    expect(await host.readThrough(OK)).toBe(
      `+SYSMFG:"app","count",7\r\n+SYSMFG:"app","big",5\r\n+SYSMFG:"app","neg",6\r\n+SYSMFG:"app","greeting",7\r\n${OK}`,
    );
    await host.exchange('AT+SYSMFG=0,"app","big"\r\n', OK);
    await host.exchange('AT+SYSMFG=0,"app","big"\r\n', ERROR);
    await host.exchange('AT+SYSMFG=1,"app","big"\r\n', ERROR);
    await host.exchange('AT+SYSMFG=0,"app"\r\n', OK);
    await host.exchange('AT+SYSMFG=1,"app"\r\n', ERROR);
    // A namespace without keys erases without complaint (nvs_open creates it, nvs_erase_all clears it).
    await host.exchange('AT+SYSMFG=0,"app"\r\n', OK);
    await host.exchange('AT+SYSMFG?\r\n', `+SYSMFG:"factory_param"\r\n${OK}`);
  });

  it('refuses malformed requests and over-long names, and the module stays usable', async () => {
    const { host } = await module();
    await host.exchange('AT+SYSMFG=1,"nothing"\r\n', ERROR);
    await host.exchange(`AT+SYSMFG=2,"${'n'.repeat(16)}","k",1,1\r\n`, ERROR);
    await host.exchange(`AT+SYSMFG=2,"ns","${'k'.repeat(16)}",1,1\r\n`, ERROR);
    await host.exchange(`AT+SYSMFG=2,"${'n'.repeat(15)}","${'k'.repeat(15)}",1,1\r\n`, OK);
    await host.exchange('AT+SYSMFG=2,"ns","k",9,1\r\n', ERROR);
    await host.exchange('AT+SYSMFG=2,"ns","k",8,0\r\n', ERROR);
    await host.exchange('AT+SYSMFG=2,"ns","k",7,4000\r\n', ERROR);
    // A blob beyond what the 124 KiB partition holds is refused before any byte is awaited.
    await host.exchange('AT+SYSMFG=2,"ns","k",8,2000000000\r\n', ERROR);
    await host.exchange('AT+SYSMFG=2,"ns","k"\r\n', ERROR);
    await host.exchange('AT+SYSMFG=0\r\n', ERROR);
    await host.exchange('AT+SYSMFG=3,"ns"\r\n', ERROR);
    await host.exchange('AT+SYSMFG=1,"factory_param","module_name",2\r\n', ERROR);
    await host.exchange('AT\r\n', OK);
  });

  it('keeps what the host wrote across a reset and a restart with the same flash; erasing the partition clears it', async () => {
    const flash = new MemoryFlashStore();
    const first = await module({ flash });
    await first.host.exchange('AT+SYSMFG=2,"app","boots",5,1\r\n', OK);
    await first.host.exchange('AT+RST\r\n', OK);
    await first.host.expect('\r\nready\r\n', 5000);
    await first.host.exchange('ATE0\r\n', `ATE0\r\r\n${OK}`);
    await first.host.exchange('AT+SYSMFG=1,"app","boots"\r\n', `+SYSMFG:"app","boots",5,4,1\r\n${OK}`);
    await first.emu.close();
    const again = await module({ flash, caCerts: [pki.ca.cert] });
    // The factory image is flashed once: the world's CA does not come back over the host's NVS.
    await again.host.exchange('AT+SYSMFG?\r\n', `+SYSMFG:"factory_param"\r\n+SYSMFG:"app"\r\n${OK}`);
    await again.host.exchange('AT+SYSFLASH=0,"mfg_nvs"\r\n', OK);
    await again.host.exchange('AT+SYSMFG?\r\n', OK);
  });

  it('has no AT+SYSMFG on ESP-AT 2.4 (PKI lives in partitions there)', async () => {
    const { host } = await startBench(cleanup, {});
    await host.exchange('AT+SYSMFG?\r\n', `AT+SYSMFG?\r\r\n${ERROR}`);
  });
});

describe('the certificates in the manufacturing NVS are what the clients use', () => {
  it('an SSL link verifies its server with a CA the host wrote to client_ca.0, and fails once it is erased', async () => {
    const server = await TlsPeer.start({ identity: pki.server });
    cleanup.add(() => server.close());
    const bench = await module();
    const { host } = bench;
    await joinLabQuiet(bench);
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', `NO CA FOUND\r\n${ERROR}`);
    await write(bench, 'client_ca', 'client_ca.0', pki.ca.cert);
    await host.exchange('AT+CIPSSLCCONF=2,0,0\r\n', OK);
    await host.exchange('AT+CIPSSLCCN="peer.lab"\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    await host.exchange('AT+CIPCLOSE\r\n', `CLOSED\r\n${OK}`);
    await host.exchange('AT+SYSMFG=0,"client_ca","client_ca.0"\r\n', OK);
    // Refused before any packet: the CA is gone.
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, ERROR, 10_000);
    expect(server.visits).toHaveLength(1);
    // A certificate of another authority is written as readily, and the server is then refused.
    await write(bench, 'client_ca', 'client_ca.0', pki.rogueServer.cert);
    await host.exchange(`AT+CIPSTART="SSL","peer.lab",${server.port}\r\n`, ERROR, 10_000);
  });

  it('an SSL link presents the client certificate and key the host wrote', async () => {
    const server = await TlsPeer.start({ identity: pki.server, requireClientCa: pki.ca.cert });
    cleanup.add(() => server.close());
    const bench = await module();
    await joinLabQuiet(bench);
    const { host } = bench;
    await write(bench, 'client_cert', 'client_cert.0', pki.client.cert);
    await host.exchange('AT+CIPSSLCCONF=1,0,0\r\n', `NO CERT FOUND\r\n${ERROR}`);
    await write(bench, 'client_key', 'client_key.0', pki.client.key);
    await host.exchange('AT+CIPSSLCCONF=1,0,0\r\n', OK);
    await host.exchange(`AT+CIPSTART="SSL","127.0.0.1",${server.port}\r\n`, `CONNECT\r\n${OK}`, 10_000);
    expect(server.visits[0].clientCn).toBe('copro-module');
  });

  it('the MQTT client reads mqtt_ca, not client_ca', async () => {
    const broker = await TestBroker.start({ transport: 'tls', identity: pki.server });
    cleanup.add(() => broker.close());
    const bench = await module({ caCerts: [pki.ca.cert] });
    await joinLabQuiet(bench);
    const { host } = bench;
    await host.exchange('AT+SYSLOG=1\r\n', OK);
    await host.exchange('AT+SYSMFG=0,"mqtt_ca"\r\n', OK);
    await host.exchange('AT+MQTTUSERCFG=0,3,"copro","","",0,0,""\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"peer.lab",${broker.port},0\r\n`, `ERR CODE:0x00006022\r\n${ERROR}`);
    await write(bench, 'mqtt_ca', 'mqtt_ca', pki.ca.cert);
    await host.exchange(`AT+MQTTCONN=0,"peer.lab",${broker.port},0\r\n`, `+MQTTCONNECTED:0,3,"peer.lab","${broker.port}","",0\r\n${OK}`, 10_000);
  });
});

async function joinLabQuiet(bench: Bench): Promise<void> {
  // joinLab turns echo off itself; the module's echo is already off here.
  await bench.host.exchange('ATE1\r\n', OK);
  await joinLab(bench.host);
  await setModuleClock(bench.host);
}
