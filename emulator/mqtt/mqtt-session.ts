import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { MqttClient, type IClientOptions } from 'mqtt';
import { WebSocket, createWebSocketStream } from 'ws';
import type { Clock } from '../../runtime/clock.js';
import { StackError, type NetworkStack, type TlsClientCredential, type TlsVerification, type VirtualLink } from '../network/types.js';
import { LinkStream } from './link-stream.js';

/**
 * One MQTT connection of the emulated module: MQTT.js speaking MQTT 3.1.1 (esp-mqtt's default) on
 * a stream of the virtual network stack, so names resolve through the radio world and the
 * outbound policy decides as for any socket of the module. It knows nothing of AT: the front end
 * (emulator/at/handlers/mqtt-*.ts) turns its outcomes into the firmware's lines.
 *
 * The transport is TCP or TLS, with WebSocket framing (`ws`, subprotocol `mqtt`) on top for the
 * WebSocket schemes. MQTT.js never reconnects by itself: a session is one connection, and the
 * front end makes a new one when the firmware would reconnect.
 */

export interface MqttTls {
  /** SNI; null = none (an IP address is never sent). */
  readonly servername: string | null;
  readonly verify: TlsVerification | null;
  readonly clientCredential: TlsClientCredential | null;
  readonly alpn: readonly string[];
}

export interface MqttWill {
  readonly topic: string;
  readonly payload: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

export interface MqttSessionConfig {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tcp' | 'ws';
  readonly tls: MqttTls | null;
  /** WebSocket path, `/` included. */
  readonly path: string;
  readonly clientId: string;
  /** Empty = not sent. */
  readonly username: string;
  readonly password: string;
  readonly keepaliveSec: number;
  readonly cleanSession: boolean;
  readonly will: MqttWill | null;
  /** Connect, handshakes and CONNACK together, on `clock`. */
  readonly connectTimeoutMs: number;
  /** The module's clock: the connect deadline runs on it. */
  readonly clock: Clock;
}

export interface MqttSessionEvents {
  /** A PUBLISH from the broker (its QoS: a packet id comes with 1 and 2). */
  onMessage(topic: string, payload: Buffer, qos: number): void;
  /** The connection ended after it was up (not called for our own end()). */
  onLost(why: string): void;
}

/** Why a connect failed: the network (StackError code), the broker's CONNACK, or the deadline. */
export class MqttConnectError extends Error {
  constructor(
    readonly reason: 'network' | 'tls' | 'refused' | 'timeout' | 'protocol',
    message: string,
  ) {
    super(message);
    this.name = 'MqttConnectError';
  }
}

function deadline<T>(clock: Clock, work: Promise<T>, ms: number, what: string, onLate: () => void): Promise<T> {
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => {
      onLate();
      reject(new MqttConnectError('timeout', `${what}: no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => {
    if (timer !== undefined) clock.clearTimeout(timer);
  });
}

async function openLink(stack: NetworkStack, config: MqttSessionConfig, timeoutMs: number): Promise<VirtualLink> {
  const ip = isIP(config.host) !== 0 ? config.host : await stack.resolve(config.host, timeoutMs);
  if (config.tls === null) return stack.connectTcp({ host: ip, port: config.port, timeoutMs });
  return stack.connectTls({
    host: ip,
    port: config.port,
    timeoutMs,
    servername: config.tls.servername,
    alpn: config.tls.alpn,
    verify: config.tls.verify,
    clientCredential: config.tls.clientCredential,
    maxVersion: 'TLSv1.2',
  });
}

/** WebSocket upgrade on the link; resolves with the message stream once the server accepted it. */
function openWebSocket(link: LinkStream, config: MqttSessionConfig): Promise<Duplex> {
  const socket = new WebSocket(`ws://${config.host}:${config.port}${config.path}`, ['mqtt'], {
    createConnection: () => link,
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(createWebSocketStream(socket)));
    socket.once('error', (error) => reject(new MqttConnectError('protocol', `WebSocket: ${error.message}`)));
    socket.once('unexpected-response', (_request, response) => {
      reject(new MqttConnectError('protocol', `WebSocket upgrade refused: HTTP ${response.statusCode ?? '?'}`));
      link.destroy();
    });
  });
}

function networkFailure(error: unknown): MqttConnectError {
  if (error instanceof MqttConnectError) return error;
  if (error instanceof StackError) return new MqttConnectError(error.code === 'tls' ? 'tls' : 'network', `${error.code}: ${error.message}`);
  return new MqttConnectError('network', error instanceof Error ? error.message : String(error));
}

export class MqttSession {
  private client: MqttClient | null = null;
  private ending = false;
  private lost = false;

  private constructor(
    private readonly events: MqttSessionEvents,
    private readonly clock: Clock,
  ) {}

  /** Connects and waits for the broker's CONNACK; rejects MqttConnectError. */
  static async connect(stack: NetworkStack, config: MqttSessionConfig, events: MqttSessionEvents): Promise<MqttSession> {
    const session = new MqttSession(events, config.clock);
    let link: LinkStream | null = null;
    const work = (async () => {
      const virtual = await openLink(stack, config, config.connectTimeoutMs);
      link = new LinkStream(virtual);
      const stream = config.transport === 'ws' ? await openWebSocket(link, config) : link;
      await session.handshake(stream, config);
    })();
    try {
      await deadline(config.clock, work.catch((error: unknown) => Promise.reject(networkFailure(error))), config.connectTimeoutMs, 'MQTT connect', () =>
        session.destroy(),
      );
    } catch (error) {
      session.destroy();
      (link as LinkStream | null)?.destroy();
      throw error;
    }
    return session;
  }

  private handshake(stream: Duplex, config: MqttSessionConfig): Promise<void> {
    const options: IClientOptions = {
      clientId: config.clientId,
      keepalive: config.keepaliveSec,
      clean: config.cleanSession,
      protocolVersion: 4,
      reconnectPeriod: 0,
      // The deadline is ours (on the module's clock); MQTT.js's own only as a backstop.
      connectTimeout: config.connectTimeoutMs * 2 + 1000,
      ...(config.username === '' ? {} : { username: config.username }),
      ...(config.password === '' ? {} : { password: config.password }),
      ...(config.will === null
        ? {}
        : { will: { topic: config.will.topic, payload: Buffer.from(config.will.payload, 'latin1'), qos: config.will.qos, retain: config.will.retain } }),
    };
    const client = new MqttClient(() => stream, options);
    this.client = client;
    return new Promise((resolve, reject) => {
      let up = false;
      client.on('connect', () => {
        up = true;
        resolve();
      });
      client.on('error', (error: Error & { code?: number }) => {
        if (!up) reject(new MqttConnectError(typeof error.code === 'number' ? 'refused' : 'protocol', error.message));
      });
      client.on('message', (topic, payload, packet) => this.events.onMessage(topic, payload, packet.qos));
      client.on('close', () => {
        if (!up) {
          reject(new MqttConnectError('network', 'the broker closed the connection before CONNACK'));
          return;
        }
        if (this.ending || this.lost) return;
        this.lost = true;
        this.events.onLost('the connection to the broker ended');
      });
    });
  }

  get connected(): boolean {
    return this.client?.connected === true && !this.lost;
  }

  publish(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean): Promise<void> {
    const client = this.require();
    return client.publishAsync(topic, Buffer.from(payload), { qos, retain }).then(() => undefined);
  }

  /** Resolves with the granted QoS (128 = refused by the broker). */
  async subscribe(topic: string, qos: 0 | 1 | 2): Promise<number> {
    const granted = await this.require().subscribeAsync(topic, { qos });
    return granted[0]?.qos ?? 128;
  }

  async unsubscribe(topic: string): Promise<void> {
    await this.require().unsubscribeAsync(topic);
  }

  /**
   * DISCONNECT and close (AT+MQTTCLEAN); no onLost. Messages still unacknowledged get `graceMs`
   * (module clock); then the connection is dropped.
   */
  async end(graceMs: number): Promise<void> {
    this.ending = true;
    const client = this.client;
    if (client === null) return;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const late = new Promise<void>((resolve) => (timer = this.clock.setTimeout(resolve, graceMs)));
    await Promise.race([client.endAsync(false).catch(() => undefined), late]);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    if (!client.disconnected) client.end(true);
  }

  /** Drops the connection at once, without DISCONNECT (reset, failed connect); no onLost. */
  destroy(): void {
    this.ending = true;
    this.client?.end(true);
  }

  private require(): MqttClient {
    if (this.client === null || !this.connected) throw new StackError('closed', 'not connected to the broker');
    return this.client;
  }
}
