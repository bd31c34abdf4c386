import type { CipherSuite } from './cipher-suites.js';
import type { DocumentedCommands } from './documented-commands.js';
import type { ProfileCommands } from './commands/profile-commands.js';
import type { ManufacturingModel } from './manufacturing.js';

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
  /**
   * Passthrough also with CIPMUX=1, on the one client of a server limited to one connection
   * (AT+CIPSERVERMAXCONN=1): 2.x (TCP-IP_AT_Examples.rst, "passthrough ... as a TCP server"); NonOS: no.
   */
  readonly passthroughServer: boolean;
  /** A broken passthrough link: 2.x stays in passthrough and reconnects (true); NonOS leaves with CLOSED. */
  readonly passthroughReconnect: boolean;
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
  /**
   * Lines the firmware writes with `puts` to its console rather than to the AT port (`No AP`,
   * `ALREADY CONNECTED`, declared with `consoleWords`) reach the host: NonOS 1.7 has one UART for
   * both; ESP-AT 2.x on the ESP32 talks AT on UART1 and logs on UART0, so the host never sees them.
   */
  readonly consoleOnAtPort: boolean;
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
  /**
   * Which clock certificate dates are checked against: 'module' where mbedTLS is built with
   * CONFIG_MBEDTLS_HAVE_TIME_DATE (ESP-AT 2.4 and 4.1 on ESP32/C3: the module's time, 1970 after
   * boot until SNTP or AT+SYSTIMESTAMP sets it); 'host' where the build does not say (copro's
   * machine clock).
   */
  readonly certificateClock: 'module' | 'host';
  /** The TLS library's suites in its order (AT+CIPSSLCCIPHER; offered when none is set); absent: node's defaults. */
  readonly cipherSuites?: readonly CipherSuite[];
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

/** The module's MQTT client (esp-mqtt under the AT commands), where the firmware has one. */
export interface MqttBehaviour {
  /** esp-mqtt's buffer: a message longer than this (header included) comes as several `+MQTTSUBRECV`. */
  readonly bufferSize: number;
  /** Topics subscribed at once (`ALREADY FULL SUBSCRIBE` beyond). */
  readonly maxSubscriptions: number;
  /** Deadline of AT+MQTTPUB/PUBRAW/SUB/UNSUB ("responds within 10 s"). */
  readonly commandTimeoutMs: number;
  /** Deadline of AT+MQTTCONN's connect (esp-mqtt network timeout). */
  readonly connectTimeoutMs: number;
  /** Between reconnect attempts with `<reconnect>` 1 (esp-mqtt's reconnect timeout). */
  readonly reconnectMs: number;
  /** The keepalive a `<keepalive>` of 0 stands for (seconds). */
  readonly defaultKeepaliveSec: number;
}

/**
 * The module's HTTP client (esp_http_client under the AT commands), for profiles whose firmware
 * has the HTTP commands.
 */
export interface HttpClientModel {
  /** esp_http_client's buffer (DEFAULT_HTTP_BUF_SIZE): each read of it gives one `+HTTPCLIENT:` piece per body run. */
  readonly bufferSize: number;
  /** Network timeout of a read or connect (esp_http_client's DEFAULT_TIMEOUT_MS), AT+HTTPCGET's default. */
  readonly timeoutMs: number;
  /** AT+HTTPCGET's <rx size> when omitted (its read buffer). */
  readonly cgetRxSize: number;
  /** The User-Agent the client sends. */
  readonly userAgent: string;
  /** The longest AT+HTTPCPOST body: the heap the firmware can allocate (UNSURE: varies by build and state). */
  readonly maxPostLength: number;
  /** The `<content-type>` values of AT+HTTPCLIENT, by number. */
  readonly contentTypes: readonly string[];
}

/** The module's FAT partition (AT+FS), for profiles whose firmware has it. */
export interface FileSystemModel {
  /** The `fatfs` partition's size (at_customize.csv). */
  readonly partitionBytes: number;
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

/** AT+CWRECONNCFG (and a join's reconn_interval): reconnection after a lost AP. */
export interface WifiReconnectConfig {
  /** Seconds between attempts; 0 = the station does not reconnect. */
  readonly interval: number;
  /** Attempts; 0 = until it succeeds. */
  readonly repeat: number;
}

/** AT+CWCOUNTRY: 0 = follow the AP's country, 1 = keep this one. */
export interface CountryConfig {
  readonly policy: number;
  readonly code: string;
  readonly startChannel: number;
  readonly channelCount: number;
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
  /** AT+CIPSNTPCFG=1 without servers: the firmware's three ("cn.ntp.org.cn", "ntp.sjtu.edu.cn", "us.pool.ntp.org"). */
  readonly sntpServers: readonly string[];
  /** AT+CIPSNTPINTV's value after boot (lwIP's SNTP_UPDATE_DELAY: one hour). */
  readonly sntpIntervalSec: number;
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
  /** AT+CWRECONNCFG: seconds between attempts (0 = none) and how many (0 = no limit). */
  readonly wifiReconnect: WifiReconnectConfig;
  /** AT+SLEEP after boot. */
  readonly sleepMode: number;
  /** AT+CWHOSTNAME after boot; `{mac3}` stands for the station MAC's last three bytes, upper-case hex. */
  readonly hostname: string;
  /** AT+CWCOUNTRY after boot. */
  readonly country: CountryConfig;
  /** CWJAP parameters left out. */
  readonly join: {
    readonly reconnInterval: number;
    readonly listenInterval: number;
    readonly scanMode: number;
    readonly pmf: number;
  };
  /** The softAP before any AT+CWSAP / AT+CIPAP / AT+CWDHCPS (its SSID is made from its MAC). */
  readonly softAp: SoftApDefaults;
  /** AT+CWAPPROTO? and AT+CWSTAPROTO? (bits: 1 b, 2 g, 4 n). */
  readonly phyProtocol: number;
}

export interface SoftApDefaults {
  /** The SSID is this prefix and the last three bytes of the softAP MAC in upper-case hex. */
  readonly ssidPrefix: string;
  readonly channel: number;
  readonly ecn: number;
  readonly maxConn: number;
  readonly ip: string;
  readonly netmask: string;
  /** The DHCP server's lease (minutes) and how many addresses it gives, from the softAP's address + 1. */
  readonly leaseMinutes: number;
  readonly leaseCount: number;
}

/** The radio's transmit power (AT+RFPOWER): what the chip reports for a set value, and its defaults. */
export interface RadioPower {
  /**
   * The power levels the Wi-Fi driver has, as `[lowest set value, reported value]` pairs in
   * ascending order: a set value reports the level of the last pair at or below it (ESP32: 40..43
   * report 34). Empty: the chip reports the value set (ESP32-C3).
   */
  readonly wifiSteps: readonly (readonly [number, number])[];
  /** `<wifi_power>` after boot, in 0.25 dBm. */
  readonly wifiDefault: number;
  /** `<ble_adv_power>`, `<ble_scan_power>`, `<ble_conn_power>` after boot. */
  readonly bleDefault: number;
}

/**
 * How the chip's UART divides its clock: the rate AT+UART_CUR? reports is the one the divider
 * gives, not the one asked for (ESP32: 80 MHz with a 4-bit fraction, 115200 -> 115201).
 */
export interface UartClock {
  readonly hz: number;
  /** Bits of fraction in the divider (ESP32: 4; ESP8266: 0). */
  readonly fractionBits: number;
}

/** One user partition of the module's flash (the firmware's at_customize.csv). */
export interface FlashPartition {
  readonly name: string;
  readonly type: number;
  readonly subtype: number;
  readonly address: number;
  readonly size: number;
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
  readonly http?: HttpClientModel;
  readonly fileSystem?: FileSystemModel;
  readonly timing?: Partial<FirmwareTiming>;
  readonly defaults?: Partial<FactoryDefaults>;
  readonly radio?: Partial<RadioPower>;
  readonly partitions?: readonly FlashPartition[];
  readonly uartClock?: UartClock | null;
  readonly mqtt?: MqttBehaviour;
  readonly documented?: DocumentedCommands;
  readonly ota?: OtaBuild;
  readonly manufacturing?: ManufacturingModel;
  readonly commands?: ProfileCommands<null>;
}

/** AT+CIUPDATE's build settings (main/Kconfig, the module's sdkconfig.defaults), for profiles that have it. */
export interface OtaBuild {
  /** CONFIG_AT_OTA_SERVER_IP / _PORT: the HTTP server (`<ota mode>` 0). */
  readonly server: string;
  readonly port: number;
  /** CONFIG_AT_OTA_SSL_SERVER_IP / _PORT (`<ota mode>` 1); null where SSL OTA is not built in. */
  readonly sslServer: string | null;
  readonly sslPort: number;
  /** CONFIG_AT_OTA_TOKEN_KEY: sent as `Authorization: token <key>`. */
  readonly token: string;
  /** ESP_AT_OTA_TIMEOUT_MS: the whole upgrade's deadline. */
  readonly timeoutMs: number;
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
  /** The HTTP client, where the firmware has the HTTP commands. */
  readonly http?: HttpClientModel;
  readonly fileSystem?: FileSystemModel;
  readonly timing: FirmwareTiming;
  readonly defaults: FactoryDefaults;
  readonly radio: RadioPower;
  /** The user partitions AT+SYSFLASH lists, reads and writes, in table order. */
  readonly partitions: readonly FlashPartition[];
  /** The UART's clock divider (AT+UART_CUR? reports its rate); null: the rate set is reported. */
  readonly uartClock: UartClock | null;
  /** The MQTT client's limits and timing; absent where the firmware has no AT+MQTT commands. */
  readonly mqtt?: MqttBehaviour;
  /** The commands this firmware has: which form of each, under which names. */
  /** What the firmware's documentation lists (absent: no machine-readable docs, as for NonOS 1.7). */
  readonly documented?: DocumentedCommands;
  /** AT+CIUPDATE's servers, token and deadline, where the firmware has it. */
  readonly ota?: OtaBuild;
  /** The manufacturing NVS (AT+SYSMFG) holding factory parameters and PKI; absent: PKI in raw partitions. */
  readonly manufacturing?: ManufacturingModel;
  readonly commands: ProfileCommands;
}

export type { ProfileId } from './profiles/index.js';
export type { DocPage, DocumentedCommands } from './documented-commands.js';
