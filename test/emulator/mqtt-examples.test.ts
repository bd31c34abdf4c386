import { createSocket } from 'node:dgram';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sntpAnswer } from '../../firmware-protocol/sntp.js';
import { TestBroker, type BrokerOptions } from '../helpers/mqtt-broker.js';
import { makeTestPki, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { Cleanup, joinLab, startBench, type Bench } from './harness.js';

/**
 * Espressif's MQTT example page (docs/en/AT_Command_Examples/MQTT_AT_Examples.rst, v2.4.2.0),
 * every exchange byte for byte: two emulated modules, a publisher and a subscriber, against an
 * aedes broker on loopback (the page's 192.168.3.102:8883 and test.mosquitto.org:8081 become
 * 127.0.0.1 and the broker's port). Echo is off (ATE0) so each answer is the module's own bytes.
 * The TLS and WSS examples start with AT+CIPSNTPCFG/AT+CIPSNTPTIME?: the page's ntp1.aliyun.com is an
 * SNTP server on loopback answering the page's time, 2021-09-02 10:57:03 UTC (18:57:03 at UTC+8).
 */

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function broker(options: BrokerOptions = {}): Promise<TestBroker> {
  const started = await TestBroker.start(options);
  cleanup.add(() => started.close());
  return started;
}

/** A joined module whose store holds the test CA (CA 0) and the module's client certificate (PKI 0). */
async function module(ntpPort?: number): Promise<Bench> {
  const store = tlsWorld({ caCerts: [pki.ca.cert], clientCerts: [pki.client] });
  cleanup.add(() => store.dispose());
  const world = ntpPort === undefined ? store.world : { ...store.world, ntp: { 'ntp1.aliyun.com': { host: '127.0.0.1', port: ntpPort } } };
  const bench = await startBench(cleanup, { world });
  await joinLab(bench.host);
  return bench;
}

const OK = '\r\nOK\r\n';

/** The page's SNTP server: every request answered with its time. */
async function sntpServer(): Promise<number> {
  const socket = createSocket('udp4');
  socket.on('message', (_message, rinfo) => socket.send(sntpAnswer(Date.UTC(2021, 8, 2, 10, 57, 3)), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

/** The examples' first steps: SNTP at UTC+8 from ntp1.aliyun.com, then the time it set (bounded wait). */
async function sntpSteps(bench: Bench): Promise<void> {
  await bench.host.exchange('AT+CIPSNTPCFG=1,8,"ntp1.aliyun.com"\r\n', OK);
  let answer = '';
  for (let i = 0; i < 100 && !answer.includes('2021'); i++) {
    bench.host.send('AT+CIPSNTPTIME?\r\n');
    answer = await bench.host.readThrough(OK);
    if (!answer.includes('2021')) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // The page's line, give or take the second the query came in.
  expect(answer).toMatch(/^\+CIPSNTPTIME:Thu Sep {2}2 18:57:0[34] 2021\r\n\r\nOK\r\n$/);
}

async function configure(publisher: Bench, subscriber: Bench, scheme: number, password: string): Promise<void> {
  await publisher.host.exchange(`AT+MQTTUSERCFG=0,${scheme},"publisher","espressif","${password}",0,0,""\r\n`, OK);
  await subscriber.host.exchange(`AT+MQTTUSERCFG=0,${scheme},"subscriber","espressif","${password}",0,0,""\r\n`, OK);
}

async function connectBoth(publisher: Bench, subscriber: Bench, scheme: number, port: number, path: string): Promise<void> {
  for (const { host } of [publisher, subscriber]) {
    await host.exchange(
      `AT+MQTTCONN=0,"127.0.0.1",${port},1\r\n`,
      `+MQTTCONNECTED:0,${scheme},"127.0.0.1","${port}","${path}",1\r\n${OK}`,
      10_000,
    );
  }
}

async function subscribePublishClean(publisher: Bench, subscriber: Bench): Promise<void> {
  await subscriber.host.exchange('AT+MQTTSUB=0,"topic",1\r\n', OK, 10_000);
  await publisher.host.exchange('AT+MQTTPUB=0,"topic","test",1,0\r\n', OK, 10_000);
  await subscriber.host.expect('+MQTTSUBRECV:0,"topic",4,test\r\n', 10_000);
  await publisher.host.exchange('AT+MQTTCLEAN=0\r\n', OK, 10_000);
  await subscriber.host.exchange('AT+MQTTCLEAN=0\r\n', OK, 10_000);
}

const LONG_MESSAGE =
  '{"headers": {"Accept": "application/json","Accept-Encoding": "gzip, deflate","Accept-Language": "en-US,en;q=0.9,zh-CN;q=0.8,zh;q=0.7",' +
  '"Content-Length": "0","Host": "httpbin.org","Origin": "http://httpbin.org","Referer": "http://httpbin.org/","User-Agent": ' +
  '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.114 Safari/537.36","X-Amzn-Trace-Id": ' +
  '"Root=1-6150581e-1ad4bd5254b4bf5218070413"}}';

describe("Espressif's MQTT AT examples, replayed", () => {
  it('MQTT over TCP, a small amount of data (AT+MQTTPUB)', async () => {
    const server = await broker();
    const [publisher, subscriber] = [await module(), await module()];
    await configure(publisher, subscriber, 1, '123456789');
    await connectBoth(publisher, subscriber, 1, server.port, '');
    await subscribePublishClean(publisher, subscriber);
    expect(server.connects.map((c) => [c.clientId, c.username])).toEqual([
      ['publisher', 'espressif'],
      ['subscriber', 'espressif'],
    ]);
    expect(server.published.map((p) => [p.topic, p.payload.toString(), p.qos, p.retain])).toEqual([['topic', 'test', 1, false]]);
  });

  it('MQTT over TCP, large amounts of data (AT+MQTTPUBRAW, 427 bytes)', async () => {
    expect(LONG_MESSAGE.length).toBe(427);
    const server = await broker();
    const [publisher, subscriber] = [await module(), await module()];
    await configure(publisher, subscriber, 1, '123456789');
    await connectBoth(publisher, subscriber, 1, server.port, '');
    await subscriber.host.exchange('AT+MQTTSUB=0,"topic",1\r\n', OK, 10_000);
    await publisher.host.exchange('AT+MQTTPUBRAW=0,"topic",427,0,0\r\n', `${OK}\r\n>`);
    publisher.host.send(LONG_MESSAGE);
    await publisher.host.expect('\r\nRecv 427 bytes\r\n+MQTTPUB:OK\r\n', 10_000);
    await subscriber.host.expect(`+MQTTSUBRECV:0,"topic",427,${LONG_MESSAGE}\r\n`, 10_000);
    await publisher.host.exchange('AT+MQTTCLEAN=0\r\n', OK, 10_000);
    await subscriber.host.exchange('AT+MQTTCLEAN=0\r\n', OK, 10_000);
    expect(server.published[0]?.payload.toString('latin1')).toBe(LONG_MESSAGE);
  });

  it('MQTT over TLS with the client certificate (scheme 4) and a last will', async () => {
    const server = await broker({ transport: 'tls', identity: pki.server, requireClientCa: pki.ca.cert });
    const ntp = await sntpServer();
    const [publisher, subscriber] = [await module(ntp), await module(ntp)];
    for (const bench of [publisher, subscriber]) await sntpSteps(bench);
    await configure(publisher, subscriber, 4, '123456789');
    for (const { host } of [publisher, subscriber]) await host.exchange('AT+MQTTCONNCFG=0,0,0,"lwtt","lwtm",0,0\r\n', OK);
    await connectBoth(publisher, subscriber, 4, server.port, '');
    await subscribePublishClean(publisher, subscriber);
    expect(server.clientCertificates).toEqual(['copro-module', 'copro-module']);
    // Keepalive 0 is "force-changed to 120 s"; the will is the one configured.
    expect(server.connects[0]).toMatchObject({ keepalive: 120, clean: true, will: { topic: 'lwtt', payload: 'lwtm', qos: 0, retain: false } });
  });

  it("the command page's AT+MQTTPUB example: a JSON string with escaped quotes", async () => {
    const server = await broker();
    const bench = await module();
    await bench.host.exchange('AT+MQTTUSERCFG=0,1,"ESP32","espressif","1234567890",0,0,""\r\n', OK);
    await bench.host.exchange(`AT+MQTTCONN=0,"127.0.0.1",${server.port},0\r\n`, `+MQTTCONNECTED:0,1,"127.0.0.1","${server.port}","",0\r\n${OK}`, 10_000);
    await bench.host.exchange('AT+MQTTPUB=0,"topic","\\"{\\"timestamp\\":\\"20201121085253\\"}\\"",0,0\r\n', OK, 10_000);
    expect(server.published.map((p) => p.payload.toString())).toEqual(['"{"timestamp":"20201121085253"}"']);
  });

  it('MQTT over WSS (scheme 7): the path is "/"', async () => {
    const server = await broker({ transport: 'wss', identity: pki.server });
    const ntp = await sntpServer();
    const [publisher, subscriber] = [await module(ntp), await module(ntp)];
    for (const bench of [publisher, subscriber]) await sntpSteps(bench);
    await configure(publisher, subscriber, 7, '1234567890');
    await connectBoth(publisher, subscriber, 7, server.port, '/');
    await subscribePublishClean(publisher, subscriber);
    expect(server.wsPaths).toEqual(['/', '/']);
  });
});
