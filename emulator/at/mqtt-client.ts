import { MQTT_ERRORS, MQTT_STATES, mqttScheme } from '../../firmware-protocol/at/commands/mqtt.js';
import { formatUrc, mqttSubRecv } from '../../firmware-protocol/at/module-output.js';
import type { MqttBehaviour } from '../../firmware-protocol/at/profile.js';
import type { ClockTimer } from '../../runtime/clock.js';
import { MqttConnectError, MqttSession, type MqttSessionConfig, type MqttTls } from '../mqtt/mqtt-session.js';
import type { ModuleCore } from './module-core.js';
import { certificateStore } from './pki-store.js';
import { certificateClock } from './ssl-client.js';

/**
 * The AT side of the module's MQTT client (link 0, the only one the firmware has): the settings
 * AT+MQTTUSERCFG and its companions make, the connection state AT+MQTTCONN? and AT+MQTTSUB? report,
 * the subscriptions, and the URCs: `+MQTTCONNECTED`, `+MQTTDISCONNECTED`, `+MQTTSUBRECV`. A lost
 * connection with `<reconnect>` 1 is tried again every reconnect interval and resubscribed.
 * A reset forgets all of it (the state belongs to one boot: the module's epoch).
 */

export interface MqttUserConfig {
  scheme: number;
  clientId: string;
  username: string;
  password: string;
  certKeyId: number;
  caId: number;
  path: string;
  keepaliveSec: number;
  cleanSession: boolean;
  will: { topic: string; payload: string; qos: 0 | 1 | 2; retain: boolean } | null;
  alpn: string[];
  connConfigured: boolean;
  /** AT+MQTTSNI (4.x); null: the host name of the URL. */
  sni: string | null;
}

interface Target {
  readonly host: string;
  readonly port: number;
  readonly reconnect: boolean;
}

export class MqttLink {
  config: MqttUserConfig | null = null;
  target: Target | null = null;
  session: MqttSession | null = null;
  phase: 'idle' | 'connecting' | 'connected' | 'disconnected' = 'idle';
  readonly subscriptions = new Map<string, 0 | 1 | 2>();
  /** A topic was unsubscribed since the connection came up (state 5 when none is left). */
  unsubscribed = false;
  private reconnectTimer: ClockTimer | null = null;

  constructor(
    private readonly core: ModuleCore,
    readonly epoch: number,
  ) {}

  get behaviour(): MqttBehaviour {
    const behaviour = this.core.profile.mqtt;
    if (behaviour === undefined) throw new Error(`${this.core.profile.title} has no MQTT client`);
    return behaviour;
  }

  /** `<state>` of AT+MQTTCONN? and AT+MQTTSUB?. */
  get state(): number {
    if (this.config === null) return MQTT_STATES.uninitialised;
    switch (this.phase) {
      case 'idle':
      case 'connecting':
        return this.config.connConfigured ? MQTT_STATES.connConfigured : MQTT_STATES.userConfigured;
      case 'disconnected':
        return MQTT_STATES.disconnected;
      case 'connected':
        if (this.subscriptions.size > 0) return MQTT_STATES.subscribed;
        return this.unsubscribed ? MQTT_STATES.connectedNoTopic : MQTT_STATES.connected;
    }
  }

  /** The path as the connection's URI has it: `ws://host:port/<path>` gives `/<path>`, `mqtt://` none. */
  get uriPath(): string {
    if (this.config === null) return '';
    return mqttScheme(this.config.scheme).transport === 'ws' ? `/${this.config.path}` : '';
  }

  private isCurrent(): boolean {
    return this.core.isCurrent(this.epoch) && linkOf(this.core) === this;
  }

  /** The TLS settings of the scheme from the certificate store; a code when an entry is missing. */
  tlsSettings(host: string): MqttTls | null | { readonly missing: number } {
    const config = this.config!;
    const scheme = mqttScheme(config.scheme);
    if (!scheme.tls) return null;
    const store = certificateStore(this.core, 'mqtt');
    const ca = store.caCerts[config.caId];
    const client = store.clientCerts[config.certKeyId];
    if (scheme.verifyServer && !ca) return { missing: MQTT_ERRORS.CA_READ_FAILED };
    if (scheme.clientCert && !client) return { missing: MQTT_ERRORS.CERT_READ_FAILED };
    const isName = !/^[0-9.]+$/.test(host) && !host.includes(':');
    return {
      // esp-tls sends the broker's host name as SNI (never an address), or AT+MQTTSNI's name.
      servername: config.sni ?? (isName ? host : null),
      // esp-tls checks the server certificate against the broker's host name.
      verify: scheme.verifyServer && ca ? { caPem: [ca.pem], hostname: host, ...certificateClock(this.core) } : null,
      clientCredential: scheme.clientCert && client ? { certPem: client.certPem, keyPem: client.keyPem } : null,
      alpn: config.alpn,
    };
  }

  sessionConfig(target: Target, tls: MqttTls | null): MqttSessionConfig {
    const config = this.config!;
    return {
      host: target.host,
      port: target.port,
      transport: mqttScheme(config.scheme).transport,
      tls,
      path: this.uriPath,
      clientId: config.clientId,
      username: config.username,
      password: config.password,
      keepaliveSec: config.keepaliveSec === 0 ? this.behaviour.defaultKeepaliveSec : config.keepaliveSec,
      cleanSession: config.cleanSession,
      will: config.will,
      // A network deadline: real duration (as CIPSTART's), on the module's clock.
      connectTimeoutMs: this.behaviour.connectTimeoutMs,
      clock: this.core.clock,
    };
  }

  /** Opens the connection; resolves once it is up (the URC printed), rejects MqttConnectError. */
  async connect(target: Target, tls: MqttTls | null): Promise<void> {
    this.target = target;
    this.phase = 'connecting';
    const session = await MqttSession.connect(this.core.stack, this.sessionConfig(target, tls), {
      onMessage: (topic, payload, qos) => this.received(topic, payload, qos),
      onLost: (why) => this.lost(session, why),
    }).catch((error: unknown) => {
      if (this.isCurrent()) this.phase = 'idle';
      throw error;
    });
    if (!this.isCurrent()) {
      session.destroy();
      throw new MqttConnectError('network', 'the module was reset');
    }
    this.session = session;
    this.phase = 'connected';
    this.unsubscribed = false;
    this.announceConnected();
  }

  private announceConnected(): void {
    const { config, target } = this;
    if (config === null || target === null) return;
    this.core.urc(
      formatUrc({
        kind: 'mqtt-connected',
        link: 0,
        scheme: config.scheme,
        host: target.host,
        port: String(target.port),
        path: this.uriPath,
        reconnect: target.reconnect ? 1 : 0,
      }),
    );
  }

  announceDisconnected(): void {
    this.core.urc(formatUrc({ kind: 'mqtt-disconnected', link: 0 }));
  }

  /** One message, in as many `+MQTTSUBRECV` as esp-mqtt's buffer makes of it. */
  private received(topic: string, payload: Buffer, qos: number): void {
    if (!this.isCurrent()) return;
    for (const part of splitMessage(this.behaviour.bufferSize, topic, payload, qos)) {
      this.core.urc(mqttSubRecv(this.core.profile, 0, part.topic, part.data));
    }
  }

  private lost(session: MqttSession, why: string): void {
    if (!this.isCurrent() || this.session !== session) return;
    this.core.tracer.note(`MQTT: ${why}`);
    this.session = null;
    this.phase = 'disconnected';
    this.announceDisconnected();
    if (this.target?.reconnect) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.cancelReconnect();
    this.reconnectTimer = this.core.clock.setTimeout(() => {
      this.reconnectTimer = null;
      void this.reconnect();
    }, this.core.scaledMs(this.behaviour.reconnectMs));
  }

  private async reconnect(): Promise<void> {
    const target = this.target;
    if (!this.isCurrent() || target === null || this.phase !== 'disconnected') return;
    const tls = this.tlsSettings(target.host);
    if (tls !== null && 'missing' in tls) return;
    try {
      await this.connect(target, tls);
    } catch (error) {
      if (!this.isCurrent()) return;
      this.core.tracer.note(`MQTT reconnect failed: ${(error as Error).message}`);
      this.phase = 'disconnected';
      this.scheduleReconnect();
      return;
    }
    // The firmware subscribes its topics again on every connect.
    for (const [topic, qos] of this.subscriptions) {
      await this.session?.subscribe(topic, qos).catch(() => undefined);
    }
  }

  cancelReconnect(): void {
    if (this.reconnectTimer !== null) this.core.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  /** AT+MQTTCLEAN: DISCONNECT, and everything forgotten. */
  async clean(): Promise<void> {
    this.cancelReconnect();
    const session = this.session;
    this.session = null;
    this.config = null;
    this.target = null;
    this.phase = 'idle';
    this.subscriptions.clear();
    await session?.end(this.behaviour.commandTimeoutMs);
  }
}

/**
 * esp-mqtt reads a PUBLISH into a buffer of `bufferSize` bytes: the first part holds what fits
 * after the fixed header, topic and packet id; each further part up to a whole buffer, and has no
 * topic of its own.
 */
export function splitMessage(bufferSize: number, topic: string, payload: Buffer, qos = 0): { topic: string; data: Buffer }[] {
  const topicBytes = Buffer.byteLength(topic, 'utf8');
  const variable = 2 + topicBytes + (qos > 0 ? 2 : 0);
  const remaining = variable + payload.length;
  const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
  const first = Math.max(0, bufferSize - 1 - lengthBytes - variable);
  if (payload.length <= first) return [{ topic, data: payload }];
  const parts = [{ topic, data: payload.subarray(0, first) }];
  for (let offset = first; offset < payload.length; offset += bufferSize) {
    parts.push({ topic: '', data: payload.subarray(offset, offset + bufferSize) });
  }
  return parts;
}

const LINKS = new WeakMap<ModuleCore, MqttLink>();

/** The module's MQTT link of this boot (a reset leaves the previous one behind, its connection aborted). */
export function linkOf(core: ModuleCore): MqttLink {
  let link = LINKS.get(core);
  if (link === undefined || link.epoch !== core.epoch) {
    if (link !== undefined) {
      link.cancelReconnect();
      link.session?.destroy();
    }
    link = new MqttLink(core, core.epoch);
    LINKS.set(core, link);
  }
  return link;
}
