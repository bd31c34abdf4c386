/**
 * The module's own MQTT client, for hosts that publish and subscribe through the coprocessor
 * rather than over a socket (ESP-AT's AT+MQTT* commands: src/at/at-mqtt.ts). Typed, protocol
 * neutral: `open(device).mqtt`. Errors are OSError with a real errno.
 */
import { osError } from './errors.js';

export type MqttQos = 0 | 1 | 2;

export interface MqttWill {
  readonly topic: string;
  readonly message: string;
  readonly qos?: MqttQos;
  readonly retain?: boolean;
}

export interface MqttConnectOptions {
  /** The broker's host name or address, as the module resolves it. */
  readonly host: string;
  readonly port: number;
  /** 'tcp' (default) or WebSocket framing ('ws', subprotocol `mqtt`). */
  readonly transport?: 'tcp' | 'ws';
  /**
   * TLS from the module's certificate store: `true` (no verification), or which store entries to
   * use: verify the broker with CA 0, present client certificate 0. Absent: no TLS.
   */
  readonly tls?: boolean | { readonly verifyServer?: boolean; readonly clientCertificate?: boolean; readonly alpn?: readonly string[] };
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  /** WebSocket path without its leading `/` (the module puts `ws://host:port/<path>`). */
  readonly path?: string;
  /** Seconds; 0 or absent = the firmware's default (120 s on ESP-AT). */
  readonly keepaliveSec?: number;
  /** Default true. */
  readonly cleanSession?: boolean;
  readonly will?: MqttWill;
  /** The module reconnects by itself after a lost connection (and subscribes again). */
  readonly reconnect?: boolean;
}

export interface MqttMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /**
   * A message longer than the module's MQTT buffer arrives in several parts; the later parts
   * carry no topic of their own and are given the topic of the part before (`continued` true).
   */
  readonly continued: boolean;
}

export interface MqttStatus {
  /** The firmware's `<state>`: 0 uninitialised ... 4 connected, 6 connected with subscriptions. */
  readonly state: number;
  readonly connected: boolean;
  readonly host: string;
  readonly port: number | null;
}

export interface Mqtt {
  /** Configures the client and connects; resolves once the broker accepted it. */
  connect(options: MqttConnectOptions): Promise<void>;
  publish(topic: string, payload: string | Uint8Array, options?: { readonly qos?: MqttQos; readonly retain?: boolean }): Promise<void>;
  subscribe(topic: string, qos?: MqttQos): Promise<void>;
  unsubscribe(topic: string): Promise<void>;
  /** The module's list of subscriptions. */
  subscriptions(): Promise<{ readonly topic: string; readonly qos: number }[]>;
  status(): Promise<MqttStatus>;
  /** Disconnects and forgets the configuration (AT+MQTTCLEAN). Idempotent. */
  close(): Promise<void>;
  /** Messages on subscribed topics; returns the unsubscribe function. */
  onMessage(listener: (message: MqttMessage) => void): () => void;
  /** Connection changes the module reports by itself (lost, reconnected). */
  onConnection(listener: (connected: boolean) => void): () => void;
}

/** For a back end whose firmware has no MQTT client: every call fails EOPNOTSUPP. */
export function unsupportedMqtt(why: string): Mqtt {
  const refuse = (): Promise<never> => Promise.reject(osError('EOPNOTSUPP', why));
  return {
    connect: refuse,
    publish: refuse,
    subscribe: refuse,
    unsubscribe: refuse,
    subscriptions: refuse,
    status: refuse,
    close: () => Promise.resolve(),
    onMessage: () => () => undefined,
    onConnection: () => () => undefined,
  };
}
