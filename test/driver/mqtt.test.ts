import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isOSError } from '../../src/errors.js';
import type { MqttMessage } from '../../src/mqtt.js';
import { withTimeout } from '../helpers/deadline.js';
import { TestBroker } from '../helpers/mqtt-broker.js';
import { makeTestPki, tlsWorld, type TestPki } from '../helpers/tls-lab.js';
import { startRig, stopAll } from './emulator-harness.js';

/**
 * `open(device).mqtt`: the module's own MQTT client through the driver, against an aedes broker
 * on loopback: connect, publish (short messages as AT+MQTTPUB, long or binary ones as
 * AT+MQTTPUBRAW), subscribe and receive, errors as OSError with a real errno.
 */

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await stopAll();
});

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function broker(options: Parameters<typeof TestBroker.start>[0] = {}): Promise<TestBroker> {
  const started = await TestBroker.start(options);
  stops.push(() => started.close());
  return started;
}

function nextMessage(subscribe: (listener: (message: MqttMessage) => void) => () => void, count = 1): Promise<MqttMessage[]> {
  const got: MqttMessage[] = [];
  return withTimeout(
    new Promise((resolve) => {
      const stop = subscribe((message) => {
        got.push(message);
        if (got.length === count) {
          stop();
          resolve(got);
        }
      });
    }),
    10_000,
    `${count} MQTT message(s)`,
  );
}

describe('open(device).mqtt', () => {
  it('publishes and receives through the broker, short and long, text and binary', async () => {
    const server = await broker();
    const rig = await startRig('pair');
    const { mqtt } = rig.copro;
    await mqtt.connect({ host: '127.0.0.1', port: server.port, clientId: 'driver', username: 'u', password: 'p,"\\', keepaliveSec: 30 });
    expect(server.connects[0]).toMatchObject({ clientId: 'driver', username: 'u', keepalive: 30 });
    await mqtt.subscribe('copro/#', 1);
    expect(await mqtt.subscriptions()).toEqual([{ topic: 'copro/#', qos: 1 }]);
    expect(await mqtt.status()).toMatchObject({ state: 6, connected: true, host: '127.0.0.1', port: server.port });

    const short = nextMessage((l) => mqtt.onMessage(l));
    await mqtt.publish('copro/a', 'hello, "world"', { qos: 1 });
    expect((await short)[0]).toMatchObject({ topic: 'copro/a', continued: false });
    expect(server.published[0]).toMatchObject({ topic: 'copro/a', qos: 1 });
    expect(server.published[0]?.payload.toString()).toBe('hello, "world"');

    const binary = Buffer.from([0, 1, 2, 13, 10, 255, 0x22]);
    const got = nextMessage((l) => mqtt.onMessage(l));
    await mqtt.publish('copro/bin', binary);
    expect(Buffer.from((await got)[0]!.payload)).toEqual(binary);

    // 3000 bytes: AT+MQTTPUBRAW out; back in three parts of the module's 1024-byte buffer.
    const long = Buffer.alloc(3000, 0x61);
    const parts = nextMessage((l) => mqtt.onMessage(l), 3);
    await mqtt.publish('copro/long', long);
    const received = await parts;
    expect(received.map((m) => [m.topic, m.continued])).toEqual([
      ['copro/long', false],
      ['copro/long', true],
      ['copro/long', true],
    ]);
    expect(Buffer.concat(received.map((m) => m.payload))).toEqual(long);

    await mqtt.unsubscribe('copro/#');
    await mqtt.close();
    expect((await mqtt.status()).state).toBe(0);
  });

  it('fails with OSError: refused connect (ECONNREFUSED), not connected (EIO), bad topic (EINVAL)', async () => {
    const server = await broker({ credentials: { username: 'right', password: 'right' } });
    const rig = await startRig('pair');
    const { mqtt } = rig.copro;
    const refused = await mqtt.connect({ host: '127.0.0.1', port: server.port, clientId: 'x', username: 'wrong' }).catch((e: unknown) => e);
    expect(isOSError(refused, 'ECONNREFUSED')).toBe(true);
    const notConnected = await mqtt.publish('t', 'x').catch((e: unknown) => e);
    expect(isOSError(notConnected, 'EIO')).toBe(true);
    const badTopic = await mqtt.publish('t'.repeat(129), 'x').catch((e: unknown) => e);
    expect(isOSError(badTopic, 'EINVAL')).toBe(true);
    // Still usable: the right credentials connect.
    await mqtt.connect({ host: '127.0.0.1', port: server.port, clientId: 'x', username: 'right', password: 'right' });
    expect((await mqtt.status()).connected).toBe(true);
  });

  it('is EOPNOTSUPP where the firmware has no MQTT client (NonOS 1.7, NINA)', async () => {
    for (const rig of [await startRig('pair', 'esp8266-at-1.7', false), await startRig('pair', undefined, false, { protocol: 'nina' })]) {
      const error = await rig.copro.mqtt.connect({ host: '127.0.0.1', port: 1883, clientId: 'x' }).catch((e: unknown) => e);
      expect(isOSError(error, 'EOPNOTSUPP')).toBe(true);
    }
  });

  it('TLS with server verification and a long client id (AT+MQTTCLIENTID; EINVAL beyond one line); connection events', async () => {
    const server = await broker({ transport: 'tls', identity: pki.server });
    const store = tlsWorld({ caCerts: [pki.ca.cert] });
    stops.push(async () => store.dispose());
    const rig = await startRig('pair', undefined, true, { world: store.world });
    const { mqtt } = rig.copro;
    // Together with the username, past AT+MQTTUSERCFG's 256-byte line; alone, it fits.
    const clientId = `copro-${'i'.repeat(214)}`;
    const username = 'u'.repeat(40);
    const tooLong = await mqtt.connect({ host: 'peer.lab', port: server.port, clientId: `${clientId}${'x'.repeat(40)}` }).catch((e: unknown) => e);
    expect(isOSError(tooLong, 'EINVAL')).toBe(true);
    await mqtt.connect({ host: 'peer.lab', port: server.port, clientId, username, tls: { verifyServer: true }, reconnect: true });
    expect(server.connects[0]).toMatchObject({ clientId, username });
    const events: boolean[] = [];
    mqtt.onConnection((up) => events.push(up));
    server.dropClients();
    await withTimeout(
      (async () => {
        while (events.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      10_000,
      'lost and reconnected',
    );
    expect(events).toEqual([false, true]);
  });
});
