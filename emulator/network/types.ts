import type { EapCredentials } from './eap-world.js';
import type { MdnsAnnouncement } from './mdns-registry.js';
/**
 * The virtual network stack: what a coprocessor's firmware sits on (lwIP + WiFi driver),
 * done for real with node:net / node:dgram / node:dns. It knows nothing of AT or NINA:
 * protocol front ends drive it, fault injection wraps it at these seams.
 */
import type { SecurityKind } from '../../firmware-protocol/security.js';
import type { SoftAccessPoint } from './soft-ap.js';

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

export type LinkKind = 'tcp' | 'udp' | 'tls';

/** Why a network operation failed, in lwIP's terms; front ends turn it into their firmware's answer. */
export type StackErrorCode =
  | 'refused' // ECONNREFUSED
  | 'timeout' // connect/DNS deadline passed
  | 'unreachable' // EHOSTUNREACH / ENETUNREACH
  | 'dns' // name did not resolve
  | 'no-ip' // station has no IP address
  | 'denied' // outbound policy refused it
  | 'reset' // peer reset
  | 'closed' // operation on a closed link
  | 'tls' // handshake failed (issue 4)
  | 'addr-in-use' // local port taken (and could not be remapped)
  | 'io'; // anything else

export class StackError extends Error {
  constructor(
    readonly code: StackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StackError';
  }
}

export interface LinkHandlers {
  /** Bytes from the network; `from` is the sender (for UDP, possibly not the connected peer). */
  onData(data: Buffer, from: Endpoint): void;
  /** The link is gone (peer FIN/RST, error, or our own close); called exactly once. */
  onClose(reason: 'peer' | 'local' | 'error', error?: StackError): void;
}

/** One connection (TCP/TLS) or UDP association of the module. */
export interface VirtualLink {
  readonly kind: LinkKind;
  /** The remote peer (for UDP: the current default destination). */
  readonly remote: Endpoint;
  /** The local port as the module reports it (virtual; see host-mapping.md). */
  readonly localPort: number;
  /** true for links accepted by a server. */
  readonly accepted: boolean;
  setHandlers(handlers: LinkHandlers): void;
  /** Hands bytes to the stack; resolves when they are accepted (what SEND OK means). Rejects with StackError. */
  send(data: Uint8Array): Promise<void>;
  /** UDP only: one datagram to an explicit destination. */
  sendTo(data: Uint8Array, to: Endpoint): Promise<void>;
  /** UDP only: change the default destination (CIPSTART UDP mode 1/2 follow the sender). */
  setRemote(remote: Endpoint): void;
  /** Flow control for passive receive: stop reading from the network (TCP window closes). */
  pause(): void;
  resume(): void;
  /** Orderly close; onClose('local') follows. Idempotent. */
  close(): void;
  /** Ends the link now without a graceful close (module reset, station lost, a reset by fault); onClose(reason) follows. */
  abort(reason: 'local' | 'error', error?: StackError): void;
  /** Called once when the link stops being open, before its handlers hear of it (whoever keeps a list of links forgets it). */
  onGone(listener: (link: VirtualLink) => void): void;
  readonly isOpen: boolean;
}

export interface VirtualServer {
  /** The module's port (what the firmware reports). */
  readonly port: number;
  /** Where the host can reach it (127.0.0.1:port unless remapped). */
  readonly hostEndpoint: Endpoint;
  close(): Promise<void>;
}

export interface TcpConnectOptions {
  readonly host: string; // IP address (front ends resolve names through resolve())
  readonly port: number;
  readonly timeoutMs: number;
  readonly keepAliveSec?: number;
}

/**
 * Which server certificates a TLS client accepts. Only `caPem` is trusted (never the host machine's
 * store): a module trusts what is in its flash and nothing else.
 */
export interface TlsVerification {
  /** PEM text of the trusted CA certificates (one string may hold several). */
  readonly caPem: readonly string[];
  /** The name the server certificate must be valid for (SAN/CN); null = check the chain only. */
  readonly hostname: string | null;
  /**
   * A Unix time (ms) every certificate of the chain must be valid at: the module's clock, which
   * mbedTLS built with MBEDTLS_HAVE_TIME_DATE checks (besides node's check by this machine's clock).
   */
  readonly validAtMs?: number;
}

/** A client certificate and its private key, both PEM. */
export interface TlsClientCredential {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface TlsConnectOptions {
  readonly host: string; // IP address, as for connectTcp
  readonly port: number;
  /** Deadline for TCP connect and TLS handshake together (StackError('timeout')). */
  readonly timeoutMs: number;
  readonly keepAliveSec?: number;
  /** Server Name Indication sent in the ClientHello; null = none. */
  readonly servername: string | null;
  /** ALPN protocol names offered, in order of preference; empty or absent = no ALPN extension. */
  readonly alpn?: readonly string[];
  /** null = accept any server certificate (no verification). */
  readonly verify: TlsVerification | null;
  /** Presented when the server asks for a certificate; null/absent = none. */
  readonly clientCredential?: TlsClientCredential | null;
  /** A pre-shared key: PSK cipher suites are offered besides the others (TLS 1.2). */
  readonly psk?: { readonly identity: string; readonly key: Uint8Array } | null;
  /** Highest protocol version offered (default TLSv1.3); ESP-AT's mbedTLS build speaks TLS 1.2. */
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /**
   * The TLS 1.2 cipher suites offered, by IANA number in order of preference (AT+CIPSSLCCIPHER, or
   * the firmware library's list); absent = node:tls's defaults. Suites OpenSSL lacks are left out
   * (openssl-suites.ts); when none is left the connect fails as a TLS failure.
   */
  readonly cipherSuites?: readonly number[];
}

/** What a TLS handshake settled on, for traces and front ends. */
export interface TlsSessionInfo {
  /** "TLSv1.2", "TLSv1.3". */
  readonly protocol: string;
  /** OpenSSL name of the cipher suite. */
  readonly cipher: string;
  /** The negotiated ALPN protocol, or null. */
  readonly alpn: string | null;
  /** The SNI that was sent, or null. */
  readonly servername: string | null;
  /** The server certificate was verified (false when verification was off). */
  readonly verified: boolean;
  /** The server certificate's subject, e.g. "CN=peer.lab". */
  readonly peerSubject: string;
}

/** A TLS connection of the module: a stream link like TCP, plus what its handshake settled on. */
export interface VirtualTlsLink extends VirtualLink {
  readonly kind: 'tls';
  readonly session: TlsSessionInfo;
}

export interface UdpOpenOptions {
  readonly remote: Endpoint;
  /** The module-side local port; 0 or absent = ephemeral. */
  readonly localPort?: number;
}

/** A TLS server's identity and, to require client certificates, the CA they must come from. */
export interface ServerTls {
  readonly certPem: string;
  readonly keyPem: string;
  /** null: clients are not asked for a certificate. */
  readonly clientCaPem: string | null;
}

export interface ListenOptions {
  readonly port: number;
  /** An IPv6 server ("TCPv6"/"SSLv6"): reachable from the host on ::1 instead of 127.0.0.1. */
  readonly ipv6?: boolean;
  /** An SSL server: clients are handed over once their TLS handshake is done. */
  readonly tls?: ServerTls;
  /** Called for each accepted client; return false to refuse it (max connections reached). */
  readonly onAccept: (link: VirtualLink) => boolean;
}

/** Station-side state as the radio world sees it. */
/** How a station joins: a given BSSID, a deadline, and for an enterprise AP the EAP credentials it offers. */
export interface JoinOptions {
  readonly bssid?: string;
  readonly timeoutMs?: number;
  readonly eap?: EapCredentials;
}

export interface StationInfo {
  readonly connected: boolean;
  readonly ssid: string | null;
  readonly bssid: string | null;
  readonly channel: number;
  readonly rssi: number;
  readonly ip: string; // "0.0.0.0" when none
  readonly gateway: string;
  readonly netmask: string;
  readonly mac: string;
  /** DNS servers from the most recent DHCP lease since the stack started or was reset ([] = none yet). */
  readonly dns: readonly string[];
  /** The host name its DHCP client gives (AT+CWHOSTNAME, NINA's SET_HOSTNAME); null: none set since the reset. */
  readonly hostname: string | null;
}

/** What a WPS exchange hands the station. */
export interface WpsCredentials {
  readonly ssid: string;
  readonly password: string;
  readonly bssid: string;
}

/** One access point of the radio world, as a scan reports it. */
export interface AccessPointInfo {
  readonly ssid: string;
  /** How it is secured; each front end turns this into its firmware's number. */
  readonly security: SecurityKind;
  readonly rssi: number;
  readonly bssid: string;
  readonly channel: number;
  /** Its WPS push button is pressed (a scan's `<wps>` flag). */
  readonly wps?: boolean;
}

/** Why a join failed: the firmware's `+CWJAP:<code>` values 1..4. */
export type JoinFailure = 'timeout' | 'wrong-password' | 'no-ap' | 'failed';

export class JoinError extends Error {
  constructor(readonly failure: JoinFailure) {
    super(`join failed: ${failure}`);
    this.name = 'JoinError';
  }
}

/** Why the station is off its AP: it left (a join elsewhere, a leave, a timeout) or lost it (the AP went away). */
export type DisconnectReason = 'left' | 'lost';

export interface StationListener {
  onConnected(): void;
  onGotIp(): void;
  /** Association lost or left; every station link is gone with it. */
  onDisconnected(reason: DisconnectReason): void;
}

/** The station interface of the simulated radio (WiFi driver + DHCP client). */
export interface Station {
  setListener(listener: StationListener): void;
  info(): StationInfo;
  /** Associate and get an IP; events fire along the way with realistic timing. Rejects with JoinError. */
  join(ssid: string, password: string, options?: JoinOptions): Promise<void>;
  /** Disassociate (no-op when not connected). */
  leave(): void;
  /** Simulated scan with realistic duration. */
  scan(): Promise<AccessPointInfo[]>;
  /** Forget association and IP instantly (module reset). */
  reset(): void;
  /** The AP goes away (fault injection): onDisconnected, and a join in progress fails. False when not associated. */
  dropAssociation(): boolean;
  /** The MAC the station uses and reports (null: the radio world's). */
  setMac(mac: string | null): void;
  /** The host name the firmware gives its network interface (a reset forgets it). */
  setHostname(name: string | null): void;
  /**
   * How long the station stays associated after its AP goes off the air (ESP-IDF's station
   * inactive time, AT+CWCONFIG): 0 (the default) drops the association at once; a reset restores 0.
   */
  setBeaconTimeout(ms: number): void;
  /**
   * A WPS push-button (PBC) exchange: after a scan, the credentials of the one AP on the air whose
   * button is pressed; null when there is none (the station keeps looking), 'overlap' when several are.
   */
  wpsPushButton(): Promise<WpsCredentials | null | 'overlap'>;
  /** Takes the associated AP off the air for `forMs` (null: until brought back); false when not associated. */
  takeApAway(forMs: number | null): boolean;
}

/**
 * Everything a protocol front end needs from the network. One instance per virtual module;
 * fault injection wraps this interface.
 */
/**
 * Which records a lookup wants, as lwIP's getaddrinfo hints (the firmware's at_hostname_to_ipaddr):
 * `ipv4` (AF_INET: A only), `ipv6` (AF_INET6: AAAA only), `ipv4-first` (AF_UNSPEC: A, and AAAA only
 * where the name has no A record — lwIP's LWIP_DNS_ADDRTYPE_IPV4_IPV6).
 */
export type AddressChoice = 'ipv4' | 'ipv6' | 'ipv4-first';

export type { MdnsAnnouncement };

export interface NetworkStack {
  readonly station: Station;
  /** The module's own access point (soft-ap.ts): down until a front end starts it. */
  readonly softAp: SoftAccessPoint;
  /**
   * Hosts table of the radio world first, then the host resolver; `choice` says which records (absent:
   * IPv4 only; resolver.ts's AddressChoice). Rejects StackError('dns').
   */
  resolve(name: string, timeoutMs?: number, choice?: AddressChoice): Promise<string>;
  connectTcp(options: TcpConnectOptions): Promise<VirtualLink>;
  /**
   * TCP connect plus TLS handshake as a client. A failed handshake (certificate not trusted, wrong
   * name, expired, an alert from the server) rejects StackError('tls') with a message naming the cause;
   * TCP-level failures reject as connectTcp's do.
   */
  connectTls(options: TlsConnectOptions): Promise<VirtualTlsLink>;
  openUdp(options: UdpOpenOptions): Promise<VirtualLink>;
  listen(options: ListenOptions): Promise<VirtualServer>;
  /**
   * One simulated ICMP echo to an IPv4 address: its round trip in ms (the radio world's `ping`), or null
   * when no answer comes within `timeoutMs`. Rejects StackError('no-ip') without an address.
   */
  ping(ip: string, timeoutMs: number): Promise<number | null>;
  /** Close every link and server (module reset / shutdown). */
  closeAll(): Promise<void>;
  /** The module's mDNS responder: announces `<hostname>.local` and a service (null: stops it). */
  announceMdns(announcement: MdnsAnnouncement | null): void;
}
