/**
 * The narrow interface between the usocket layer and a coprocessor protocol.
 *
 * usocket (src/usocket/) implements MicroPython's socket API on these few primitives and never
 * sees a protocol string; the ESP-AT back end (src/at/) implements them with AT commands, and a
 * binary NINA back end can implement them with SPI frames. Every primitive is non-blocking in the
 * MicroPython sense: it either can run now (`readable()`, `writable()`, `acceptable()`) or the
 * caller waits for `onChange` — the usocket layer alone decides how long (timeouts, EAGAIN).
 *
 * Errors are always `OSError` (src/errors.ts): a back end maps its protocol's failures there.
 */
import type { SecurityKind } from '../firmware-protocol/security.js';
import type { Clock } from './clock.js';
import type { OSError } from './errors.js';
import type { Mqtt } from './mqtt.js';
import type { ModuleHttp } from './http.js';

export interface Address {
  readonly ip: string;
  readonly port: number;
}

export type LinkKind = 'tcp' | 'udp' | 'tls';

/**
 * TLS parameters of a 'tls' link. Certificates are never sent per connection: a coprocessor keeps
 * them in its own store (flash), and these options only name store entries by index.
 */
export interface TlsOptions {
  /** SNI and certificate name check. */
  readonly serverHostname?: string;
  /** Verify the server with this CA entry of the module's store; absent = the server is not verified. */
  readonly caIndex?: number;
  /** Present this client certificate + key entry of the module's store; absent = none. */
  readonly clientCertIndex?: number;
  /** ALPN protocols to offer, most preferred first; absent or empty = no ALPN. */
  readonly alpn?: readonly string[];
}

export interface LinkSpec {
  readonly kind: LinkKind;
  /**
   * TCP/TLS: the peer. UDP: the default destination, or null for a socket that was only bound
   * (datagrams from anyone are received either way).
   */
  readonly remote: Address | null;
  /** UDP: the local port the module should use; absent = the back end picks one. */
  readonly localPort?: number;
  /** TCP keep-alive interval in seconds (SO_KEEPALIVE); absent or 0 = off. */
  readonly keepAliveSec?: number;
  readonly tls?: TlsOptions;
  /**
   * TCP/TLS: open the link in the module's transparent mode (SO_PASSTHROUGH; ESP-AT AT+CIPMODE=1):
   * raw bytes both ways, no per-send round trip, and the module serves no other link until it is
   * closed. Only when `BackendInfo.passthrough` says the back end has it.
   */
  readonly passthrough?: boolean;
}

/** Something whose readiness can change; the usocket layer waits on it. */
export interface Readiness {
  /**
   * Calls `listener` whenever readiness may have changed (data noticed, link closed, send
   * finished, client arrived, module reset). Returns the unsubscribe function. While at least
   * one listener is registered the back end knows someone is waiting, and may poll the module.
   */
  onChange(listener: () => void): () => void;
  /**
   * A waiter found nothing ready: ask the module soon (src/links/readiness.ts). The readiness checks
   * themselves are pure reads; a back end that is told everything leaves this out.
   */
  refresh?(): void;
}

export interface Received {
  /** Empty = orderly end of stream (TCP) — never used for "no data yet". */
  readonly data: Uint8Array;
  /** The sender, when the protocol reports it (UDP; TCP: the peer). */
  readonly from: Address | null;
}

/** One connection (TCP/TLS) or UDP association. */
export interface BackendLink extends Readiness {
  readonly kind: LinkKind;
  /** TCP/TLS: the peer. UDP: the default destination (null when only bound). */
  readonly remote: Address | null;
  /**
   * True when `receive()` can complete without waiting for the network: data is known to be
   * buffered (locally or in the module), the stream has ended, or the link failed.
   */
  readable(): boolean;
  /** True when `send()` can start now (connected, no send of this link in flight, or failed). */
  writable(): boolean;
  /** Why the link died abnormally (peer reset, module reset); null while healthy or after EOF. */
  readonly failure: OSError | null;
  /**
   * Takes up to `max` bytes (UDP: one datagram, truncated to `max`). Resolves with empty data at
   * end of stream, and with null when readiness was spurious (the module had nothing after all:
   * the caller waits again). Rejects with `failure` when the link failed. Call only when readable().
   */
  receive(max: number): Promise<Received | null>;
  /**
   * Sends a prefix of `data` (a back end may accept fewer bytes than given: a short write) and
   * resolves with the count. UDP: one datagram, to `to` or the default destination.
   * Call only when writable().
   */
  send(data: Uint8Array, to?: Address): Promise<number>;
  /** Releases the link in the module. Idempotent; never rejects. */
  close(): Promise<void>;
}

/** A listening TCP server on the module. */
export interface BackendServer extends Readiness {
  readonly port: number;
  /** A connected client is waiting (or the server failed, so accept() would throw). */
  acceptable(): boolean;
  /** Takes the oldest waiting client; throws the failure when the server died. Call only when acceptable(). */
  accept(): BackendLink;
  close(): Promise<void>;
}

/** One access point found by a scan. */
export interface AccessPoint {
  readonly ssid: string;
  /** `aa:bb:cc:dd:ee:ff`. */
  readonly bssid: string;
  readonly channel: number;
  readonly rssi: number;
  /**
   * How it is secured, in the neutral words of firmware-protocol/security.ts (each back end converts
   * its protocol's numbers at its own edge); null for a number the back end's table does not know.
   */
  readonly security: SecurityKind | null;
  readonly hidden: boolean;
}

export type WlanState = 'idle' | 'connecting' | 'wrong-password' | 'no-ap' | 'connect-fail' | 'got-ip';

export interface IfConfig {
  readonly ip: string;
  readonly netmask: string;
  readonly gateway: string;
  readonly dns: string;
}

/** The station interface. `state()` and `connected()` are synchronous: the back end tracks events. */
export interface WlanBackend {
  scan(): Promise<AccessPoint[]>;
  /** Joins and waits for an IP. Rejects with OSError; `state()` then says why. */
  connect(ssid: string, key: string | undefined): Promise<void>;
  disconnect(): Promise<void>;
  connected(): boolean;
  state(): WlanState;
  ifconfig(): Promise<IfConfig>;
  /** Static configuration (DHCP off). */
  setIfconfig(config: IfConfig): Promise<void>;
  /** The station's MAC address, `aa:bb:cc:dd:ee:ff`. Rejects with OSError. */
  mac(): Promise<string>;
  /** The station's host name (DHCP, mDNS). Rejects with OSError (EOPNOTSUPP where the module cannot say). */
  hostname(): Promise<string>;
  setHostname(name: string): Promise<void>;
  /** One echo to an IPv4 address: the round trip in ms, null when none came back. Rejects with OSError (EOPNOTSUPP without a ping). */
  ping(ip: string): Promise<number | null>;
  /**
   * The module's clock in Unix seconds, as SNTP set it after the join; null while it has no real time
   * (before 2000-01-01, nina-fw's rule). Rejects with OSError (EOPNOTSUPP where the firmware cannot say).
   */
  moduleTime(): Promise<number | null>;
  /** Starts the module's SNTP client with these servers (none: the firmware's own), in UTC. Rejects with OSError. */
  startNtp(servers: readonly string[]): Promise<void>;
}

/** The module's own access point, as `network.WLAN(AP_IF).config()` shows it. */
export interface SoftApConfig {
  readonly essid: string;
  /** "" for an open network. */
  readonly key: string;
  readonly channel: number;
  /** As AccessPoint.security: 0 open, 2 WPA-PSK, 3 WPA2-PSK, 4 WPA/WPA2-PSK. */
  readonly security: number;
  readonly maxClients: number;
  readonly hidden: boolean;
}

/** A station joined to the module's access point. */
export interface SoftApStation {
  /** `aa:bb:cc:dd:ee:ff`. */
  readonly mac: string;
  readonly ip: string;
}

/** The access-point interface (MicroPython's AP_IF). Rejects with OSError; EOPNOTSUPP where the firmware has none. */
export interface SoftApBackend {
  /** Whether the module's access point is up. */
  active(): Promise<boolean>;
  setActive(on: boolean): Promise<void>;
  config(): Promise<SoftApConfig>;
  /** Changes some settings; the rest stay as they are. */
  configure(changes: Partial<SoftApConfig>): Promise<void>;
  stations(): Promise<SoftApStation[]>;
  ifconfig(): Promise<IfConfig>;
  setIfconfig(config: IfConfig): Promise<void>;
}

/** Fixed facts about the coprocessor that the usocket layer needs to choose behaviour. */
export interface BackendInfo {
  /** Human name, e.g. `ESP-AT 2.2.0.0 (esp32-at-2.x)`. */
  readonly name: string;
  /** How many links (client + accepted) can be open at once. */
  readonly maxLinks: number;
  /** Link kinds the module can open now. */
  readonly kinds: readonly LinkKind[];
  readonly ipv6: boolean;
  /** `LinkSpec.passthrough` is supported (a module-wide transparent mode for one stream link). */
  readonly passthrough?: boolean;
}

export interface Backend {
  readonly info: BackendInfo;
  /** Name → IPv4 address text, resolved by the module. Rejects with OSError (negative EAI_* numbers). */
  resolve(host: string): Promise<string>;
  /** Connects (TCP/TLS) or opens (UDP) a link. Rejects with OSError (ECONNREFUSED, EMFILE, ...). */
  open(spec: LinkSpec): Promise<BackendLink>;
  /** Starts the module's TCP server on `port`, accepting at most `backlog` clients at once. */
  serve(port: number, backlog: number): Promise<BackendServer>;
  readonly wlan: WlanBackend;
  /** The time base of the back end's timers; socket timeouts run on it too (absent: real time). */
  readonly clock?: Clock;
  /** The module's access point; absent where the back end has none. */
  readonly softAp?: SoftApBackend;
  /** The module's own MQTT client, where its firmware has one. */
  readonly mqtt?: Mqtt;
  /** The module's own HTTP client, where its firmware has one (ESP-AT); absent otherwise. */
  readonly http?: ModuleHttp;
  /** Fails every link and server, releases the port. */
  close(): Promise<void>;
}
