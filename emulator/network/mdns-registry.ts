/**
 * The mDNS names modules announce (ESP-AT's AT+MDNS, ESP-IDF's mdns responder): `<hostname>.local`
 * with one service. Every module's resolver that shares a registry (the modules of one daemon, one
 * world) answers those names, as lwIP's mDNS queries find them on a real LAN; a name answers only
 * while its module is on the network. The answer is 127.0.0.1, where a module's servers listen, so
 * a connection to `<hostname>.local` reaches them (as the world's `copro.local` does).
 */

export interface MdnsAnnouncement {
  readonly hostname: string;
  readonly service: string;
  readonly port: number;
}

interface Entry extends MdnsAnnouncement {
  readonly online: () => boolean;
}

export const MDNS_ANSWER = '127.0.0.1';

export class MdnsRegistry {
  private readonly byOwner = new Map<object, Entry>();

  /** `owner` (one per module) announces; a second announcement replaces its first. */
  announce(owner: object, announcement: MdnsAnnouncement, online: () => boolean): void {
    this.byOwner.set(owner, { ...announcement, hostname: announcement.hostname.toLowerCase(), online });
  }

  withdraw(owner: object): void {
    this.byOwner.delete(owner);
  }

  /** The address of `<hostname>.local` (lower case, no trailing dot), or null. */
  lookup(name: string): string | null {
    if (!name.endsWith('.local')) return null;
    const hostname = name.slice(0, -'.local'.length);
    for (const entry of this.byOwner.values()) if (entry.hostname === hostname && entry.online()) return MDNS_ANSWER;
    return null;
  }

  /** What `owner` announces (null: nothing). */
  announcementOf(owner: object): MdnsAnnouncement | null {
    const entry = this.byOwner.get(owner);
    return entry ? { hostname: entry.hostname, service: entry.service, port: entry.port } : null;
  }
}
