import type {
  CountryConfig,
  FactoryDefaults,
  FirmwareProfile,
  Persistence,
  UartConfig,
  WifiReconnectConfig,
} from '../../firmware-protocol/at/profile.js';

export type { Persistence };

/**
 * The module's configuration as ESP-AT keeps it: what lives in flash (NVS) and what only in RAM.
 * "Flash" here is memory that lasts for the emulator process: it survives AT+RST and a hardware
 * reset, and AT+RESTORE returns it to factory values.
 */

export type { UartConfig };

export interface JoinConfig {
  readonly ssid: string;
  readonly password: string;
  readonly bssid: string | null;
  readonly pciEn: number;
  readonly listenInterval: number;
  readonly scanMode: number;
  readonly pmf: number;
}

export interface StaticIpConfig {
  readonly ip: string;
  readonly gateway: string;
  readonly netmask: string;
}

/** AT+CIPSSLCCONF for one link id: what the SSL client proves and checks, and with which store entries. */
export interface SslClientAuth {
  /** 0 none, 1 client certificate, 2 verify the server with a CA, 3 both (1.7: the same bits). */
  readonly authMode: number;
  /** Index of the client certificate+key in the certificate store. */
  readonly pkiNumber: number;
  /** Index of the CA entry in the certificate store. */
  readonly caNumber: number;
}

/** AT+CIPSSLCCN / AT+CIPSSLCSNI / AT+CIPSSLCALPN for one link id (RAM only). */
export interface SslLinkNames {
  readonly commonName: string | null;
  readonly sni: string | null;
  readonly alpn: readonly string[];
  /** AT+CIPSSLCPSK: the key and the identity (the docs' "hint") for PSK cipher suites. */
  readonly psk: { readonly key: Uint8Array; readonly hint: string } | null;
  /**
   * AT+CIPSSLCCIPHER: the IANA numbers of the suites to offer, as given (the firmware keeps the ones
   * its library lacks too; mbedTLS skips them in the ClientHello). Empty: the library's whole list.
   */
  readonly cipherSuites: readonly number[];
}

/** AT+SAVETRANSLINK's link. */
export interface TransLinkSettings {
  readonly type: 'TCP' | 'UDP' | 'SSL';
  readonly ipv6: boolean;
  readonly host: string;
  readonly port: number;
  /** TCP/SSL: SO_KEEPALIVE seconds (0 off). */
  readonly keepAlive: number;
  /** UDP: the local port (0 any). */
  readonly localPort: number;
}

/** AT+CWSAP's values. */
export interface SoftApSettings {
  readonly ssid: string;
  readonly password: string;
  readonly channel: number;
  readonly ecn: number;
  readonly maxConn: number;
  readonly hidden: number;
}

/** AT+CWDHCPS=1's range. */
export interface DhcpRangeSettings {
  readonly leaseMinutes: number;
  readonly start: string;
  readonly end: string;
}

/** Settings that set commands persist when AT+SYSSTORE=1 (and some always). */
/** AT+CWJEAP's parameters, as its query reports them. */
export interface EnterpriseJoin {
  readonly ssid: string;
  readonly method: number;
  readonly identity: string;
  readonly username: string;
  readonly password: string;
  readonly security: number;
}

export interface WifiDriverConfig {
  readonly apInactiveTime: number;
  readonly staInactiveTime: number;
  readonly listenInterval: number;
}

export interface PersistentSettings {
  /** AT+SYSSTORE itself: whether set commands write to flash. */
  sysStore: boolean;
  cwMode: number;
  autoConnect: boolean;
  join: JoinConfig | null;
  /** The last AT+CWJEAP that joined (its query shows it while joined); a CWJAP clears it. */
  enterpriseJoin: EnterpriseJoin | null;
  /** AT+CIPSTA: null = DHCP gives the address. */
  staticIp: StaticIpConfig | null;
  /** AT+CIPV6. */
  ipv6: boolean;
  /** AT+SAVETRANSLINK=1: the passthrough link opened from power-up; null: none. */
  transLink: TransLinkSettings | null;
  /** AT+CWDHCP bitmask: bit0 station, bit1 softAP. */
  dhcp: number;
  sysMsg: number;
  uart: UartConfig;
  /** AT+CIPDNS: manual servers (enable 1) or the automatic default (enable 0). Reported only. */
  dns: { readonly manual: boolean; readonly servers: readonly string[] };
  /** AT+CIPRECONNINTV, in 100 ms units (recorded: passthrough reconnection is not emulated). */
  reconnectInterval: number;
  /** AT+CIPSSLCCONF per link id (NVS in 2.x, subject to AT+SYSSTORE). */
  sslClients: readonly SslClientAuth[];
  /** AT+CWRECONNCFG (a join's reconn_interval sets the interval too). */
  wifiReconnect: WifiReconnectConfig;
  /**
   * AT+CWCONFIG (ESP-AT 4.x): inactive times in seconds and the listen interval; null until set
   * (the documented defaults show, and the emulated station keeps dropping a lost AP at once).
   */
  wifiConfig: WifiDriverConfig | null;
  /** AT+CIPSTAMAC / AT+CIPAPMAC; null = the module's own (the radio world's). */
  stationMac: string | null;
  softApMac: string | null;
  /** AT+CWSAP: null = the factory softAP (its SSID made from the MAC). */
  softAp: SoftApSettings | null;
  /** AT+CIPAP: null = the profile's default softAP address. */
  apAddress: StaticIpConfig | null;
  /** AT+CWDHCPS: null = the default range. */
  dhcpRange: DhcpRangeSettings | null;
  /** AT+CWAPPROTO / AT+CWSTAPROTO bits. */
  apProtocol: number;
  staProtocol: number;
}

/** Settings that only live in RAM and return to defaults at every boot. */
export interface VolatileSettings {
  echo: boolean;
  mux: boolean;
  cipMode: number;
  recvMode: number;
  dinfo: boolean;
  sysLog: boolean;
  uartCur: UartConfig;
  /** AT+CIPSTO seconds (0 = never). */
  serverTimeout: number;
  serverMaxConn: number;
  /** AT+CWLAPOPT: print mask (bit n shows field n of a +CWLAP line), RSSI floor, ecn bitmask. */
  lapOptions: { mask: number; rssiMin: number; authMask: number };
  /** AT+CIPSSLCCN / CIPSSLCSNI / CIPSSLCALPN per link id. */
  sslNames: SslLinkNames[];
  /** AT+CIPSSLSIZE (NonOS 1.7): the SSL buffer size, recorded only. */
  sslBufferSize: number;
  /** AT+CWHOSTNAME (not saved). */
  hostname: string;
  /** AT+CWCOUNTRY (not saved). */
  country: CountryConfig;
}

export function factorySettings(defaults: FactoryDefaults, links: number): PersistentSettings {
  return {
    sysStore: defaults.sysStore,
    cwMode: defaults.cwMode,
    autoConnect: defaults.autoConnect,
    join: null,
    enterpriseJoin: null,
    staticIp: null,
    ipv6: false,
    transLink: null,
    dhcp: defaults.dhcp,
    sysMsg: defaults.sysMsg,
    uart: defaults.uart,
    dns: { manual: false, servers: defaults.dnsServers },
    reconnectInterval: defaults.reconnectInterval,
    sslClients: Array.from({ length: links }, () => ({ authMode: 0, pkiNumber: 0, caNumber: 0 })),
    wifiReconnect: defaults.wifiReconnect,
    wifiConfig: null,
    stationMac: null,
    softApMac: null,
    softAp: null,
    apAddress: null,
    dhcpRange: null,
    apProtocol: defaults.phyProtocol,
    staProtocol: defaults.phyProtocol,
  };
}

export function bootVolatileSettings(stored: PersistentSettings, defaults: FactoryDefaults): VolatileSettings {
  return {
    echo: true,
    mux: false,
    cipMode: 0,
    recvMode: 0,
    dinfo: false,
    sysLog: false,
    uartCur: stored.uart,
    serverTimeout: defaults.serverTimeout,
    serverMaxConn: defaults.serverMaxConn,
    lapOptions: { ...defaults.lapOptions },
    sslNames: stored.sslClients.map(() => ({ commonName: null, sni: null, alpn: [], psk: null, cipherSuites: [] })),
    sslBufferSize: defaults.sslBufferSize,
    hostname: defaults.hostname,
    country: defaults.country,
  };
}

/** Current (RAM) and stored (flash) settings, with the SYSSTORE rule in one place. */
export class ModuleSettings {
  stored: PersistentSettings;
  current: PersistentSettings;
  volatile: VolatileSettings;

  /** Factory values are the profile's (what queries show after AT+RESTORE). */
  constructor(private readonly profile: FirmwareProfile) {
    this.stored = factorySettings(profile.defaults, profile.limits.links);
    this.current = { ...this.stored };
    this.volatile = bootVolatileSettings(this.stored, profile.defaults);
  }

  /** A boot: RAM reloads from flash. */
  boot(): void {
    this.current = { ...this.stored };
    this.volatile = bootVolatileSettings(this.stored, this.profile.defaults);
  }

  /** AT+RESTORE: flash back to factory values (the reboot that follows reloads RAM). */
  restore(): void {
    this.stored = factorySettings(this.profile.defaults, this.profile.limits.links);
  }

  /**
   * Applies a set command's change to RAM, and to flash as `persist` says: 'sysstore' follows
   * AT+SYSSTORE (2.x set commands), 'flash' always writes (UART_DEF, CWAUTOCONN, 1.7 `_DEF` and
   * plain forms), 'ram' never does (1.7 `_CUR` forms).
   */
  set<K extends keyof PersistentSettings>(key: K, value: PersistentSettings[K], persist: Persistence = 'sysstore'): void {
    this.current[key] = value;
    if (persist === 'flash' || (persist === 'sysstore' && this.current.sysStore)) this.stored[key] = value;
  }
}
