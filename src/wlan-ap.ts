/**
 * MicroPython's `network.WLAN(AP_IF)` shape over the back end's access-point interface: active,
 * config (by name, or by keywords), status('stations'), isconnected, ifconfig. Security numbers
 * are the AUTH_* constants of MicroPython's ESP32 port (the same as ESP-AT's `<ecn>`).
 */
import type { SoftApBackend, SoftApConfig } from './backend.js';
import { osError } from './errors.js';
import type { IfconfigTuple } from './wlan.js';

export const AUTH = { AUTH_OPEN: 0, AUTH_WPA_PSK: 2, AUTH_WPA2_PSK: 3, AUTH_WPA_WPA2_PSK: 4 } as const;

/** Keywords of `config(...)`: MicroPython's names (`password` = `key`, `authmode` = `security`). */
export interface ApConfigOptions {
  readonly essid?: string;
  readonly ssid?: string;
  readonly key?: string;
  readonly password?: string;
  readonly channel?: number;
  readonly security?: number;
  readonly authmode?: number;
  readonly hidden?: boolean;
  readonly max_clients?: number;
}

/** `config('<name>')`: what can be read (MicroPython never reads the key back). */
export type ApConfigName = 'essid' | 'ssid' | 'channel' | 'security' | 'authmode' | 'hidden' | 'max_clients';

/** `[mac, ip]` of a joined station. */
export type ApStation = [mac: string, ip: string];

export type ApWlan = typeof AUTH & {
  /** Whether the access point is up; with an argument, brings it up or down. */
  active(): Promise<boolean>;
  active(on: boolean): Promise<void>;
  config(name: ApConfigName): Promise<string | number | boolean>;
  config(options: ApConfigOptions): Promise<void>;
  /** `status('stations')`: the stations joined, with their leases. */
  status(what: 'stations'): Promise<ApStation[]>;
  /** True while at least one station is joined. */
  isconnected(): Promise<boolean>;
  ifconfig(): Promise<IfconfigTuple>;
  ifconfig(config: IfconfigTuple): Promise<void>;
};

const READERS: Record<ApConfigName, (config: SoftApConfig) => string | number | boolean> = {
  essid: (c) => c.essid,
  ssid: (c) => c.essid,
  channel: (c) => c.channel,
  security: (c) => c.security,
  authmode: (c) => c.security,
  hidden: (c) => c.hidden,
  max_clients: (c) => c.maxClients,
};

function changesOf(options: ApConfigOptions): Partial<SoftApConfig> {
  const pick = <T>(...values: (T | undefined)[]): T | undefined => values.find((value) => value !== undefined);
  const entries: [keyof SoftApConfig, unknown][] = [
    ['essid', pick(options.essid, options.ssid)],
    ['key', pick(options.key, options.password)],
    ['channel', options.channel],
    ['security', pick(options.security, options.authmode)],
    ['hidden', options.hidden],
    ['maxClients', options.max_clients],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Partial<SoftApConfig>;
}

/** The AP_IF object; without an access-point back end every call raises OSError(EOPNOTSUPP). */
export function createApWlan(ap: SoftApBackend | undefined): ApWlan {
  const backend = (): SoftApBackend => {
    if (ap === undefined) throw osError('EOPNOTSUPP', 'this back end has no access point');
    return ap;
  };
  async function active(): Promise<boolean>;
  async function active(on: boolean): Promise<void>;
  async function active(on?: boolean): Promise<boolean | void> {
    if (on === undefined) return backend().active();
    await backend().setActive(on);
  }
  async function config(name: ApConfigName): Promise<string | number | boolean>;
  async function config(options: ApConfigOptions): Promise<void>;
  async function config(what: ApConfigName | ApConfigOptions): Promise<string | number | boolean | void> {
    if (typeof what === 'string') {
      const read = READERS[what];
      if (read === undefined) throw osError('EINVAL', `unknown config parameter ${JSON.stringify(what)}`);
      return read(await backend().config());
    }
    await backend().configure(changesOf(what));
  }
  async function ifconfig(): Promise<IfconfigTuple>;
  async function ifconfig(config: IfconfigTuple): Promise<void>;
  async function ifconfig(config?: IfconfigTuple): Promise<IfconfigTuple | void> {
    if (config) {
      const [ip, netmask, gateway, dns] = config;
      await backend().setIfconfig({ ip, netmask, gateway, dns });
      return;
    }
    const c = await backend().ifconfig();
    return [c.ip, c.netmask, c.gateway, c.dns];
  }
  return {
    ...AUTH,
    active,
    config,
    async status(what) {
      if (what !== 'stations') throw osError('EINVAL', `unknown status parameter ${JSON.stringify(what)}`);
      // An inactive access point has no stations (the module would answer ERROR).
      if (!(await backend().active())) return [];
      return (await backend().stations()).map((station): ApStation => [station.mac, station.ip]);
    },
    async isconnected() {
      return (await backend().active()) && (await backend().stations()).length > 0;
    },
    ifconfig,
  };
}
