import { isIPv4 } from 'node:net';
/**
 * MicroPython's `network.WLAN(STA_IF)` shape over the back end's station interface: scan,
 * connect, disconnect, isconnected, ifconfig, status, config (mac, hostname). Status numbers are those of MicroPython's
 * ESP8266 port (the STAT_* constants are on the object).
 */
import { SECURITY_KINDS } from '../firmware-protocol/security.js';
import type { SecurityKind } from '../firmware-protocol/security.js';
import type { IfConfig, WlanBackend, WlanState } from './backend.js';
import { osError } from './errors.js';

/**
 * MicroPython's `network.AUTH_*` number for a security kind: the ESP32 port uses ESP-IDF's
 * wifi_auth_mode_t order (0 open, 1 WEP, 2 WPA-PSK, 3 WPA2-PSK, 4 WPA/WPA2-PSK, 5 WPA2-Enterprise,
 * 6 WPA3-PSK, 7 WPA2/WPA3-PSK, ...), which SECURITY_KINDS follows; -1 for a kind the module named
 * with a number the driver does not know.
 */
function authmodeOf(kind: SecurityKind | null): number {
  return kind === null ? -1 : SECURITY_KINDS.indexOf(kind);
}

/** `[ssid, bssid, channel, RSSI, security, hidden]`, as MicroPython's scan() tuples. */
export type ScanResult = [ssid: string, bssid: string, channel: number, rssi: number, security: number, hidden: boolean];

/** `[ip, subnet, gateway, dns]`. */
export type IfconfigTuple = [ip: string, subnet: string, gateway: string, dns: string];

export const STAT = {
  STAT_IDLE: 0,
  STAT_CONNECTING: 1,
  STAT_WRONG_PASSWORD: 2,
  STAT_NO_AP_FOUND: 3,
  STAT_CONNECT_FAIL: 4,
  STAT_GOT_IP: 5,
} as const;

const STATUS_OF: Record<WlanState, number> = {
  idle: STAT.STAT_IDLE,
  connecting: STAT.STAT_CONNECTING,
  'wrong-password': STAT.STAT_WRONG_PASSWORD,
  'no-ap': STAT.STAT_NO_AP_FOUND,
  'connect-fail': STAT.STAT_CONNECT_FAIL,
  'got-ip': STAT.STAT_GOT_IP,
};

export type Wlan = typeof STAT & {
  /** Access points in range. */
  scan(): Promise<ScanResult[]>;
  /** Joins and resolves once the module has an IP address; rejects with OSError (status() says why). */
  connect(ssid: string, key?: string): Promise<void>;
  disconnect(): Promise<void>;
  isconnected(): boolean;
  /** Without argument: the current addresses. With a tuple: static configuration. */
  ifconfig(): Promise<IfconfigTuple>;
  ifconfig(config: IfconfigTuple): Promise<void>;
  /** One of the STAT_* numbers. */
  status(): number;
  /**
   * MicroPython's `config()`: `config('mac')` is the station MAC as six bytes, `config('hostname')`
   * the host name; `config({ hostname })` sets it. Rejects with OSError (EINVAL for another param).
   */
  config(param: 'mac'): Promise<Uint8Array>;
  config(param: 'hostname'): Promise<string>;
  config(settings: WlanSettings): Promise<void>;
  /**
   * One echo from the module to `host` (a name is resolved by the module first), as CircuitPython's
   * `wifi.radio.ping()`: the round trip in ms, or null when no echo came back in the firmware's time.
   * Rejects with OSError: EOPNOTSUPP where the firmware has no ping, getaddrinfo's errors for a name.
   */
  ping(host: string): Promise<number | null>;
};

/** What `config({...})` can set. */
export interface WlanSettings {
  readonly hostname?: string;
}

function macBytes(text: string): Uint8Array {
  return Uint8Array.from(text.split(':').map((part) => parseInt(part, 16)));
}

/** `resolve`: the module's name lookup (Backend.resolve); absent: `ping()` takes IPv4 addresses only. */
export function createWlan(station: WlanBackend, resolve?: (host: string) => Promise<string>): Wlan {
  async function ping(host: string): Promise<number | null> {
    if (isIPv4(host)) return station.ping(host);
    if (!resolve) throw osError('EINVAL', `${host} is not an IPv4 address`);
    return station.ping(await resolve(host));
  }

  async function ifconfig(): Promise<IfconfigTuple>;
  async function ifconfig(config: IfconfigTuple): Promise<void>;
  async function ifconfig(config?: IfconfigTuple): Promise<IfconfigTuple | void> {
    if (config) {
      const [ip, netmask, gateway, dns] = config;
      const wanted: IfConfig = { ip, netmask, gateway, dns };
      await station.setIfconfig(wanted);
      return;
    }
    const c = await station.ifconfig();
    return [c.ip, c.netmask, c.gateway, c.dns];
  }

  async function config(param: 'mac'): Promise<Uint8Array>;
  async function config(param: 'hostname'): Promise<string>;
  async function config(settings: WlanSettings): Promise<void>;
  async function config(what: 'mac' | 'hostname' | WlanSettings): Promise<Uint8Array | string | void> {
    if (what === 'mac') return macBytes(await station.mac());
    if (what === 'hostname') return station.hostname();
    if (typeof what !== 'object' || what === null) throw osError('EINVAL', `unknown config param ${String(what)}`);
    const unknown = Object.keys(what).filter((key) => key !== 'hostname');
    if (unknown.length > 0) throw osError('EINVAL', `cannot set ${unknown.join(', ')} on the module`);
    if (what.hostname !== undefined) await station.setHostname(what.hostname);
  }

  return {
    ...STAT,
    async scan() {
      const aps = await station.scan();
      return aps.map((ap): ScanResult => [ap.ssid, ap.bssid, ap.channel, ap.rssi, authmodeOf(ap.security), ap.hidden]);
    },
    connect: (ssid, key) => station.connect(ssid, key),
    disconnect: () => station.disconnect(),
    isconnected: () => station.connected(),
    ifconfig,
    status: () => STATUS_OF[station.state()],
    config,
    ping,
  };
}
