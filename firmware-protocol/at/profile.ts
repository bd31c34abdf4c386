import type { ProfileCommands } from './commands/profile-commands.js';

/**
 * A firmware profile: every wire-visible difference between firmware versions, as data
 * (esp-at.md §6, §7.1). The emulator and the driver never ask "which firmware is this?"; they
 * ask the profile a question ("largest CIPSEND?", "is the CIPDOMAIN answer quoted?", "what does
 * CIPSSLCCONF look like here?"). The profiles themselves live in `profiles/`, one file each.
 */

/** Where a set command's change goes: AT+SYSSTORE decides, always flash, or RAM only. */
export type Persistence = 'sysstore' | 'flash' | 'ram';

/** `[major, minor]` of an `AT version:` line. */
export type AtVersion = readonly [major: number, minor: number];

export interface ProfileLimits {
  /** Largest CIPSEND/CIPSENDEX length. */
  readonly maxSendLength: number;
  /** Largest CIPRECVDATA request the driver makes (the firmware's receive buffer). */
  readonly maxRecvDataLength: number;
  /** Link ids 0..links-1 (AT_SOCKET_MAX_CONN_NUM). */
  readonly links: number;
  /** Passive receive window per link (bytes buffered before TCP flow control pushes back). */
  readonly passiveWindow: number;
  /**
   * The link types AT+CIPRECVMODE=1 holds back; the others keep printing `+IPD,<id>,<len>:<data>`.
   * 2.x: all (its docs speak of TCP, SSL and UDP buffers); NonOS 1.7: TCP only.
   */
  readonly passiveReceiveTypes: readonly ('TCP' | 'UDP' | 'SSL')[];
  /** Largest payload of one active-mode `+IPD`. */
  readonly maxIpdLength: number;
  /** Passthrough: bytes buffered before the module flushes to the socket. */
  readonly passthroughPacketSize: number;
  /** Maximum command line length in bytes, CR LF excluded. */
  readonly maxLineLength: number;
  /** SSL links open at once; null = as many as links (memory-bound on the chip). */
  readonly sslLinks: number | null;
}

/** How replies whose layout differs between versions are written. */
export interface ReplyLayout {
  /** `+CIPDOMAIN:"1.2.3.4"` (true) vs `+CIPDOMAIN:1.2.3.4`. */
  readonly quoteDomainAnswer: boolean;
  /** Remote IP quoted in `+IPD` with CIPDINFO=1. */
  readonly quoteIpdRemote: boolean;
  /** `+CIPRECVDATA:<len>,<data>` ('colon-length-comma') vs `+CIPRECVDATA,<len>:<data>`. */
  readonly recvDataHeader: 'colon-length-comma' | 'comma-length-colon';
  /** With CIPDINFO=1, CIPRECVDATA shows the sender before the data. */
  readonly recvDataRemote: boolean;
  /** What `+CIPRECVLEN:` prints for a link id without a link. */
  readonly absentLinkRecvLength: number;
  /** The `STATUS:<n>` codes AT+CIPSTATUS uses (esp-at.md §4): 2.x 0..5, NonOS 2..5. */
  readonly cipStatusCodes: readonly number[];
  /** CWDHCP's bitmask: bit 0 station (2.x) or bit 0 softAP (NonOS). */
  readonly dhcpBitOrder: 'station-first' | 'softap-first';
}

/** The SSL client's behaviour where versions differ. */
export interface SslBehaviour {
  /**
   * A failed handshake: 'error' (2.x: esp-tls fails the connect) or 'closed-then-ok' (NonOS: the
   * TCP link was up, so `[<id>,]CLOSED` then `OK`).
   */
  readonly handshakeFailure: 'error' | 'closed-then-ok';
  /** Transparent transmission (CIPMODE=1) over an SSL link. */
  readonly passthrough: boolean;
}

/** The firmware's own durations (the radio world's association, DHCP and scan times are the world's). */
export interface FirmwareTiming {
  /** Reset to `ready`, at world scale 1. */
  readonly bootMs: number;
  /** CWJAP's deadline when none is given (jap_timeout's default). */
  readonly joinTimeoutMs: number;
  /** CIPSTART's TCP connect deadline. */
  readonly connectTimeoutMs: number;
  /** CIPSTART "SSL": connect plus handshake. */
  readonly sslConnectTimeoutMs: number;
  /** AT+PING: how long one echo is waited for (esp_ping's default timeout). */
  readonly pingTimeoutMs: number;
}

/** An AT+UART_CUR / AT+UART_DEF configuration. */
export interface UartConfig {
  readonly baud: number;
  readonly dataBits: number;
  /** 1 = 1 bit, 2 = 1.5 bits, 3 = 2 bits. */
  readonly stopBits: number;
  /** 0 none, 1 odd, 2 even. */
  readonly parity: number;
  /** 0 none, 1 RTS, 2 CTS, 3 both. */
  readonly flowControl: number;
}

/** What queries report after boot or AT+RESTORE, and what omitted parameters stand for. */
export interface FactoryDefaults {
  readonly sysStore: boolean;
  readonly cwMode: number;
  readonly autoConnect: boolean;
  /** CWDHCP bitmask in 2.x order (bit 0 station, bit 1 softAP). */
  readonly dhcp: number;
  readonly sysMsg: number;
  readonly uart: UartConfig;
  /** AT+CIPDNS? before any AT+CIPDNS. */
  readonly dnsServers: readonly string[];
  /** AT+CIPRECONNINTV, in 100 ms units. */
  readonly reconnectInterval: number;
  /** AT+CIPSTO seconds. */
  readonly serverTimeout: number;
  readonly serverMaxConn: number;
  /** AT+CIPSERVER=1 without a port. */
  readonly serverPort: number;
  /** AT+CWLAPOPT: print mask, RSSI floor, ecn bitmask. */
  readonly lapOptions: { readonly mask: number; readonly rssiMin: number; readonly authMask: number };
  /** AT+CIPSSLSIZE. */
  readonly sslBufferSize: number;
  /** CWJAP parameters left out. */
  readonly join: {
    readonly reconnInterval: number;
    readonly listenInterval: number;
    readonly scanMode: number;
    readonly pmf: number;
  };
}

/** Short texts a version prints before ERROR (NonOS `no ip`, `DNS Fail`...); null where it prints none. */
export interface ErrorWords {
  readonly noIp: string | null;
  readonly dnsFail: string | null;
  readonly invalidLink: string | null;
  readonly closeNotOpen: string | null;
}

/** Which `AT version:` lines this profile stands for (AT+GMR, read by the driver's detection). */
export interface VersionRange {
  readonly from: AtVersion;
  /** Exclusive; absent = every later version. */
  readonly below?: AtVersion;
  /**
   * The chip the version line names (`AT version:2.2.0.0(b097cdf - ESP8266 - ...)`), when versions
   * of several chips share the range; a profile with a chip wins over one without.
   */
  readonly chip?: string;
}

/** A change of a profile: groups are merged one level deep, commands added (or removed with null). */
export interface ProfileChanges {
  readonly title?: string;
  readonly gmrLines?: readonly string[];
  readonly versions?: VersionRange;
  readonly promptText?: string;
  readonly joinFailResult?: 'ERROR' | 'FAIL';
  readonly saving?: Persistence;
  readonly errorWords?: Partial<ErrorWords>;
  readonly limits?: Partial<ProfileLimits>;
  readonly layout?: Partial<ReplyLayout>;
  readonly ssl?: Partial<SslBehaviour>;
  readonly timing?: Partial<FirmwareTiming>;
  readonly defaults?: Partial<FactoryDefaults>;
  readonly commands?: ProfileCommands<null>;
}

/** An earlier release inside the profile's version range that differs by a few limits. */
export interface EarlierRelease {
  readonly below: AtVersion;
  readonly changes: ProfileChanges;
}

export interface FirmwareProfile {
  readonly id: string;
  /** Human name, shown by the CLI and docs. */
  readonly title: string;
  /** AT+GMR information lines, in order. */
  readonly gmrLines: readonly string[];
  readonly versions: VersionRange;
  /** Releases in `versions` older than the one emulated, newest first (the driver adapts to them). */
  readonly earlierReleases: readonly EarlierRelease[];
  /** Bytes of the CIPSEND prompt after `\r\nOK\r\n`: 2.x `\r\n>`, 1.7 `> `. */
  readonly promptText: string;
  /** Final result of a failed CWJAP: 2.x `ERROR`, 1.7 `FAIL`. */
  readonly joinFailResult: 'ERROR' | 'FAIL';
  /** Where a set command's change goes when its name does not say (`_CUR`/`_DEF`). */
  readonly saving: Persistence;
  readonly errorWords: ErrorWords;
  readonly limits: ProfileLimits;
  readonly layout: ReplyLayout;
  readonly ssl: SslBehaviour;
  readonly timing: FirmwareTiming;
  readonly defaults: FactoryDefaults;
  /** The commands this firmware has: which form of each, under which names. */
  readonly commands: ProfileCommands;
}

export type { ProfileId } from './profiles/index.js';
