/**
 * Real client libraries over the module through a real PTY, ESP-AT and NINA, given the module's
 * sockets the way their documentation allows: MQTT.js (a stream builder) publishing and
 * subscribing through an aedes broker in this process, and ws (its createConnection option)
 * exchanging text and binary messages with a ws server.
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { MqttClient, connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { stopAll } from '../driver/emulator-harness.js';
import { withTimeout } from '../helpers/deadline.js';
import { BACKENDS, next, sha256, startNetRig } from './net-helpers.js';

const stops: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await stopAll();
});

async function startBroker(): Promise<number> {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

/** The next message the client receives: [topic, payload]. */
function nextMessage(client: MqttClient): Promise<[string, string]> {
  return withTimeout(
    new Promise((resolve) => client.once('message', (topic: string, payload: Buffer) => resolve([topic, payload.toString()]))),
    10_000,
    'an MQTT message',
  );
}

describe.each(BACKENDS)('client libraries over $protocol', ({ protocol }) => {
  it('MQTT.js publishes and subscribes through a broker over the module', async () => {
    const rig = await startNetRig(protocol);
    const port = await startBroker();
    const overModule = (clientId: string): MqttClient => {
      const client = new MqttClient(() => rig.copro.createConnection(port, '127.0.0.1'), { clientId, reconnectPeriod: 0, protocolVersion: 4 });
      client.on('error', () => undefined);
      stops.push(() => client.endAsync(true));
      return client;
    };
    const subscriber = overModule('module-sub');
    const publisher = overModule('module-pub');
    await Promise.all([subscriber, publisher].map((client) => withTimeout(new Promise((resolve) => client.once('connect', resolve)), 10_000, 'CONNACK')));
    await subscriber.subscribeAsync('copro/#', { qos: 1 });

    const fromModule = nextMessage(subscriber);
    await publisher.publishAsync('copro/module', 'hello through the module', { qos: 1 });
    expect(await fromModule).toEqual(['copro/module', 'hello through the module']);

    // A client on the host, straight to the broker, meets the module's clients both ways.
    const host = await connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'host', reconnectPeriod: 0 });
    stops.push(() => host.endAsync(true));
    const fromHost = nextMessage(subscriber);
    await host.publishAsync('copro/host', 'hello from the host', { qos: 1 });
    expect(await fromHost).toEqual(['copro/host', 'hello from the host']);
    await host.subscribeAsync('reply/#', { qos: 1 });
    const toHost = nextMessage(host);
    await publisher.publishAsync('reply/module', 'and back', { qos: 1 });
    expect(await toHost).toEqual(['reply/module', 'and back']);

    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  }, 60_000);

  it('ws exchanges text and binary messages over the module', async () => {
    const rig = await startNetRig(protocol);
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await next(wss, 'listening');
    stops.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    wss.on('connection', (peer, req) => {
      peer.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) peer.send(sha256(Buffer.from(data as Buffer)));
        else peer.send(`${req.url} heard: ${String(data)}`);
      });
    });
    const port = (wss.address() as AddressInfo).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`, { createConnection: rig.copro.createConnection });
    await next(ws, 'open');
    const replies: string[] = [];
    ws.on('message', (data: RawData) => replies.push(String(data)));
    ws.send('hello');
    const blob = randomBytes(200 * 1024);
    ws.send(blob);
    await next(ws, 'message');
    if (replies.length < 2) await next(ws, 'message', 30_000);
    expect(replies).toEqual(['/chat heard: hello', sha256(blob)]);
    ws.close(1000, 'done');
    const [code] = await next<[number]>(ws, 'close');
    expect(code).toBe(1000);
  }, 60_000);
});
