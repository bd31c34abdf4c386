import type { SecurityKind } from '../../firmware-protocol/security.js';
import type { JoinFailure } from './types.js';

/**
 * The module's own access point (what ESP-IDF's softAP interface and its DHCP server are): its
 * configuration, its address, the DHCP pool, and the stations associated with it. Other modules of
 * the same daemon see it through the radio air (radio-air.ts), join it, and get a lease from it.
 * It knows nothing of AT: a front end listens to its station events and prints them its own way.
 */

export interface SoftApConfig {
  readonly ssid: string;
  /** "" for an open network. */
  readonly password: string;
  readonly channel: number;
  readonly security: SecurityKind;
  readonly maxConnections: number;
  /** Not in beacons: a scan does not show it (a join by name still finds it). */
  readonly hidden: boolean;
}

export interface SoftApAddress {
  readonly ip: string;
  readonly gateway: string;
  readonly netmask: string;
}

/** The DHCP server's range: lease time (minutes) and the first and last address it gives. */
export interface DhcpPool {
  readonly leaseMinutes: number;
  readonly start: string;
  readonly end: string;
}

export interface SoftApStation {
  readonly mac: string;
  /** The leased address; null until DHCP gave one (or with the DHCP server off). */
  readonly ip: string | null;
}

export interface SoftApListener {
  onStationConnected(mac: string): void;
  onStationGotIp(mac: string, ip: string): void;
  onStationDisconnected(mac: string): void;
}

/** What the joining side gives: how to tell it that the AP let it go. */
export interface AssociationHandle {
  readonly kicked: () => void;
}

interface Member {
  ip: string | null;
  readonly handle: AssociationHandle;
}

/** The RSSI a scan reports for another module's softAP (modules of one daemon sit side by side). */
export const SOFT_AP_RSSI = -30;

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

export function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** True when `ip` is in the subnet of `address`. */
export function inSubnet(address: SoftApAddress, ip: string): boolean {
  const mask = ipToNumber(address.netmask);
  return ((ipToNumber(ip) & mask) >>> 0) === ((ipToNumber(address.ip) & mask) >>> 0);
}

export class SoftAccessPoint {
  private listener: SoftApListener | null = null;
  private running = false;
  private dhcpServer = true;
  private readonly members = new Map<string, Member>();

  constructor(
    /** The softAP's MAC (the station's + 1 on an ESP32). */
    private mac: string,
    private configuration: SoftApConfig,
    private addressing: SoftApAddress,
    private dhcpPool: DhcpPool,
  ) {}

  /** The softAP's MAC, as stations scanning the air see it. */
  get bssid(): string {
    return this.mac;
  }

  /** A new MAC (AT+CIPAPMAC): stations see it from their next scan. */
  setBssid(mac: string): void {
    this.mac = mac;
  }

  setListener(listener: SoftApListener): void {
    this.listener = listener;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get config(): SoftApConfig {
    return this.configuration;
  }

  get address(): SoftApAddress {
    return this.addressing;
  }

  get pool(): DhcpPool {
    return this.dhcpPool;
  }

  get dhcpEnabled(): boolean {
    return this.dhcpServer;
  }

  /** Brings the AP up (AT+CWMODE 2 or 3); a no-op when it is up. */
  start(): void {
    this.running = true;
  }

  /** Takes the AP down: every station is let go. */
  stop(): void {
    this.disconnect();
    this.running = false;
  }

  /** New settings: the AP restarts with them, so every station is let go (as esp_wifi_set_config does). */
  configure(config: SoftApConfig): void {
    this.disconnect();
    this.configuration = config;
  }

  setAddress(address: SoftApAddress): void {
    this.disconnect();
    this.addressing = address;
  }

  setPool(pool: DhcpPool): void {
    this.dhcpPool = pool;
  }

  setDhcpServer(enabled: boolean): void {
    this.dhcpServer = enabled;
  }

  stations(): SoftApStation[] {
    return [...this.members].map(([mac, member]) => ({ mac, ip: member.ip }));
  }

  /** Lets one station go (by MAC, any case), or all of them; false when none matched. */
  disconnect(mac?: string): boolean {
    const wanted = mac?.toLowerCase();
    const gone = [...this.members.keys()].filter((key) => wanted === undefined || key === wanted);
    for (const key of gone) {
      const member = this.members.get(key)!;
      this.members.delete(key);
      this.listener?.onStationDisconnected(key);
      member.handle.kicked();
    }
    return gone.length > 0;
  }

  /** A station's association request: accepted, or why not. */
  associate(mac: string, password: string, handle: AssociationHandle): JoinFailure | null {
    if (!this.running) return 'no-ap';
    if (this.configuration.security !== 'open' && password !== this.configuration.password) return 'wrong-password';
    const key = mac.toLowerCase();
    if (!this.members.has(key) && this.members.size >= this.configuration.maxConnections) return 'failed';
    this.members.set(key, { ip: null, handle });
    this.listener?.onStationConnected(key);
    return null;
  }

  /** DHCP for an associated station: the lowest free address of the pool (its old one if it had one); null when none. */
  lease(mac: string): string | null {
    const key = mac.toLowerCase();
    const member = this.members.get(key);
    if (member === undefined || !this.dhcpServer) return null;
    if (member.ip === null) {
      const taken = new Set([...this.members.values()].map((other) => other.ip));
      const last = ipToNumber(this.dhcpPool.end);
      for (let candidate = ipToNumber(this.dhcpPool.start); candidate <= last; candidate++) {
        const ip = numberToIp(candidate);
        if (!taken.has(ip) && ip !== this.addressing.ip) {
          member.ip = ip;
          break;
        }
      }
      if (member.ip === null) return null;
    }
    this.listener?.onStationGotIp(key, member.ip);
    return member.ip;
  }

  /** The station left by itself. */
  release(mac: string): void {
    const key = mac.toLowerCase();
    if (!this.members.delete(key)) return;
    this.listener?.onStationDisconnected(key);
  }

  /** The MAC of the station holding `ip`, or null. */
  stationAt(ip: string): string | null {
    for (const [mac, member] of this.members) if (member.ip === ip) return mac;
    return null;
  }
}
