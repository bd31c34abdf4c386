import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runMqttPub, runMqttSub } from '../../cli/commands/mqtt.js';
import { isOSError } from '../../src/errors.js';
import { withTimeout } from '../helpers/deadline.js';
import { TestBroker } from '../helpers/mqtt-broker.js';
import { stopAll } from './emulator-harness.js';
import { FAST_WORLD } from './emulator-harness.js';

/**
 * `copro mqtt pub|sub` in process on `emu:` modules (one per command, as two shells would run
 * them) against an aedes broker on loopback; stdin/stdout/stderr as streams.
 */

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await stopAll();
});

class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

function streams(input?: string, tty = false) {
  const stdin = new PassThrough();
  if (input !== undefined) stdin.end(input);
  return { stdin, stdout: new Sink(), stderr: new Sink(tty) };
}

async function broker(): Promise<TestBroker> {
  const started = await TestBroker.start();
  stops.push(() => started.close());
  return started;
}

/** The MQTT client is under test, not the radio: the lab AP's join at 1 % of its time. */
const device = { device: 'emu:', baud: 115200, emulator: { world: FAST_WORLD } };

describe('copro mqtt', () => {
  it('pub sends MESSAGE, stdin lines with -l, and stdin whole; sub prints them one per line (-v: with the topic)', async () => {
    const server = await broker();
    const subIo = streams(undefined, true);
    const sub = runMqttSub('127.0.0.1', ['cli/#'], { ...device, port: server.port, id: 'sub', verbose: true, count: 4, qos: 1 }, subIo);
    // The subscriber is up once the broker has its subscription.
    await withTimeout(
      (async () => {
        while (!subIo.stderr.text.includes('subscribed to cli/#')) await new Promise((r) => setTimeout(r, 20));
      })(),
      10_000,
      'the subscription',
    );
    await runMqttPub('127.0.0.1', 'cli/a', 'one', { ...device, port: server.port, id: 'pub1', qos: 1 }, streams());
    await runMqttPub('127.0.0.1', 'cli/b', undefined, { ...device, port: server.port, id: 'pub2', lines: true, qos: 1 }, streams('two\r\nthree\n'));
    await runMqttPub('127.0.0.1', 'cli/c', undefined, { ...device, port: server.port, id: 'pub3', retain: true }, streams('four, "whole"'));
    await withTimeout(sub, 15_000, 'copro mqtt sub -C 4');
    expect(subIo.stdout.text).toBe('cli/a one\ncli/b two\ncli/b three\ncli/c four, "whole"\n');
    // On a terminal: what happened, on stderr.
    expect(subIo.stderr.text).toContain(`copro mqtt: connected to 127.0.0.1:${server.port} through ESP-AT`);
    expect(server.published.map((p) => [p.topic, p.payload.toString(), p.retain])).toEqual([
      ['cli/a', 'one', false],
      ['cli/b', 'two', false],
      ['cli/b', 'three', false],
      ['cli/c', 'four, "whole"', true],
    ]);
  });

  it('fails clearly when no broker answers', async () => {
    const server = await broker();
    const port = server.port;
    await server.close();
    stops.length = 0;
    const error = await runMqttPub('127.0.0.1', 't', 'x', { ...device, port }, streams()).catch((e: unknown) => e);
    expect(isOSError(error, 'ECONNREFUSED')).toBe(true);
  });
});
