/**
 * `copro mqtt pub|sub`: the module's own MQTT client (ESP-AT's AT+MQTT*) through the driver's
 * `open(device).mqtt`. `pub` publishes MESSAGE, or stdin (one message, or one per line with -l);
 * `sub` writes each message's payload to stdout, one per line (`-v`: `topic payload`), until
 * interrupted or -C messages came. Progress goes to stderr, and only when stderr is a terminal.
 */
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { MqttConnectOptions, MqttMessage, MqttQos } from '../../src/mqtt.js';
import type { Coprocessor } from '../../src/open.js';
import { onSignals, openDevice, parsePort, withDeviceOptions } from '../../src/tools/cli-device.js';
import type { DeviceOptions } from '../../src/tools/cli-device.js';
import { reportAndExit } from '../fail.js';

export interface MqttCliOptions extends DeviceOptions {
  readonly port?: number;
  readonly ws?: boolean;
  readonly path?: string;
  readonly tls?: boolean;
  readonly verify?: boolean;
  readonly cert?: boolean;
  readonly id?: string;
  readonly username?: string;
  readonly password?: string;
  readonly qos?: MqttQos;
  readonly keepalive?: number;
  readonly willTopic?: string;
  readonly willMessage?: string;
}

export interface MqttPubOptions extends MqttCliOptions {
  readonly retain?: boolean;
  readonly lines?: boolean;
}

export interface MqttSubOptions extends MqttCliOptions {
  readonly verbose?: boolean;
  readonly count?: number;
}

export interface MqttStreams {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
}

/** After the last counted message, parts of it may still come: wait for this much quiet. */
const LAST_PART_QUIET_MS = 300;

class Progress {
  private messages = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly stderr: MqttStreams['stderr'],
    private readonly verb: string,
  ) {}
  get live(): boolean {
    return this.stderr.isTTY === true;
  }
  say(text: string): void {
    if (this.live) this.stderr.write(`\r\x1b[Kcopro mqtt: ${text}\n`);
  }
  start(): void {
    if (this.live) this.timer = setInterval(() => this.stderr.write(`\r\x1b[K${this.messages} messages ${this.verb}`), 250);
  }
  count(): void {
    this.messages += 1;
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.live) this.stderr.write('\r\x1b[K');
  }
}

function parseQos(value: string): MqttQos {
  if (value !== '0' && value !== '1' && value !== '2') throw new InvalidArgumentError('expected 0, 1 or 2');
  return Number(value) as MqttQos;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function connectOptions(host: string, opts: MqttCliOptions): MqttConnectOptions {
  const tls = opts.tls || opts.verify || opts.cert ? { verifyServer: opts.verify === true, clientCertificate: opts.cert === true } : undefined;
  const defaultPort = opts.ws ? (tls ? 443 : 80) : tls ? 8883 : 1883;
  return {
    host,
    port: opts.port ?? defaultPort,
    transport: opts.ws ? 'ws' : 'tcp',
    ...(tls ? { tls } : {}),
    clientId: opts.id ?? `copro-${process.pid}`,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(opts.keepalive !== undefined ? { keepaliveSec: opts.keepalive } : {}),
    ...(opts.willTopic !== undefined ? { will: { topic: opts.willTopic, message: opts.willMessage ?? '', qos: opts.qos ?? 0 } } : {}),
  };
}

async function connected(host: string, opts: MqttCliOptions, progress: Progress): Promise<Coprocessor> {
  const copro = await openDevice(opts);
  try {
    const options = connectOptions(host, opts);
    await copro.mqtt.connect(options);
    progress.say(`connected to ${options.host}:${options.port} through ${copro.backend.info.name}`);
    return copro;
  } catch (error) {
    await copro.close();
    throw error;
  }
}

async function readAll(stdin: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* lines(stdin: Readable): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0);
  for await (const chunk of stdin as AsyncIterable<Buffer>) {
    rest = Buffer.concat([rest, Buffer.from(chunk)]);
    for (let end = rest.indexOf(0x0a); end >= 0; end = rest.indexOf(0x0a)) {
      yield rest.subarray(0, end > 0 && rest[end - 1] === 0x0d ? end - 1 : end);
      rest = rest.subarray(end + 1);
    }
  }
  if (rest.length > 0) yield rest;
}

export async function runMqttPub(host: string, topic: string, message: string | undefined, opts: MqttPubOptions, streams: MqttStreams): Promise<void> {
  const progress = new Progress(streams.stderr, 'published');
  const copro = await connected(host, opts, progress);
  try {
    progress.start();
    const publish = async (payload: string | Uint8Array) => {
      await copro.mqtt.publish(topic, payload, { qos: opts.qos ?? 0, retain: opts.retain === true });
      progress.count();
    };
    if (message !== undefined) await publish(message);
    else if (opts.lines) {
      for await (const line of lines(streams.stdin)) if (line.length > 0) await publish(line);
    } else await publish(await readAll(streams.stdin));
    await copro.mqtt.close();
  } finally {
    progress.stop();
    await copro.close();
  }
}

export async function runMqttSub(host: string, topics: readonly string[], opts: MqttSubOptions, streams: MqttStreams): Promise<void> {
  const progress = new Progress(streams.stderr, 'received');
  const copro = await connected(host, opts, progress);
  let stopSignals = (): void => undefined;
  try {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    stopSignals = onSignals(finish);
    let received = 0;
    let quiet: NodeJS.Timeout | null = null;
    let lineOpen = false;
    copro.mqtt.onMessage((message: MqttMessage) => {
      const enough = opts.count !== undefined && received >= opts.count;
      if (enough && !message.continued) return; // one more than asked for: not ours
      if (!message.continued) {
        if (lineOpen) streams.stdout.write('\n');
        if (opts.verbose) streams.stdout.write(`${message.topic} `);
        received += 1;
        progress.count();
      }
      streams.stdout.write(message.payload);
      lineOpen = true;
      if (opts.count !== undefined && received >= opts.count) {
        if (quiet) clearTimeout(quiet);
        quiet = setTimeout(finish, LAST_PART_QUIET_MS);
      }
    });
    copro.mqtt.onConnection((up) => progress.say(up ? 'reconnected' : 'connection lost'));
    for (const topic of topics) {
      await copro.mqtt.subscribe(topic, opts.qos ?? 0);
      progress.say(`subscribed to ${topic}`);
    }
    progress.start();
    await done;
    if (quiet) clearTimeout(quiet);
    if (lineOpen) streams.stdout.write('\n');
    await copro.mqtt.close();
  } finally {
    stopSignals();
    progress.stop();
    await copro.close();
  }
}

function withMqttOptions(command: Command): Command {
  return withDeviceOptions(command)
    .option('-p, --port <port>', 'broker port (default 1883; 8883 with TLS; 80/443 with --ws)', parsePort)
    .option('--ws', 'MQTT over WebSocket (subprotocol mqtt)')
    .option('--path <path>', 'WebSocket path, without its leading /')
    .option('--tls', "TLS run by the module (no verification unless --verify)")
    .option('--verify', "verify the broker with the module's CA 0 (implies --tls)")
    .option('--cert', "present the module's client certificate 0 (implies --tls)")
    .option('-i, --id <client-id>', 'client id (default copro-<pid>)')
    .option('-u, --username <name>', 'username')
    .option('-P, --password <password>', 'password')
    .option('-q, --qos <qos>', 'QoS 0, 1 or 2', parseQos)
    .option('-k, --keepalive <seconds>', 'keepalive (default: the firmware\'s, 120 s)', parseCount)
    .option('--will-topic <topic>', 'last will topic')
    .option('--will-message <text>', 'last will message');
}

export function registerMqtt(program: Command): void {
  const mqtt = program.command('mqtt').description("publish and subscribe with the module's own MQTT client (AT+MQTT*)");
  withMqttOptions(
    mqtt
      .command('pub')
      .description('publish MESSAGE (or stdin: one message, or one per line with -l) to TOPIC')
      .argument('<host>', 'broker host name or address (resolved by the module)')
      .argument('<topic>', 'topic')
      .argument('[message]', 'the message (default: stdin)')
      .option('-r, --retain', 'retain the message')
      .option('-l, --lines', 'one message per line of stdin'),
  ).action(async (host: string, topic: string, message: string | undefined, opts: MqttPubOptions) => {
    try {
      await runMqttPub(host, topic, message, opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
      process.exit(0);
    } catch (err) {
      reportAndExit(err);
    }
  });
  withMqttOptions(
    mqtt
      .command('sub')
      .description('print the messages on TOPIC... one per line, until interrupted (or -C N messages)')
      .argument('<host>', 'broker host name or address (resolved by the module)')
      .argument('<topic...>', 'topics (wildcards allowed)')
      .option('-v, --verbose', 'print the topic before each message')
      .option('-C, --count <n>', 'exit after N messages', parseCount),
  ).action(async (host: string, topics: string[], opts: MqttSubOptions) => {
    try {
      await runMqttSub(host, topics, opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
      process.exit(0);
    } catch (err) {
      reportAndExit(err);
    }
  });
}
