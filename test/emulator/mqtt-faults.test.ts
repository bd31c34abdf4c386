import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/manual-clock.js';
import { TestBroker, type BrokerOptions } from '../helpers/mqtt-broker.js';
import { makeTestPki, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench, type Bench, setModuleClock } from './harness.js';

/**
 * The MQTT client's answers to bad input and to brokers that misbehave, byte for byte with
 * AT+SYSLOG=1 (the docs' MQTT error codes as `ERR CODE:0x%08x`), and the reporting lines:
 * AT+MQTTCONN?, AT+MQTTSUB?, ALREADY SUBSCRIBE, NO UNSUBSCRIBE, long messages in several
 * +MQTTSUBRECV. After each fault the module is shown to still work.
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

const OK = '\r\nOK\r\n';
const err = (code: number): string => `ERR CODE:0x${code.toString(16).padStart(8, '0')}\r\n\r\nERROR\r\n`;

async function broker(options: BrokerOptions = {}): Promise<TestBroker> {
  const started = await TestBroker.start(options);
  cleanup.add(() => started.close());
  return started;
}

async function module(options: { caCerts?: string[]; clock?: ManualClock } = {}): Promise<Bench> {
  const store = tlsWorld({ caCerts: options.caCerts ?? [], clientCerts: [] });
  cleanup.add(() => store.dispose());
  const bench = await startBench(cleanup, { world: store.world, clock: options.clock });
  await joinLab(bench.host);
  await setModuleClock(bench.host);
  await bench.host.exchange('AT+SYSLOG=1\r\n', OK);
  return bench;
}

async function connected(bench: Bench, port: number, options: { scheme?: number; host?: string; reconnect?: number } = {}): Promise<void> {
  const { scheme = 1, host = '127.0.0.1', reconnect = 0 } = options;
  await bench.host.exchange(`AT+MQTTUSERCFG=0,${scheme},"copro","","",0,0,""\r\n`, OK);
  await bench.host.exchange(
    `AT+MQTTCONN=0,"${host}",${port},${reconnect}\r\n`,
    `+MQTTCONNECTED:0,${scheme},"${host}","${port}","${scheme >= 6 ? '/' : ''}",${reconnect}\r\n${OK}`,
    10_000,
  );
}

describe('MQTT bad input', () => {
  it('answers malformed parameters with the docs error codes', async () => {
    const { host } = await module();
    await host.exchange('AT+MQTTUSERCFG=1,1,"a","b","c",0,0,""\r\n', err(0x6011));
    await host.exchange('AT+MQTTUSERCFG=0,11,"a","b","c",0,0,""\r\n', err(0x6013));
    await host.exchange('AT+MQTTUSERCFG=0,"1","a","b","c",0,0,""\r\n', err(0x6012));
    await host.exchange(`AT+MQTTUSERCFG=0,1,"a","${'u'.repeat(65)}","c",0,0,""\r\n`, err(0x6019));
    await host.exchange('AT+MQTTUSERCFG=0,1,"a","b","c",0,0,"",9\r\n', err(0x6008));
    await host.exchange('AT+MQTTUSERCFG=0,1,,"b","c",0,0,""\r\n', err(0x6015));
    // Nothing configured yet.
    await host.exchange('AT+MQTTCONN=0,"127.0.0.1",1883,0\r\n', err(0x6001));
    await host.exchange('AT+MQTTCLIENTID=0,"x"\r\n', err(0x6001));
    await host.exchange('AT+MQTTPUB=0,"t","d",0,0\r\n', err(0x6006));
    await host.exchange('AT+MQTTCLEAN=0\r\n', err(0x6003));
    await host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,0,0,"","","",0\r\n${OK}`);
    // Configured, not connected.
    await host.exchange('AT+MQTTUSERCFG=0,1,"a","b","c",0,0,""\r\n', OK);
    await host.exchange('AT+MQTTCONNCFG=0,7201,0,"t","m",0,0\r\n', err(0x602d));
    await host.exchange('AT+MQTTCONNCFG=0,60,0,"t","m",3,0\r\n', err(0x6037));
    await host.exchange('AT+MQTTCONNCFG=0,60,1,"t","m",1,1\r\n', OK);
    await host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,2,1,"","","",0\r\n${OK}`);
    await host.exchange('AT+MQTTPUB=0,"t","d",0,0\r\n', err(0x6051));
    await host.exchange('AT+MQTTCONN=0,"127.0.0.1",70000,0\r\n', err(0x603e));
    await host.exchange(`AT+MQTTCONN=0,"${'h'.repeat(129)}",1883,0\r\n`, err(0x603c));
    await host.exchange('AT+MQTTCONN=0,"",1883,0\r\n', err(0x603b));
    await host.exchange('AT+MQTTCONN=0,,1883,0\r\n', err(0x603b));
    await host.exchange('AT+MQTTCLEAN=0\r\n', OK);
  });

  it('refuses over-long topics and a bad QoS on a live connection, and stays connected', async () => {
    const server = await broker();
    const bench = await module();
    await connected(bench, server.port);
    const { host } = bench;
    await host.exchange(`AT+MQTTPUB=0,"${'t'.repeat(129)}","d",0,0\r\n`, err(0x6043));
    await host.exchange(`AT+MQTTSUB=0,"${'t'.repeat(129)}",0\r\n`, err(0x6043));
    await host.exchange('AT+MQTTPUB=0,"t","d",3,0\r\n', err(0x6048));
    await host.exchange('AT+MQTTPUB=0,"t","d",0,2\r\n', err(0x604a));
    await host.exchange('AT+MQTTPUBRAW=0,"t",0,0,0\r\n', err(0x604c));
    await host.exchange('AT+MQTTPUB=0,"","d",0,0\r\n', err(0x6042));
    await host.exchange('AT+MQTTCONN=0,"127.0.0.1",1883,0\r\n', err(0x6004));
    await host.exchange(`AT+MQTTPUB=0,"${'t'.repeat(128)}","d",1,1\r\n`, OK, 10_000);
    expect(server.published.map((p) => [p.topic.length, p.payload.toString(), p.qos, p.retain])).toEqual([[128, 'd', 1, true]]);
  });
});

describe('MQTT reports', () => {
  it('lists the connection and subscriptions; ALREADY SUBSCRIBE, NO UNSUBSCRIBE', async () => {
    const server = await broker();
    const bench = await module();
    const { host } = bench;
    await connected(bench, server.port, { reconnect: 1 });
    await host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,4,1,"127.0.0.1","${server.port}","",1\r\n${OK}`);
    await host.exchange('AT+MQTTSUB?\r\n', `+MQTTSUB:0,4,"",0\r\n${OK}`);
    await host.exchange('AT+MQTTSUB=0,"a/b",1\r\n', OK, 10_000);
    await host.exchange('AT+MQTTSUB=0,"c/#",0\r\n', OK, 10_000);
    await host.exchange('AT+MQTTSUB=0,"a/b",1\r\n', `ALREADY SUBSCRIBE\r\n${OK}`);
    await host.exchange('AT+MQTTSUB?\r\n', `+MQTTSUB:0,6,"a/b",1\r\n+MQTTSUB:0,6,"c/#",0\r\n${OK}`);
    await host.exchange('AT+MQTTUNSUB=0,"x"\r\n', `NO UNSUBSCRIBE\r\n${OK}`);
    await host.exchange('AT+MQTTUNSUB=0,"a/b"\r\n', OK, 10_000);
    await host.exchange('AT+MQTTUNSUB=0,"c/#"\r\n', OK, 10_000);
    await host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,5,1,"127.0.0.1","${server.port}","",1\r\n${OK}`);
  });

  it('splits a message longer than the 1024-byte MQTT buffer into several +MQTTSUBRECV', async () => {
    const server = await broker();
    const bench = await module();
    await connected(bench, server.port);
    await bench.host.exchange('AT+MQTTSUB=0,"big",0\r\n', OK, 10_000);
    const payload = Buffer.alloc(2500, 0x41);
    for (let i = 0; i < payload.length; i += 1) payload[i] = 0x41 + (i % 26);
    await server.publish('big', payload);
    // 1024 - fixed header (1 + 2 length bytes) - topic (2 + 3) = 1016 bytes first, then 1024, then the rest.
    const parts = [payload.subarray(0, 1016), payload.subarray(1016, 2040), payload.subarray(2040)];
    await bench.host.expect(`+MQTTSUBRECV:0,"big",1016,${parts[0].toString('latin1')}\r\n`, 10_000);
    await bench.host.expect(`+MQTTSUBRECV:0,"",1024,${parts[1].toString('latin1')}\r\n`);
    await bench.host.expect(`+MQTTSUBRECV:0,"",460,${parts[2].toString('latin1')}\r\n`);
  });
});

describe('MQTT faults', () => {
  it('a broker that refuses the credentials: +MQTTDISCONNECTED, ERROR, and the module connects once they are right', async () => {
    const server = await broker({ credentials: { username: 'user', password: 'right' } });
    const { host } = await module();
    await host.exchange('AT+MQTTUSERCFG=0,1,"copro","user","wrong",0,0,""\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${server.port},0\r\n`, `+MQTTDISCONNECTED:0\r\n${err(0x6051)}`, 10_000);
    await host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,1,1,"127.0.0.1","${server.port}","",0\r\n${OK}`);
    await host.exchange('AT+MQTTPASSWORD=0,"right"\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${server.port},0\r\n`, `+MQTTCONNECTED:0,1,"127.0.0.1","${server.port}","",0\r\n${OK}`, 10_000);
  });

  it('a broker that drops the connection: +MQTTDISCONNECTED, then with <reconnect> 1 it comes back subscribed', async () => {
    const server = await broker();
    const bench = await module();
    const { host } = bench;
    await connected(bench, server.port, { reconnect: 1 });
    await host.exchange('AT+MQTTSUB=0,"t",0\r\n', OK, 10_000);
    server.dropClients();
    await host.expect('+MQTTDISCONNECTED:0\r\n', 10_000);
    await host.exchange('AT+MQTTPUB=0,"t","x",0,0\r\n', err(0x6051));
    await host.expect(`+MQTTCONNECTED:0,1,"127.0.0.1","${server.port}","",1\r\n`, 10_000);
    // Subscribed again: a message on the topic arrives.
    const deadline = Date.now() + 10_000;
    while (!host.pending.includes('+MQTTSUBRECV', 0, 'latin1') && Date.now() < deadline) {
      await server.publish('t', 'back');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await host.expect('+MQTTSUBRECV:0,"t",4,back\r\n');
  });

  it('a broker that drops the connection with <reconnect> 0 stays down; AT+MQTTCONN connects again', async () => {
    const server = await broker();
    const bench = await module();
    await connected(bench, server.port);
    server.dropClients();
    await bench.host.expect('+MQTTDISCONNECTED:0\r\n', 10_000);
    await bench.host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,3,1,"127.0.0.1","${server.port}","",0\r\n${OK}`);
    await bench.host.expectSilence(300);
    await bench.host.exchange(
      `AT+MQTTCONN=0,"127.0.0.1",${server.port},0\r\n`,
      `+MQTTCONNECTED:0,1,"127.0.0.1","${server.port}","",0\r\n${OK}`,
      10_000,
    );
  });

  it('a broker that never answers: ERROR after the 10 s connect timeout (fake time), busy meanwhile', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), silent.close(() => resolve()))));
    const port = (silent.address() as AddressInfo).port;
    const clock = new ManualClock();
    const { host } = await module({ clock });
    await host.exchange('AT+MQTTUSERCFG=0,1,"copro","","",0,0,""\r\n', OK);
    host.send(`AT+MQTTCONN=0,"127.0.0.1",${port},0\r\n`);
    // The TCP connect succeeds; the CONNACK never comes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await host.exchange('AT\r\n', 'ERR CODE:0x010b0000\r\n\r\nbusy p...\r\n');
    await clock.advance(9_900);
    expect(host.pending.length).toBe(0);
    await clock.advance(200);
    await host.expect(`+MQTTDISCONNECTED:0\r\n${err(0x6051)}`);
    await host.exchange('AT\r\n', OK);
  });

  it('a broker that never acknowledges a QoS 1 publish: ERROR after 10 s (fake time), the module still answers', async () => {
    const server = await broker({ stallPublishes: true });
    const clock = new ManualClock();
    const bench = await module({ clock });
    await connected(bench, server.port);
    const { host } = bench;
    host.send('AT+MQTTPUB=0,"t","x",1,0\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await clock.advance(9_900);
    expect(host.pending.length).toBe(0);
    await clock.advance(200);
    await host.expect(err(0x600c));
    await host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,4,1,"127.0.0.1","${server.port}","",0\r\n${OK}`);
    // The unacknowledged message does not hold AT+MQTTCLEAN up for longer than the command timeout.
    await host.exchange('AT+MQTTCLEAN=0\r\n', OK, 12_000);
    await host.exchange('AT+MQTTCONN?\r\n', `+MQTTCONN:0,0,0,"","","",0\r\n${OK}`);
  });

  it('TLS that verifies the broker: an unknown CA fails, a missing store entry is 0x6022', async () => {
    const server = await broker({ transport: 'tls', identity: pki.rogueServer });
    const bench = await module({ caCerts: [pki.ca.cert] });
    const { host } = bench;
    await host.exchange('AT+MQTTUSERCFG=0,3,"copro","","",0,0,""\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"peer.lab",${server.port},0\r\n`, `+MQTTDISCONNECTED:0\r\n${err(0x6051)}`, 10_000);
    const bare = await module();
    await bare.host.exchange('AT+MQTTUSERCFG=0,3,"copro","","",0,0,""\r\n', OK);
    await bare.host.exchange(`AT+MQTTCONN=0,"peer.lab",${server.port},0\r\n`, err(0x6022));
    const good = await broker({ transport: 'tls', identity: pki.server });
    await host.exchange(`AT+MQTTCONN=0,"peer.lab",${good.port},0\r\n`, `+MQTTCONNECTED:0,3,"peer.lab","${good.port}","",0\r\n${OK}`, 10_000);
    expect(good.servernames).toEqual(['peer.lab']);
  });

  it("the docs' AT+MQTTALPN example: scheme 5 (verify and present a certificate) offering two protocols", async () => {
    const server = await broker({ transport: 'tls', identity: pki.server, requireClientCa: pki.ca.cert, alpn: ['mqtt-ca.us'] });
    const store = tlsWorld({ caCerts: [pki.ca.cert], clientCerts: [pki.client] });
    cleanup.add(() => store.dispose());
    const { host } = await startBench(cleanup, { world: store.world });
    await joinLab(host);
    await setModuleClock(host);
    await host.exchange('AT+MQTTUSERCFG=0,5,"ESP32","espressif","1234567890",0,0,""\r\n', OK);
    await host.exchange('AT+MQTTALPN=0,2,"mqtt-ca.cn","mqtt-ca.us"\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"peer.lab",${server.port},1\r\n`, `+MQTTCONNECTED:0,5,"peer.lab","${server.port}","",1\r\n${OK}`, 10_000);
    expect(server.alpnSettled).toEqual(['mqtt-ca.us']);
    expect(server.clientCertificates).toEqual(['copro-module']);
  });

  it('WebSocket (scheme 6) with a path; a reset drops the connection and forgets the client', async () => {
    const server = await broker({ transport: 'ws' });
    const bench = await module();
    const { host } = bench;
    await host.exchange('AT+MQTTUSERCFG=0,6,"copro","","",0,0,"mqtt"\r\n', OK);
    await host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${server.port},1\r\n`, `+MQTTCONNECTED:0,6,"127.0.0.1","${server.port}","/mqtt",1\r\n${OK}`, 10_000);
    expect(server.wsPaths).toEqual(['/mqtt']);
    await host.exchange('AT+RST\r\n', OK);
    await host.expect('\r\nready\r\n', 5000);
    host.send('AT+MQTTCONN?\r\n');
    // Echo is on again after the reset; the station may rejoin meanwhile (WIFI lines).
    expect(await host.readThrough(OK)).toContain('+MQTTCONN:0,0,0,"","","",0\r\n');
  });
});
