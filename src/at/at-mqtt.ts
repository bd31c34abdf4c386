/**
 * The MQTT client of an ESP-AT module (AT+MQTT*), behind the driver's `Mqtt` interface. Every line
 * is formatted with the command table (formatRequest) and every reply read with its declaration
 * (readReply); URCs and `+MQTTSUBRECV` come from the AtClient's router.
 */
import { hasCommand } from '../../firmware-protocol/at/command-table.js';
import { MQTT_SCHEMES, MQTT_STATES, MQTT_TOPIC_MAX, mqttScheme, type MqttScheme } from '../../firmware-protocol/at/commands/mqtt.js';
import { readReply } from '../../firmware-protocol/at/grammar/replies.js';
import { CommandFormatError, formatRequest } from '../../firmware-protocol/at/host-commands.js';
import type { FirmwareProfile } from '../../firmware-protocol/at/profile.js';
import type { Urc } from '../../firmware-protocol/at/types.js';
import { osError } from '../errors.js';
import type { Mqtt, MqttConnectOptions, MqttMessage, MqttQos, MqttStatus } from '../mqtt.js';
import type { AtReply, AtRequest } from './at-client.js';
import { ensureModuleClock } from './module-clock.js';

/** ESP-AT answers within 10 s (MQTTCONN may take longer: DNS, TCP, TLS, CONNACK). */
const TIMEOUTS = { config: 5_000, connect: 45_000, command: 20_000 } as const;

export interface MqttEngine {
  command(request: AtRequest): Promise<AtReply>;
  readonly profile: FirmwareProfile;
}

function schemeOf(options: MqttConnectOptions): number {
  const tls = options.tls === undefined || options.tls === false ? null : options.tls === true ? {} : options.tls;
  const wanted: MqttScheme = {
    transport: options.transport ?? 'tcp',
    tls: tls !== null,
    verifyServer: tls?.verifyServer === true,
    clientCert: tls?.clientCertificate === true,
  };
  const found = Object.entries(MQTT_SCHEMES).find(([, scheme]) =>
    (Object.keys(wanted) as (keyof MqttScheme)[]).every((key) => scheme[key] === wanted[key]),
  );
  return Number(found?.[0] ?? 1);
}

/** A value the command table refuses (too long, out of range) is EINVAL. */
function tableRefusals<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    throw error instanceof CommandFormatError ? osError('EINVAL', error.message) : error;
  });
}

function payloadBytes(payload: string | Uint8Array): Uint8Array {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

export class AtMqtt implements Mqtt {
  private readonly messageListeners = new Set<(message: MqttMessage) => void>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private lastTopic = '';

  constructor(private readonly engine: MqttEngine) {}

  private get profile(): FirmwareProfile {
    return this.engine.profile;
  }

  private request(line: Uint8Array, timeoutMs: number = TIMEOUTS.command, payload?: Uint8Array): AtRequest {
    return payload === undefined ? { line, timeoutMs } : { line, timeoutMs, payload, endsAtInfo: 'MQTTPUB' };
  }

  /** `work`, on a firmware that has the MQTT commands (EOPNOTSUPP elsewhere). */
  private supported<T>(work: () => Promise<T>): Promise<T> {
    if (!hasCommand(this.profile, 'MQTTCONN')) return Promise.reject(osError('EOPNOTSUPP', `${this.profile.title} has no MQTT client`));
    return work();
  }

  /** Runs a command; ERROR becomes `failure`. A line longer than the module takes is EINVAL. */
  private async run(request: AtRequest, failure: () => Error): Promise<AtReply> {
    if (!hasCommand(this.profile, 'MQTTCONN')) throw osError('EOPNOTSUPP', `${this.profile.title} has no MQTT client`);
    if (!this.fits(request.line)) throw osError('EINVAL', `the command is longer than the module's ${this.profile.limits.maxLineLength}-byte line`);
    const reply = await this.engine.command(request);
    if (reply.result !== 'OK') throw failure();
    return reply;
  }

  private fits(line: Uint8Array): boolean {
    return line.length - 2 <= this.profile.limits.maxLineLength;
  }

  connect(options: MqttConnectOptions): Promise<void> {
    return this.supported(() => tableRefusals(this.connectNow(options)));
  }

  private async connectNow(options: MqttConnectOptions): Promise<void> {
    const profile = this.profile;
    const scheme = schemeOf(options);
    const invalid = (what: string) => () => osError('EINVAL', `the module refused ${what}`);
    // A connection already up (or configured) is released first: AT+MQTTUSERCFG needs it idle.
    await this.close();
    const identity = { client_id: options.clientId, username: options.username ?? '', password: options.password ?? '' };
    const userConfig = (values: typeof identity) =>
      formatRequest(profile, 'MQTTUSERCFG', 'set', { link_id: 0, scheme, ...values, cert_key_ID: 0, CA_ID: 0, path: options.path ?? '' });
    const full = userConfig(identity);
    if (this.fits(full)) {
      await this.run(this.request(full, TIMEOUTS.config), invalid('the MQTT user configuration'));
    } else {
      // The whole line would pass the module's 256 bytes: the long values go one command each.
      await this.run(this.request(userConfig({ client_id: '', username: '', password: '' }), TIMEOUTS.config), invalid('the MQTT user configuration'));
      await this.run(this.request(formatRequest(profile, 'MQTTCLIENTID', 'set', { link_id: 0, client_id: identity.client_id })), invalid('the client id'));
      if (identity.username !== '') await this.run(this.request(formatRequest(profile, 'MQTTUSERNAME', 'set', { link_id: 0, username: identity.username })), invalid('the username'));
      if (identity.password !== '') await this.run(this.request(formatRequest(profile, 'MQTTPASSWORD', 'set', { link_id: 0, password: identity.password })), invalid('the password'));
    }
    const will = options.will;
    if (options.keepaliveSec !== undefined || options.cleanSession !== undefined || will !== undefined) {
      const params = {
        link_id: 0,
        keepalive: options.keepaliveSec ?? 0,
        disable_clean_session: options.cleanSession === false ? 1 : 0,
        ...(will === undefined ? {} : { lwt_topic: will.topic, lwt_msg: will.message, lwt_qos: will.qos ?? 0, lwt_retain: will.retain ? 1 : 0 }),
      };
      await this.run(this.request(formatRequest(profile, 'MQTTCONNCFG', 'set', params), TIMEOUTS.config), invalid('the connection configuration'));
    }
    const alpn = typeof options.tls === 'object' ? (options.tls.alpn ?? []) : [];
    if (alpn.length > 0) {
      const [alpn1, alpn2, alpn3, alpn4, alpn5] = alpn;
      const params = { link_id: 0, alpn_counts: Math.min(alpn.length, 5), alpn1, alpn2, alpn3, alpn4, alpn5 };
      await this.run(this.request(formatRequest(profile, 'MQTTALPN', 'set', params), TIMEOUTS.config), invalid('the ALPN list'));
    }
    // The schemes that verify the broker check its certificate's dates by the module's clock.
    if (mqttScheme(scheme).verifyServer) await ensureModuleClock(profile, (request) => this.engine.command(request));
    const line = formatRequest(profile, 'MQTTCONN', 'set', { link_id: 0, host: options.host, port: options.port, reconnect: options.reconnect ? 1 : 0 });
    await this.run(this.request(line, TIMEOUTS.connect), () =>
      osError('ECONNREFUSED', `the module could not connect to the MQTT broker ${options.host}:${options.port}`),
    );
  }

  publish(topic: string, payload: string | Uint8Array, options: { readonly qos?: MqttQos; readonly retain?: boolean } = {}): Promise<void> {
    return this.supported(() => tableRefusals(this.publishNow(topic, payload, options)));
  }

  private async publishNow(topic: string, payload: string | Uint8Array, options: { readonly qos?: MqttQos; readonly retain?: boolean }): Promise<void> {
    this.checkTopic(topic);
    const data = payloadBytes(payload);
    const qos = options.qos ?? 0;
    const retain = options.retain ? 1 : 0;
    const failed = () => osError('EIO', `the module could not publish to ${topic} (not connected, or the broker did not acknowledge)`);
    const text = Buffer.from(data).toString('utf8');
    const simple = data.length > 0 && !data.some((byte) => byte === 0 || byte === 0x0d || byte === 0x0a) && Buffer.from(text, 'utf8').equals(Buffer.from(data));
    if (simple) {
      const line = formatRequest(this.profile, 'MQTTPUB', 'set', { link_id: 0, topic, data: text, qos, retain });
      if (this.fits(line)) {
        await this.run(this.request(line), failed);
        return;
      }
    }
    if (data.length === 0) throw osError('EINVAL', 'the module does not publish empty messages');
    const line = formatRequest(this.profile, 'MQTTPUBRAW', 'set', { link_id: 0, topic, length: data.length, qos, retain });
    const reply = await this.run(this.request(line, TIMEOUTS.command, data), failed);
    if (readReply(this.profile, 'MQTTPUBRAW', reply).result?.result !== 'OK') throw failed();
  }

  subscribe(topic: string, qos: MqttQos = 0): Promise<void> {
    return this.supported(() => tableRefusals(this.subscribeNow(topic, qos)));
  }

  private async subscribeNow(topic: string, qos: MqttQos): Promise<void> {
    this.checkTopic(topic);
    const line = formatRequest(this.profile, 'MQTTSUB', 'set', { link_id: 0, topic, qos });
    const reply = await this.run(this.request(line), () => osError('EIO', `the module could not subscribe to ${topic}`));
    void reply; // `ALREADY SUBSCRIBE` with OK: subscribed all the same.
  }

  unsubscribe(topic: string): Promise<void> {
    return this.supported(() => tableRefusals(this.unsubscribeNow(topic)));
  }

  private async unsubscribeNow(topic: string): Promise<void> {
    this.checkTopic(topic);
    const line = formatRequest(this.profile, 'MQTTUNSUB', 'set', { link_id: 0, topic });
    await this.run(this.request(line), () => osError('EIO', `the module could not unsubscribe from ${topic}`));
  }

  async subscriptions(): Promise<{ readonly topic: string; readonly qos: number }[]> {
    const reply = await this.run(this.request(formatRequest(this.profile, 'MQTTSUB', 'query'), TIMEOUTS.config), () => osError('EIO', 'AT+MQTTSUB? failed'));
    return readReply(this.profile, 'MQTTSUB', reply)
      .subscription.filter((line) => line.topic !== '')
      .map((line) => ({ topic: line.topic, qos: line.qos }));
  }

  async status(): Promise<MqttStatus> {
    const reply = await this.run(this.request(formatRequest(this.profile, 'MQTTCONN', 'query'), TIMEOUTS.config), () => osError('EIO', 'AT+MQTTCONN? failed'));
    const line = readReply(this.profile, 'MQTTCONN', reply).connection[0];
    const state = line?.state ?? MQTT_STATES.uninitialised;
    return {
      state,
      connected: state >= MQTT_STATES.connected,
      host: line?.host ?? '',
      port: line?.port ? Number(line.port) : null,
    };
  }

  async close(): Promise<void> {
    if (!hasCommand(this.profile, 'MQTTCLEAN')) return;
    // ERROR here means there was nothing to release.
    await this.engine.command(this.request(formatRequest(this.profile, 'MQTTCLEAN', 'set', { link_id: 0 }), TIMEOUTS.config));
  }

  onMessage(listener: (message: MqttMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onConnection(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** `+MQTTSUBRECV` (from the AtClient). */
  deliver(topic: string, payload: Uint8Array): void {
    const continued = topic === '' && this.lastTopic !== '';
    const message = { topic: continued ? this.lastTopic : topic, payload, continued };
    if (!continued) this.lastTopic = topic;
    for (const listener of this.messageListeners) listener(message);
  }

  /** `+MQTTCONNECTED` / `+MQTTDISCONNECTED`. */
  onUrc(urc: Extract<Urc, { kind: 'mqtt-connected' | 'mqtt-disconnected' }>): void {
    for (const listener of this.connectionListeners) listener(urc.kind === 'mqtt-connected');
  }

  private checkTopic(topic: string): void {
    if (topic === '' || Buffer.byteLength(topic) > MQTT_TOPIC_MAX) {
      throw osError('EINVAL', `MQTT topics are 1 to ${MQTT_TOPIC_MAX} bytes on the module`);
    }
  }
}
